import FirstlineNLU
import Foundation

/// Keeps the trained classifier in the data folder (`model/<key>.bin`) so a restart on the
/// same bundle and the same binary skips training. The key is the SHA-256 of every file of
/// the bundle and of the binary's identity (path, size, modification time): change an
/// intent file or rebuild, and the next start trains again. A cache file that does not read
/// back is ignored (and replaced); nothing in it is ever trusted beyond what `TrainedState`
/// checks.
struct ModelCache {
    let directory: String
    let key: String

    init(dataDirectory: String, intentsDirectory: String) {
        directory = dataDirectory + "/model"
        var hasher = SHA256()
        hasher.update(Array("firstline trained state\n".utf8))
        var info = stat()
        if stat("/proc/self/exe", &info) == 0 {
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
            hasher.update(Array("\(executable) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\n".utf8))
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: intentsDirectory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        for name in names {
            hasher.update(Array("\(name)\n".utf8))
            hasher.update(Array(FileManager.default.contents(atPath: intentsDirectory + "/" + name) ?? Data()))
        }
        key = hasher.finalize().hex
    }

    var path: String { directory + "/" + key + ".bin" }

    /// A cache whose key is being computed on another thread (it reads and hashes every
    /// bundle file, which need not hold up loading the bundle).
    final class Pending: @unchecked Sendable {
        private var cache: ModelCache?
        private let done = DispatchSemaphore(value: 0)

        init(dataDirectory: String, intentsDirectory: String) {
            DispatchQueue.global(qos: .userInitiated).async {
                self.cache = ModelCache(dataDirectory: dataDirectory, intentsDirectory: intentsDirectory)
                self.done.signal()
            }
        }

        /// The cache, once its key is known (any number of times).
        func wait() -> ModelCache {
            done.wait()
            done.signal()
            return cache!
        }
    }

    /// The cached classifier for `bundle`, or nil.
    func load(bundle: IntentBundle) -> IntentClassifier? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? TrainedState.decode(Array(data), bundle: bundle)
    }

    /// Writes are made one at a time, off the caller's thread (encoding and writing tens of
    /// megabytes is no reason to keep a first start or a reload waiting).
    private static let writes = DispatchQueue(label: "firstline-model-cache", qos: .utility)

    /// Saves a classifier in the background (atomically: temp file, rename) and removes older
    /// cache files. A write cut short (the process killed) leaves at most a temp file that the
    /// next write removes; the next start then trains again.
    func store(_ classifier: IntentClassifier) {
        let directory = directory, key = key, path = path
        Self.writes.async {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = path + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(TrainedState.encode(classifier)), attributes: [.posixPermissions: 0o600]),
                  rename(temporary, path) == 0 else {
                unlink(temporary)
                return
            }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name != key + ".bin" {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
    }

    /// Returns once every write asked for so far has finished (a graceful stop leaves the
    /// cache on disk for the next start).
    static func finishWrites() {
        writes.sync {}
    }
}
