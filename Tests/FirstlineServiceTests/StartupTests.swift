import Foundation
import Testing
@testable import FirstlineService

/// The service checks the bundle's examples while it trains (not before): a bundle those checks
/// find errors in must still be refused, with the problem named, and leave no model cached.
@Suite("Start-up: the examples' checks run during training and still refuse a bad bundle")
struct StartupTests {
    @Test("an example under two intents stops the start with the file, field and the fix")
    func clashingExamplesRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-startup-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let intents = root + "/Intents"
        try TestService.copyBundle(to: intents, examplesPerLocale: 12)
        // deposit.methods gets an example of another intent.
        let stolen = try Self.examples(of: intents + "/bonus.wagering.json")["tr"]!.first!
        var target = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: intents + "/deposit.methods.json"))) as! [String: Any]
        var examples = target["examples"] as! [String: [String]]
        examples["tr"]!.append(stolen)
        target["examples"] = examples
        try JSONSerialization.data(withJSONObject: target).write(to: URL(fileURLWithPath: intents + "/deposit.methods.json"))

        var configuration = ServiceConfiguration()
        configuration.intentsDirectory = intents
        configuration.dataDirectory = root + "/data"
        configuration.http.port = 0
        #expect {
            _ = try LiveService(configuration: configuration)
        } throws: { error in
            let text = (error as? ServiceSetupError)?.description ?? ""
            return text.contains("deposit.methods.json") && text.contains("is also an example of bonus.wagering")
                && text.contains("firstline lint")
        }
        ModelCache.finishWrites()  // the cache is written in the background: wait for any write
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: root + "/data/model")) ?? []
        #expect(cached.isEmpty, "no model is cached for a refused bundle: \(cached)")
    }

    private static func examples(of path: String) throws -> [String: [String]] {
        let intent = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return intent["examples"] as! [String: [String]]
    }
}
