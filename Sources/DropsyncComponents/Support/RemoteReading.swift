import DropsyncCore

/// What the remote readers (SFTP, FTP, S3) do the same way over their `FileTransport`: list the
/// remote directory, choose and order its files (`SourceFiles`), and stream each downstream. The
/// daemon's jobs name the files to read (`explicitFiles`): those must be files of the directory.
public struct RemoteReading: Sendable {
    let remotePath: String
    let order: SourceFiles
    /// How `dropsync serve` treats the directory: readiness, post-actions.
    let dropZone: DropZoneSettings
    let pollInterval: Duration
    /// Where, known before connecting (the ledger's key).
    let location: String
    /// Connects, checks the peer, logs in.
    let connect: @Sendable () throws(DropsyncError) -> any FileTransport
    /// Bytes asked of the transport per read: large, so requests stay in flight.
    static let chunkSize = 1 << 20

    /// The reading of `remotePath` (a directory, an S3 prefix) with the reader's `SourceFiles`
    /// and `DropZoneParams.remoteSpecs` params, over the connections `connect` makes to `location`.
    init(
        _ params: Params, remotePath: String, location: String,
        connect: @escaping @Sendable () throws(DropsyncError) -> any FileTransport
    ) throws(ParamError) {
        self.remotePath = remotePath
        order = try SourceFiles(params)
        dropZone = try DropZoneParams.settings(params, directory: remotePath, fileNamePattern: order.fileNamePattern)
        pollInterval = DropZoneParams.pollInterval(params)
        self.location = location
        self.connect = connect
    }

    /// Reads the files over one connection.
    func run(_ step: StepRun) async throws {
        do {
            let transport = try connect()
            let files = try step.job.explicitFiles.map { paths throws(DropsyncError) in try named(paths, transport) }
                ?? listing(transport, step)
            for file in files {
                if step.job.limit.isExhausted { return }
                guard try await send(file, from: transport, step) else { return }
            }
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }

    /// The regular files of `remotePath` that qualify, in the configured order; unsafe names are
    /// traced and passed over.
    private func listing(_ transport: any FileTransport, _ step: StepRun) throws(DropsyncError) -> [TransportEntry] {
        var byName: [String: TransportEntry] = [:]
        let refuse = { (name: String) in
            step.job.trace(.warning, "\(transport.location): refused the remote name \(name)", step: step.id)
        }
        try transport.list(remotePath, each: { entry in
            if entry.isRegularFile { byName[entry.name] = entry }
        }, refused: refuse)
        let names = order.chosen(Array(byName.keys), readiness: dropZone.readiness) { refuse($0.debugDescription) }
        return order.ordered(names.compactMap { byName[$0] }, name: \.name, modified: \.modified)
    }

    /// The files a job names, each a file of `remotePath` under a safe name.
    private func named(_ paths: [String], _ transport: any FileTransport) throws(DropsyncError) -> [TransportEntry] {
        var entries: [TransportEntry] = []
        for path in paths {
            let name = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
            guard FileNames.isSafe(name), transport.path(remotePath, name) == path else {
                throw DropsyncError("INVALID_PARAM", "\(path) is not a file of \(transport.location) \(remotePath)", file: path)
            }
            let status: TransportEntry?
            do {
                status = try transport.status(path)
            } catch {
                throw error.whileReading(path)
            }
            guard let entry = status else {
                throw DropsyncError("FILE_NOT_FOUND", "\(transport.location)\(Self.slash(path)) does not exist", file: path)
            }
            entries.append(TransportEntry(name: name, size: entry.size, modified: entry.modified, versionTag: entry.versionTag))
        }
        return entries
    }

    /// Sends one file downstream; false when the reader should stop. A listed file gone since the
    /// listing is traced and passed over; one that cannot be opened stops the reader
    /// (`SourceFiles.unreadable`), unless the server failed rather than the file.
    private func send(_ entry: TransportEntry, from transport: any FileTransport, _ step: StepRun) async throws -> Bool {
        let path = transport.path(remotePath, entry.name)
        // The location is the ledger's: the transport's, the path holding the directory.
        let info = FileInfo(name: entry.name, path: path, location: transport.location, size: entry.size, modified: entry.modified)
        let download: any TransportDownload
        do {
            download = try transport.open(path)
        } catch {
            if error.isAboutTheServer { throw error }
            guard error.code == "FILE_NOT_FOUND", step.job.explicitFiles == nil else { return SourceFiles.unreadable(info, error, step) }
            step.job.trace(.warning, "\(transport.location)\(Self.slash(path)) vanished before it was read", step: step.id)
            return true
        }
        return try await SourceFiles.send(info, step) { try download.read(upTo: Self.chunkSize) }
    }

    /// A remote path as it follows a location: with a leading slash.
    private static func slash(_ path: String) -> String { path.hasPrefix("/") ? path : "/" + path }
}

/// A remote reader that is its `RemoteReading`: its params make one, and the rest follows.
public protocol RemoteReadingComponent: RemoteDropZoneReader {
    var reading: RemoteReading { get }
}

extension RemoteReadingComponent {
    public var dropZone: DropZoneSettings { reading.dropZone }

    public var pollInterval: Duration { reading.pollInterval }

    public var location: String { reading.location }

    public func connect() throws(DropsyncError) -> any FileTransport { try reading.connect() }

    public func run(_ step: StepRun) async throws { try await reading.run(step) }
}
