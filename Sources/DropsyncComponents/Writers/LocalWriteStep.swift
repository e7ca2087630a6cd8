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
        // Releasing an uncommitted file removes its temporary file: on a throw, on cancellation
        // and when input ends inside a file.
        var pending: PendingFile?
        var written: Set<String> = []
        while let packet = try await step.input.next() {
            switch packet {
            case .fileStart(let file):
                step.metrics.input.add(1)
                pending = nil
                let name = try targetName(for: file, step)
                // A second file under the same name would silently replace the first.
                guard written.insert(name).inserted else {
                    throw DropsyncError(
                        "DUPLICATE_OUTPUT_NAME", "this job already wrote \(name); give fileName a macro such as ${now} or leave it out",
                        step: step.id)
                }
                pending = try open(name: name, step)
            case .bytes(let chunk):
                guard let pending else { continue }
                step.metrics.bytesIn.add(chunk.count)
                try step.metrics.timed { () throws(DropsyncError) in try pending.file.write(chunk) }
                pending.size += chunk.count
            case .fileEnd:
                guard let finished = pending else { continue }
                pending = nil
                try step.metrics.timed { () throws(DropsyncError) in try finished.commit() }
                step.metrics.output.add(1)
                step.job.trace(.info, "wrote \(finished.name) (\(finished.size) bytes)", step: step.id)
            case .records, .sourceDone:
                throw DropsyncError("UNEXPECTED_INPUT", "received records on a file input", step: step.id)
            }
        }
        if let pending {
            step.job.trace(.warning, "discarded \(pending.name): its input ended before the end of the file", step: step.id)
        }
    }

    private func targetName(for file: FileInfo, _ step: StepRun) throws(DropsyncError) -> String {
        guard let fileName else { return file.name }
        do {
            return try Macros.expand(fileName, step.job.macros)
        } catch {
            throw DropsyncError("INVALID_PARAM", "fileName: \(error.description)", step: step.id)
        }
    }

    private func open(name: String, _ step: StepRun) throws(DropsyncError) -> PendingFile {
        try FileNames.checkSafe(name, step: step.id)
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

/// A file being written under a temporary name; `commit` renames it into place, and releasing it
/// uncommitted removes it.
private final class PendingFile {
    let name: String
    let file: LocalFile
    var size = 0
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

    /// Syncs the bytes, renames the file into place and syncs the directory entry.
    func commit() throws(DropsyncError) {
        try file.synchronize()
        try file.close()
        let target = directory + "/" + name
        guard rename(temporaryPath, target) == 0 else {
            throw DropsyncError("FILE_WRITE_FAILED", "cannot rename into \(target): \(LocalFile.reason(errno))", file: target)
        }
        committed = true
        let directoryHandle = try LocalFile(path: directory, flags: O_RDONLY | O_DIRECTORY, errorCode: "FILE_WRITE_FAILED")
        try directoryHandle.synchronize()
    }
}
