import DropsyncCore
import SFTP

/// `datasource.read.sftp`: reads the files of a directory on an SFTP server (libssh2).
///
/// The server's host key is always checked, against `knownHosts` or a pinned
/// `hostKeyFingerprint`, before any credential is sent; an unknown or changed key refuses the
/// connection with the fingerprint offered (`dropsync sftp trust` shows a server's keys).
/// Remote names that could escape a local directory or confuse a terminal (`..`, `/`, control
/// characters) are refused and traced; dotfiles and upload temp names are passed over.
public struct SFTPReadStep: Component {
    public static let spec = ComponentSpec(
        type: "datasource.read.sftp",
        summary: "Reads the files of a directory on an SFTP server; host keys are always verified.",
        input: .nothing, output: .file,
        params: SFTPConnection.specs + [
            ParamSpec("remotePath", .string, default: ".", "The directory to read."),
            ParamSpec("fileNameRegex", .string, default: ".*", "Regular expression the whole file name must match."),
            ParamSpec("sortBy", .oneOf(["name", "time"]), default: "name", "Order of the files: by `name` or modification `time`."),
            ParamSpec("sortOrder", .oneOf(["ASC", "DESC"]), default: "ASC", "`ASC` or `DESC`."),
        ])

    static let chunkSize = 1 << 20

    let connection: SFTPConnection
    let remotePath: String
    /// Checked at load; compiled in `run` (a `Regex` is not `Sendable`).
    let fileNamePattern: String
    let order: SourceFiles

    public init(params: Params) throws(ParamError) {
        connection = try SFTPConnection(params)
        remotePath = params.string("remotePath") ?? "."
        _ = try params.regex("fileNameRegex")
        fileNamePattern = params.string("fileNameRegex") ?? ".*"
        order = SourceFiles(params)
    }

    public func run(_ step: StepRun) async throws {
        do {
            let client = try connection.connect()
            for entry in try listing(client, step) {
                if step.job.limit.isExhausted { return }
                guard try await send(entry, from: client, step) else { return }
            }
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }

    /// The regular files of `remotePath` that qualify, in the configured order.
    private func listing(_ client: SFTPClient, _ step: StepRun) throws(DropsyncError) -> [SFTPEntry] {
        let pattern = try? Regex(fileNamePattern)
        var entries: [SFTPEntry] = []
        let uploads = ReadinessRules()
        for entry in try client.list(remotePath) where entry.isRegularFile && !uploads.isIgnored(entry.name) {
            guard FileNames.isSafe(entry.name) else {
                step.job.trace(.warning, "\(client.location): refused the remote name \(entry.name.debugDescription)", step: step.id)
                continue
            }
            if (try? pattern?.wholeMatch(in: entry.name)) != nil { entries.append(entry) }
        }
        return order.ordered(entries, name: \.name, modified: \.modified)
    }

    private func send(_ entry: SFTPEntry, from client: SFTPClient, _ step: StepRun) async throws -> Bool {
        let path = SFTPConnection.path(remotePath, entry.name)
        let file = try client.open(path)
        let info = FileInfo(
            name: entry.name, path: path, location: client.location + (remotePath.hasPrefix("/") ? "" : "/") + remotePath,
            size: entry.size, modified: entry.modified)
        return try await SourceFiles.send(info, step) { try file.read(upTo: Self.chunkSize) }
    }
}
