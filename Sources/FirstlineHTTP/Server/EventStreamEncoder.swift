/// Formats Server-Sent Events (HTML Living Standard §9.2): `id:`, `event:` and one `data:`
/// line per line of the data, then an empty line.
enum EventStreamEncoder {
    /// A comment line that keeps proxies and browsers from timing the stream out.
    static let heartbeat: [UInt8] = Array(": keep-alive\n\n".utf8)

    /// The bytes of one event.
    /// - Parameters:
    ///   - id: the event id; CR, LF and NUL are removed (they would end the field).
    ///   - event: the event type; CR and LF removed likewise.
    ///   - data: the data; each line (split at CRLF, CR or LF) becomes its own `data:` line.
    /// - Complexity: O(n) in the sizes of the fields.
    static func encode(id: String?, event: String?, data: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.utf8.count + 32 + (id?.utf8.count ?? 0) + (event?.utf8.count ?? 0))
        if let id {
            output.append(contentsOf: "id: ".utf8)
            appendSingleLine(id, into: &output)
        }
        if let event {
            output.append(contentsOf: "event: ".utf8)
            appendSingleLine(event, into: &output)
        }
        output.append(contentsOf: "data: ".utf8)
        var previousWasCR = false
        for byte in data.utf8 {
            if byte == 10, previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 13
            if byte == 10 || byte == 13 {
                output.append(contentsOf: "\ndata: ".utf8)
            } else {
                output.append(byte)
            }
        }
        output.append(contentsOf: "\n\n".utf8)
        return output
    }

    private static func appendSingleLine(_ text: String, into output: inout [UInt8]) {
        for byte in text.utf8 where byte != 10 && byte != 13 && byte != 0 { output.append(byte) }
        output.append(10)
    }
}
