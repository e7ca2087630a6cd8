import DropsyncCore
import DropsyncStore
import Logging

/// What becomes of a settled file: archived, deleted or quarantined as the reader's params say,
/// with its own done marker removed; a post-action that fails is retried with growing delays.
extension DataflowWorker {
    /// Archives, deletes or quarantines a settled file that is still in the drop zone, as the
    /// reader's params say. A failed move, or a server that cannot say whether the file is still
    /// there, is noted apart from the file's error (`postActionProblem`) and tried again later,
    /// each time after twice the wait (at most an hour); the data is never read again for it.
    func finishPostAction(_ file: DropZoneFile) async {
        // Only the version the ledger settled: a new file under the same name waits for its own job.
        guard let entry = try? ledger.entry(location: file.location, path: file.path), entry.status.isSettled,
              entry.size == file.size, entry.modified == file.modified else { return }
        do {
            if try await performPostAction(file, entry) { await removeDoneMarker(of: file) }
            postActionRetries.ended(file.path)
            if let problem = entry.postActionProblem {
                try? await ledger.notePostAction(location: file.location, path: file.path, problem: nil)
                logger.info("the post-action of \(file.path) succeeded (it had failed: \(problem))", metadata: ["file": "\(file.path)"])
            }
        } catch {
            await postActionFailed(file, problem: (error as? DropsyncError)?.message ?? "\(error)")
        }
    }

    /// Does the post-action the entry's status calls for; returns whether the file left the drop zone.
    private func performPostAction(_ file: DropZoneFile, _ entry: LedgerEntry) async throws -> Bool {
        let jobID = entry.job ?? "0"
        switch (entry.status, zone.afterSuccess, zone.afterFailure) {
        case (.succeeded, .delete, _):
            guard try await access.isPresent(file) else { return false }
            try await access.delete(file.path)
        case (.succeeded, .archive(let path), _):
            guard try await access.isPresent(file) else { return false }
            let target = try await access.move(file.path, into: PostActions.directory(path, jobID: jobID, for: file.path))
            try await ledger.settle(file, status: .succeeded, movedTo: target)
        case (.failed, _, .quarantine(let path)), (.quarantined, _, .quarantine(let path)):
            guard try await access.isPresent(file) else { return false }
            let target = try await access.move(file.path, into: PostActions.directory(path, jobID: jobID, for: file.path))
            try await ledger.settle(file, status: .quarantined, movedTo: target)
            logger.warning("\(file.path) quarantined to \(target)", metadata: ["file": "\(file.path)"])
        default:
            return false
        }
        return true
    }

    /// Notes the problem (the file's error stays the job's), logs it as an error when it is new
    /// (at debug level when it repeats), and tries again after the next delay.
    private func postActionFailed(_ file: DropZoneFile, problem: String) async {
        let failure = postActionRetries.failed(file.path, problem: problem)
        let metadata: Logger.Metadata = ["file": "\(file.path)", "code": "POST_ACTION_FAILED"]
        if failure.isNew {
            logger.error("post-action failed, will retry in \(failure.delay): \(problem)", metadata: metadata)
        } else {
            logger.debug("post-action still failing (attempt \(failure.count)), will retry in \(failure.delay): \(problem)", metadata: metadata)
        }
        try? await ledger.notePostAction(location: file.location, path: file.path, problem: problem)
        Task { [weak self] in
            try? await Task.sleep(for: failure.delay)
            await self?.finishPostAction(file)
        }
    }

    /// Removes the file's own done marker once the file left the drop zone, so that a new delivery
    /// under the same name waits for a marker of its own. A marker that cannot be removed is only
    /// logged: being older than the next file of that name, it does not release it.
    private func removeDoneMarker(of file: DropZoneFile) async {
        guard let marker = PostActions.doneMarkerPath(of: file.path, readiness: zone.readiness) else { return }
        do {
            try await access.delete(marker)
        } catch {
            logger.warning("cannot remove the done marker \(marker): \(error.message)", metadata: ["file": "\(file.path)"])
        }
    }
}
