import FirstlineHTTP
import Foundation

/// The live event streams: each chat session's (the widget) and each agent's (the console).
/// Every event gets an id that increases across the whole service and across restarts (it
/// starts from the microseconds of the start time), and the last events of each stream are
/// kept so a client that reconnects with `Last-Event-ID` gets what it missed.
public final class EventHub: @unchecked Sendable {  // all state guarded by `lock`
    /// One event as sent.
    struct Event {
        let id: UInt64
        let name: String
        let data: String
    }

    private struct Channel {
        var streams: [ObjectIdentifier: HTTPEventStream] = [:]
        var recent: [Event] = []
    }

    private let lock = NSLock()
    private var nextID: UInt64
    private var channels: [String: Channel] = [:]
    /// Events kept per stream for resumption.
    let replayDepth: Int

    init(replayDepth: Int = 64, firstID: UInt64 = UInt64(Date().timeIntervalSince1970 * 1_000_000)) {
        self.replayDepth = replayDepth
        nextID = firstID
    }

    static func sessionChannel(_ id: String) -> String { "s:" + id }
    static func agentChannel(_ id: String) -> String { "a:" + id }

    /// Sends an event to every stream of a channel and keeps it for resumption.
    func publish(_ channel: String, event name: String, data: JSONValue) {
        let text = data.text
        // Sending only queues bytes on the stream's connection, so it is done under the lock:
        // events of one channel reach every stream in id order.
        lock.withLock {
            nextID += 1
            let event = Event(id: nextID, name: name, data: text)
            var entry = channels[channel] ?? Channel()
            entry.recent.append(event)
            if entry.recent.count > replayDepth { entry.recent.removeFirst(entry.recent.count - replayDepth) }
            channels[channel] = entry
            for stream in entry.streams.values { stream.send(id: String(event.id), event: event.name, data: event.data) }
        }
    }

    /// Sends an event to the channel's streams only, not kept (state snapshots that a
    /// reconnecting client gets afresh anyway).
    func broadcast(_ channel: String, event name: String, data: JSONValue) {
        let text = data.text
        let streams = lock.withLock { channels[channel]?.streams.map(\.value) ?? [] }
        for stream in streams { stream.send(event: name, data: text) }
    }

    /// Attaches a stream to a channel, first replaying the kept events after `lastEventID`.
    func subscribe(_ channel: String, stream: HTTPEventStream, lastEventID: UInt64?) {
        let key = ObjectIdentifier(stream)
        lock.withLock {
            var entry = channels[channel] ?? Channel()
            if let lastEventID {
                for event in entry.recent where event.id > lastEventID {
                    stream.send(id: String(event.id), event: event.name, data: event.data)
                }
            }
            entry.streams[key] = stream
            channels[channel] = entry
        }
        stream.onClose { [weak self] in
            self?.lock.withLock {
                self?.channels[channel]?.streams[key] = nil
            }
        }
    }

    /// The id of the newest event of a channel.
    func lastEventID(_ channel: String) -> UInt64? {
        lock.withLock { channels[channel]?.recent.last?.id }
    }

    /// Forgets a channel's kept events once nobody listens (a closed chat).
    func retire(_ channel: String) {
        lock.withLock {
            if channels[channel]?.streams.isEmpty ?? true { channels[channel] = nil }
        }
    }

    /// Whether anyone listens on a channel.
    func hasListeners(_ channel: String) -> Bool {
        lock.withLock { !(channels[channel]?.streams.isEmpty ?? true) }
    }

    /// Open streams in all.
    var streamCount: Int { lock.withLock { channels.values.reduce(0) { $0 + $1.streams.count } } }
}
