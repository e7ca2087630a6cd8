import DropsyncCore
import DropsyncStore
import Foundation
import Synchronization

/// A remote drop zone (SFTP, FTP, S3), polled every `pollInterval`: each listing is judged by a
/// `RemoteReadinessJudge`, and post-actions go through the same `FileTransport`.
///
/// Every call to the server runs on the zone's own serial queue (never on the cooperative pool)
/// over one connection, made again after any failure, so a slow partner holds up nobody else. A
/// poll that cannot connect is tried again with a growing delay (up to 16 poll intervals) and
/// reported once until it works again; a refused login, host key or certificate stops the polling
/// until the configuration is reloaded, since trying again cannot help.
final class RemoteDropZone: DropZoneAccess, @unchecked Sendable {
    let location: String
    private let reader: any RemoteDropZoneReader
    private let directory: String
    private let queue: DispatchQueue
    private let findingStream: AsyncStream<DropZoneFinding>
    private let findingContinuation: AsyncStream<DropZoneFinding>.Continuation
    private let problemStream: AsyncStream<DropZoneProblem>
    private let problemContinuation: AsyncStream<DropZoneProblem>.Continuation
    private let polling = Mutex<Task<Void, Never>?>(nil)
    // Used on `queue` only.
    private var transport: (any FileTransport)?
    private var judge: RemoteReadinessJudge

    init(reader: any RemoteDropZoneReader) {
        self.reader = reader
        location = reader.location
        directory = reader.dropZone.directory
        queue = DispatchQueue(label: "dropsync remote drop zone \(reader.location)")
        judge = RemoteReadinessJudge(settings: reader.dropZone)
        (findingStream, findingContinuation) = AsyncStream.makeStream(of: DropZoneFinding.self)
        (problemStream, problemContinuation) = AsyncStream.makeStream(of: DropZoneProblem.self, bufferingPolicy: .bufferingNewest(100))
    }

    func findings() -> AsyncStream<DropZoneFinding> {
        polling.withLock { task in
            guard task == nil else { return }
            task = Task { await self.poll() }
        }
        return findingStream
    }

    func problems() -> AsyncStream<DropZoneProblem> { problemStream }

    func stop() {
        polling.withLock { $0?.cancel() }
        findingContinuation.finish()
        problemContinuation.finish()
    }

    private func poll() async {
        var failures = 0
        let shown = location + (directory.hasPrefix("/") ? "" : "/") + directory
        while !Task.isCancelled {
            do {
                try await listOnce()
                if failures > 0 { problemContinuation.yield(.recovered(directory: shown)) }
                failures = 0
            } catch {
                failures += 1
                if DropsyncError.refusalCodes.contains(error.code) {  // polling again cannot cure it
                    problemContinuation.yield(.refused(directory: shown, reason: error.description))
                    return
                }
                if failures == 1 { problemContinuation.yield(.unavailable(directory: shown, reason: "cannot be listed: \(error)")) }
            }
            try? await Task.sleep(for: reader.pollInterval * (1 << min(max(failures - 1, 0), 4)))
        }
    }

    /// Lists the directory and yields what the judge finds.
    private func listOnce() async throws(DropsyncError) {
        let findings = try await onQueue { transport throws(DropsyncError) in
            var files: [String: TransportEntry] = [:]
            try transport.list(self.directory, each: { entry in
                if entry.isRegularFile { files[entry.name] = entry }
            }, refused: { _ in })
            return self.judge.judge(files, path: { transport.path(self.directory, $0) }, now: Date().timeIntervalSince1970)
        }
        for finding in findings { findingContinuation.yield(finding) }
    }

    func isPresent(_ file: DropZoneFile) async throws(DropsyncError) -> Bool {
        let entry = try await onQueue { transport throws(DropsyncError) in try transport.status(file.path) }
        return entry?.size == file.size && entry?.modified == file.modified
    }

    func contentHash(_ path: String) async -> String? {
        try? await onQueue { transport throws(DropsyncError) in
            let download = try transport.open(path)
            var hash = SHA256()
            while true {
                let chunk = try download.read(upTo: 1 << 20)
                if chunk.isEmpty { return hash.finalize() }
                hash.update(chunk)
            }
        }
    }

    func delete(_ path: String) async throws(DropsyncError) {
        try await onQueue { transport throws(DropsyncError) in try transport.remove(path) }
    }

    func move(_ path: String, into directory: String) async throws(DropsyncError) -> String {
        try await onQueue { transport throws(DropsyncError) in
            let name = String(path.split(separator: "/").last ?? "")
            let target = try PostActions.freeName(for: name, in: directory) { candidate throws(DropsyncError) in
                try transport.status(candidate) != nil
            }
            try transport.rename(path, to: target)
            return target
        }
    }

    /// Runs `body` on the queue with the connection, connecting first when there is none; a
    /// failure drops the connection, so the next call connects anew.
    private func onQueue<Value: Sendable>(
        _ body: @escaping @Sendable (any FileTransport) throws(DropsyncError) -> Value
    ) async throws(DropsyncError) -> Value {
        let result: Result<Value, DropsyncError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(DropsyncError) {
                    let connected: any FileTransport
                    if let transport = self.transport {
                        connected = transport
                    } else {
                        connected = try self.reader.connect()
                    }
                    self.transport = connected
                    continuation.resume(returning: .success(try body(connected)))
                } catch {
                    self.transport = nil
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
