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
    let order: SourceFiles

    public init(params: Params) throws(ParamError) {
        connection = try SFTPConnection(params)
        remotePath = params.string("remotePath") ?? "."
        order = try SourceFiles(params)
    }

    public func run(_ step: StepRun) async throws {
        do {
            guard step.job.explicitFiles == nil else {
                throw DropsyncError("INVALID_PARAM", "--file names local files; the SFTP reader reads its remote directory")
            }
            let client = try connection.connect()
            for entry in try listing(client, step) {
                if step.job.limit.isExhausted { return }
                guard try await send(entry, from: client, step) else { return }
            }
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }

    /// The regular files of `remotePath` that qualify, in the configured order; names that are
    /// not valid UTF-8 or not safe are traced and passed over.
    private func listing(_ client: SFTPClient, _ step: StepRun) throws(DropsyncError) -> [Listed] {
        var byName: [String: SFTPEntry] = [:]
        for entry in try client.list(remotePath) where entry.isRegularFile {
            guard let name = entry.name else {
                step.job.trace(.warning, "\(client.location): passed over \(entry.shownName): the name is not valid UTF-8", step: step.id)
                continue
            }
            byName[name] = entry
        }
        let names = order.chosen(Array(byName.keys), readiness: ReadinessRules()) { name in
            step.job.trace(.warning, "\(client.location): refused the remote name \(name.debugDescription)", step: step.id)
        }
        let chosen = names.compactMap { name in byName[name].map { Listed(name: name, entry: $0) } }
        return order.ordered(chosen, name: { $0.name }, modified: { $0.entry.modified })
    }

    /// Sends one file downstream; false when the reader should stop. A file gone since the
    /// listing is traced and passed over.
    private func send(_ item: Listed, from client: SFTPClient, _ step: StepRun) async throws -> Bool {
        let path = SFTPConnection.path(remotePath, item.name)
        let file: SFTPFile
        do {
            file = try client.open(path)
        } catch {
            guard error.code == "FILE_NOT_FOUND" else { throw error }
            step.job.trace(.warning, "\(client.location)\(path) vanished before it was read", step: step.id)
            return true
        }
        let info = FileInfo(
            name: item.name, path: path, location: client.location + (remotePath.hasPrefix("/") ? "" : "/") + remotePath,
            size: item.entry.size, modified: item.entry.modified)
        return try await SourceFiles.send(info, step) { try file.read(upTo: Self.chunkSize) }
    }

    /// A file of the listing under its (valid) name.
    struct Listed {
        let name: String
        let entry: SFTPEntry
    }
}
