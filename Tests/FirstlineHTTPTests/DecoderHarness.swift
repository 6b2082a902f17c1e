@testable import FirstlineHTTP

/// Feeds a decoder the way a socket would: in pieces of given sizes, keeping what it has not
/// consumed, and collects the events.
struct DecoderHarness {
    /// How the input is cut.
    enum Feeding: CustomStringConvertible, CaseIterable {
        case whole
        case byteByByte
        case randomBatches(seed: UInt64)

        static let allCases: [Feeding] = [.whole, .byteByByte, .randomBatches(seed: 1), .randomBatches(seed: 42), .randomBatches(seed: 9001)]

        var description: String {
            switch self {
            case .whole: "whole"
            case .byteByByte: "byte by byte"
            case .randomBatches(let seed): "random batches (seed \(seed))"
            }
        }
    }

    /// What the decoder made of the input.
    struct Outcome {
        var events: [HTTPRequestDecoder.Event] = []
        var error: HTTPParseError?
        /// Bytes left unconsumed at the end.
        var leftover: [UInt8] = []

        var requests: [(head: HTTPRequestHead, body: [UInt8])] {
            events.compactMap { if case .request(let head, let body) = $0 { (head, body) } else { nil } }
        }
    }

    static func run(_ bytes: [UInt8], feeding: Feeding, limits: HTTPRequestDecoder.Limits = .init()) -> Outcome {
        var decoder = HTTPRequestDecoder(limits: limits)
        var generator = SplitMix64(seed: { if case .randomBatches(let seed) = feeding { seed } else { 0 } }())
        var pending: [UInt8] = []
        var outcome = Outcome()
        var index = 0
        while index < bytes.count {
            let size: Int
            switch feeding {
            case .whole: size = bytes.count
            case .byteByByte: size = 1
            case .randomBatches: size = 1 + Int(generator.next() % 17)
            }
            let end = min(bytes.count, index + size)
            pending.append(contentsOf: bytes[index..<end])
            index = end
            do throws(HTTPParseError) {
                while true {
                    let bytes = pending
                    let (consumed, event) = try bytes.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
                        try decoder.decode(UnsafeRawBufferPointer(buffer))
                    }
                    pending.removeFirst(consumed)
                    if let event {
                        outcome.events.append(event)
                        continue
                    }
                    if consumed == 0 || pending.isEmpty { break }
                }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        outcome.leftover = pending
        return outcome
    }

    static func run(_ text: String, feeding: Feeding, limits: HTTPRequestDecoder.Limits = .init()) -> Outcome {
        run(Array(text.utf8), feeding: feeding, limits: limits)
    }
}

/// Deterministic pseudo-random numbers (Vigna's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
