import DropsyncCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `datasource.write.local`: writes each incoming file into a local directory.
///
/// A file is written owner-only (0600) under a temporary name in the target directory
/// (`.<name>.<random>.tmp`), synced, then renamed into place, so readers of the directory never
/// see half a file. On failure, cancellation or a file that never ends, the temporary file is
/// removed. Names that could leave the directory are refused (`UNSAFE_FILE_NAME`).
public struct LocalWriteStep: Component {
    public static let spec = ComponentSpec(
        type: "datasource.write.local",
        summary: "Writes files into a local directory (temporary name, then rename).",
        input: .file, output: .nothing,
        params: [
            ParamSpec("path", .string, required: true,
                      "The directory to write into, created (owner-only) if missing; a relative path is relative to the dataflow file's directory."),
            ParamSpec("fileName", .string,
                      "Name to write each file under instead of its own; macros such as ${now:yyyyMMdd} and ${jobId} are expanded."),
        ])

    let directory: String
    let fileName: String?

    public init(params: Params) throws(ParamError) {
        directory = URL(fileURLWithPath: try params.path("path")).standardized.path
        fileName = try params.template("fileName")
    }

    public func run(_ step: StepRun) async throws {
        do {
            try await write(step)
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }

    private func write(_ step: StepRun) async throws {
        try await FileWriting(fileName: fileName).run(step) { name throws(DropsyncError) in try open(name: name, step) }
    }

    private func open(name: String, _ step: StepRun) throws(DropsyncError) -> PendingFile {
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw DropsyncError("FILE_WRITE_FAILED", "cannot create directory \(directory)", file: directory, step: step.id)
            }
        }
        return try PendingFile(directory: directory, name: name)
    }
}

/// A local file being written under a temporary name; `commit` renames it into place, and
/// releasing it uncommitted removes it.
private final class PendingFile: FileUpload {
    let name: String
    let file: LocalFile
    private let directory: String
    private let temporaryPath: String
    private var committed = false

    init(directory: String, name: String) throws(DropsyncError) {
        self.name = name
        self.directory = directory
        temporaryPath = directory + "/." + name + "." + String(UInt64.random(in: 0...UInt64.max), radix: 16) + ".tmp"
        file = try LocalFile(path: temporaryPath, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600,
                             errorCode: "FILE_WRITE_FAILED")
    }

    deinit { if !committed { unlink(temporaryPath) } }

    func write(_ chunk: [UInt8]) throws(DropsyncError) { try file.write(chunk) }

    /// Syncs the bytes to disk.
    func finish() throws(DropsyncError) {
        try file.synchronize()
        try file.close()
    }

    /// Renames the file into place and syncs the directory entry.
    func commit() throws(DropsyncError) {
        let target = directory + "/" + name
        guard rename(temporaryPath, target) == 0 else {
            throw DropsyncError("FILE_WRITE_FAILED", "cannot rename into \(target): \(SystemError.reason(errno))", file: target)
        }
        committed = true
        let directoryHandle = try LocalFile(path: directory, flags: O_RDONLY | O_DIRECTORY, errorCode: "FILE_WRITE_FAILED")
        try directoryHandle.synchronize()
    }
}
