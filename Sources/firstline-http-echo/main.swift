// firstline-http-echo: FirstlineHTTP with a trivial handler, for Tests/bench/http_bench.sh.
//
//   firstline-http-echo [--host 127.0.0.1] [--port 8080] [--threads 2] [--offload]
//
// GET any path answers "Hello, World!"; POST echoes the body; GET /events opens an event
// stream with one event a second. --offload answers from a DispatchQueue instead of the
// loop thread, as the service does. SIGTERM/SIGINT shut down gracefully.
import Dispatch
import FirstlineHTTP
import Foundation

struct Options {
    var configuration = HTTPServerConfiguration()
    var isOffloaded = false

    static let usage = "usage: firstline-http-echo [--host ADDRESS] [--port N] [--threads N] [--offload]"

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
            return value
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--host": configuration.host = try value(flag)
            case "--port":
                guard let port = UInt16(try value(flag)) else { throw UsageError(message: "--port needs a port number") }
                configuration.port = port
            case "--threads":
                guard let threads = Int(try value(flag)), threads > 0 else { throw UsageError(message: "--threads needs a positive count") }
                configuration.loopThreads = threads
            case "--offload": isOffloaded = true
            default: throw UsageError(message: "unknown option \(flag)")
            }
        }
    }
}

struct UsageError: Error {
    var message: String
}

let options: Options
do {
    options = try Options(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    FileHandle.standardError.write(Data("\(error.message)\n\(Options.usage)\n".utf8))
    exit(64)
}

let hello = HTTPResponse(status: 200, contentType: "text/plain", body: "Hello, World!")
let offloadQueue = DispatchQueue(label: "firstline-http-echo.offload", attributes: .concurrent)

/// Open event streams, fed once a second from one timer.
final class Streams: @unchecked Sendable {
    // @unchecked: `open` and `count` are only touched holding `lock`.
    private let lock = NSLock()
    private var open: [HTTPEventStream] = []
    private var count = 0

    func add(_ stream: HTTPEventStream) { lock.withLock { open.append(stream) } }

    func tick() {
        lock.withLock {
            count += 1
            open.removeAll { !$0.send(id: String(count), event: "tick", data: "tick \(count)") }
        }
    }
}
let streams = Streams()
let ticker = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "firstline-http-echo.events"))
ticker.setEventHandler { @Sendable in streams.tick() }
ticker.schedule(deadline: .now() + 1, repeating: 1)
ticker.resume()

func answer(_ request: HTTPRequest, _ responder: HTTPResponder) {
    if request.path == "/events" {
        streams.add(responder.startEventStream())
        return
    }
    if request.method == "POST" {
        responder.respond(HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]), body: request.body))
    } else {
        responder.respond(hello)
    }
}

let server = HTTPServer(configuration: options.configuration) { request, responder in
    if options.isOffloaded {
        offloadQueue.async { answer(request, responder) }
    } else {
        answer(request, responder)
    }
}
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("firstline-http-echo: \(error)\n".utf8))
    exit(1)
}
let watcher = SignalWatcher { _ in server.shutdown(gracePeriod: 2) }
FileHandle.standardOutput.write(Data("listening on \(options.configuration.host):\(server.port)\n".utf8))
server.waitUntilStopped()
watcher.cancel()
