import FirstlineHTTP
import Foundation

/// The web files the binary serves (demo page, chat widget, agent console), read into memory
/// at start-up. Found in `--web DIR`, else in the resources built next to the binary, else in
/// the source tree this binary was built from.
struct StaticAssets: Sendable {
    /// URL path → file name.
    static let routes: [String: String] = [
        "/": "index.html", "/index.html": "index.html", "/widget.js": "widget.js", "/widget.css": "widget.css",
        "/agent": "agent.html", "/agent.html": "agent.html", "/agent.js": "agent.js", "/agent.css": "agent.css",
        "/favicon.svg": "favicon.svg",
    ]
    private let files: [String: (type: String, body: [UInt8])]

    init(directory: String?) throws {
        guard let folder = directory ?? Self.candidates().first(where: { FileManager.default.fileExists(atPath: $0 + "/index.html") }) else {
            files = [:]
            return
        }
        var files: [String: (String, [UInt8])] = [:]
        for name in Set(Self.routes.values) {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            files[name] = (Self.contentType(name), Array(data))
        }
        if directory != nil && files.isEmpty { throw ServiceSetupError("no web files (index.html, widget.js…) in \(folder)") }
        self.files = files
    }

    /// Where the files may be: next to the executable (SwiftPM resources), then the sources.
    static func candidates() -> [String] {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path
        // This file is in Sources/FirstlineService/Live; the web files are in Sources/FirstlineService/Web.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Web").path
        return [executable + "/Firstline_FirstlineService.resources/Web", executable + "/Firstline_FirstlineService.resources", source]
    }

    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension {
        case "html": return "text/html; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }

    /// The response for a path, or nil.
    func response(for path: String) -> HTTPResponse? {
        guard let name = Self.routes[path], let file = files[name] else { return nil }
        var headers = HTTPHeaders([("Content-Type", file.type), ("Cache-Control", "no-cache")])
        if file.type.hasPrefix("text/html") {
            headers.add("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'")
            headers.add("Referrer-Policy", "no-referrer")
        }
        return HTTPResponse(status: 200, headers: headers, body: file.body)
    }

    var isEmpty: Bool { files.isEmpty }
}
