import Foundation

/// The service's counters, gauges and histograms, rendered for `/metrics` in the Prometheus
/// text exposition format (version 0.0.4): messages, intents, handoffs by department, queue
/// length, queue waiting time, containment, HTTP requests and their latency.
public final class ServiceMetrics: @unchecked Sendable {  // all state guarded by `lock`
    /// A cumulative histogram with fixed upper bounds.
    struct Histogram {
        let bounds: [Double]
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            for index in bounds.indices where value <= bounds[index] { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    private let lock = NSLock()
    private var userMessages: UInt64 = 0
    private var intents: [String: UInt64] = [:]
    private var handoffs: [String: UInt64] = [:]
    private var closedContained: UInt64 = 0
    private var closedHandedOff: UInt64 = 0
    private var httpByStatus: [Int: UInt64] = [:]
    private var httpLatency = Histogram(bounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
    private var queueWait = Histogram(bounds: [5, 15, 30, 60, 120, 300, 600, 1800, 3600])
    private var _queueLength = 0
    private var rateLimited: UInt64 = 0
    /// Read when rendering: open connections, open event streams, open chats.
    var gauges: @Sendable () -> [(name: String, help: String, value: Double)] = { [] }

    public init() {}

    var queueLength: Int {
        get { lock.withLock { _queueLength } }
        set { lock.withLock { _queueLength = newValue } }
    }

    func userMessage(intent: String?) {
        lock.withLock {
            userMessages += 1
            intents[intent ?? "none", default: 0] += 1
        }
    }

    func handoff(department: String, priority: String) {
        lock.withLock { handoffs["department=\"\(Self.escape(department))\",priority=\"\(Self.escape(priority))\"", default: 0] += 1 }
    }

    func claimed(afterWaiting seconds: Double) { lock.withLock { queueWait.observe(seconds) } }

    func sessionClosed(contained: Bool) {
        lock.withLock { if contained { closedContained += 1 } else { closedHandedOff += 1 } }
    }

    func request(status: Int, seconds: Double) {
        lock.withLock {
            httpByStatus[status, default: 0] += 1
            httpLatency.observe(seconds)
            if status == 429 { rateLimited += 1 }
        }
    }

    /// Counters for `/api/admin/stats`.
    var summary: [(String, JSONValue)] {
        lock.withLock {
            let closed = closedContained + closedHandedOff
            return [
                ("user_messages", .int(Int(userMessages))),
                ("handoffs", .int(Int(handoffs.values.reduce(0, +)))),
                ("closed_chats", .int(Int(closed))),
                ("containment_rate", closed == 0 ? .null : .double(Double(closedContained) / Double(closed))),
                ("queue_length", .int(_queueLength)),
                ("mean_queue_wait_s", queueWait.count == 0 ? .null : .double(queueWait.sum / Double(queueWait.count))),
                ("messages_by_intent", .object(intents.sorted { $0.value > $1.value }.map { ($0.key, .int(Int($0.value))) })),
            ]
        }
    }

    /// The exposition text.
    func render() -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        func histogram(_ name: String, _ histogram: Histogram) {
            for (bound, count) in zip(histogram.bounds, histogram.counts) { out += "\(name)_bucket{le=\"\(bound)\"} \(count)\n" }
            out += "\(name)_bucket{le=\"+Inf\"} \(histogram.count)\n\(name)_sum \(histogram.sum)\n\(name)_count \(histogram.count)\n"
        }
        let gauges = gauges()
        lock.withLock {
            family("firstline_user_messages_total", "counter", "Messages received from chat users.")
            out += "firstline_user_messages_total \(userMessages)\n"
            family("firstline_intents_total", "counter", "User messages by recognised intent (none: not understood).")
            for (intent, count) in intents.sorted(by: { $0.key < $1.key }) { out += "firstline_intents_total{intent=\"\(Self.escape(intent))\"} \(count)\n" }
            family("firstline_handoffs_total", "counter", "Chats handed to people, by department and priority.")
            for (labels, count) in handoffs.sorted(by: { $0.key < $1.key }) { out += "firstline_handoffs_total{\(labels)} \(count)\n" }
            family("firstline_queue_length", "gauge", "Tickets waiting for an agent.")
            out += "firstline_queue_length \(_queueLength)\n"
            family("firstline_queue_wait_seconds", "histogram", "Time from handoff to an agent taking the chat.")
            histogram("firstline_queue_wait_seconds", queueWait)
            family("firstline_chats_closed_total", "counter", "Closed chats, by whether the bot handled them alone.")
            out += "firstline_chats_closed_total{contained=\"true\"} \(closedContained)\nfirstline_chats_closed_total{contained=\"false\"} \(closedHandedOff)\n"
            let closed = closedContained + closedHandedOff
            family("firstline_containment_ratio", "gauge", "Share of closed chats the bot handled without a person.")
            out += "firstline_containment_ratio \(closed == 0 ? 0 : Double(closedContained) / Double(closed))\n"
            family("firstline_http_requests_total", "counter", "HTTP requests answered, by status.")
            for (status, count) in httpByStatus.sorted(by: { $0.key < $1.key }) { out += "firstline_http_requests_total{code=\"\(status)\"} \(count)\n" }
            family("firstline_http_request_duration_seconds", "histogram", "Time from a complete request to its response.")
            histogram("firstline_http_request_duration_seconds", httpLatency)
            family("firstline_rate_limited_total", "counter", "Requests refused by a rate limit.")
            out += "firstline_rate_limited_total \(rateLimited)\n"
        }
        for gauge in gauges {
            family(gauge.name, "gauge", gauge.help)
            out += "\(gauge.name) \(gauge.value)\n"
        }
        return out
    }

    /// Escapes a label value (backslash, quote, newline).
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
