import DropsyncCore

/// What a job did to one of its files: the one rule by which `dropsync run` and the daemon
/// record each file in the ledger after the job.
enum FileOutcome: Sendable, Hashable {
    /// Its writes were committed (even when a later file failed the job), or the job succeeded
    /// having read it.
    case succeeded
    /// The job failed on it: the failure names it, or names none of the job's files and the job
    /// had started this one (or none at all: its drop zone could not be reached).
    case failed
    /// The job succeeded without reading it.
    case unread
    /// The job ended before processing it (it failed on another file, or was cancelled): the
    /// file is as it was before the job.
    case notReached

    /// Failure codes worth another try of the file: the file or the machine may be fine a little
    /// later. Network trouble is among them (`CONNECTION_FAILED`, …); a refused login, host key
    /// or certificate is not.
    static let transientCodes: Set = [
        "FILE_UNREADABLE", "IO_ERROR", "DISK_FULL", "DATABASE_ERROR", "STEP_FAILED", "JOB_FAILED",
        "CONNECTION_FAILED", "TRANSFER_FAILED", "SFTP_FAILED", "SSH_FAILED", "SSH_HANDSHAKE_FAILED",
    ]

    /// Judges the files of one ended job.
    struct Judge: Sendable {
        let report: JobReport
        let committed: Set<String>
        let started: Set<String>
        /// Whether the failure names one of the job's files, rather than a writer's output file,
        /// the store or a server.
        let failureIsAFile: Bool

        /// - Parameters:
        ///   - files: the paths of the files the job was given (the daemon's claimed files), or
        ///     those it read (`dropsync run`).
        ///   - committed: the files whose writes were committed (`JobContext.committedSources`).
        init(_ report: JobReport, files: [String], committed: Set<FileInfo>) {
            self.report = report
            self.committed = Set(committed.map(\.path))
            started = Set(report.files.map(\.path))
            failureIsAFile = report.failureFile.map(files.contains) ?? false
        }

        /// Whether a file that failed with this job is worth another try: the failure names none
        /// of the job's files (a writer's output file, the store, a server), or is transient.
        var failureIsTransient: Bool {
            !failureIsAFile || FileOutcome.transientCodes.contains(report.failureCode ?? "JOB_FAILED")
        }

        func outcome(of path: String) -> FileOutcome {
            if committed.contains(path) || (report.status == .succeeded && started.contains(path)) { return .succeeded }
            switch report.status {
            case .succeeded:
                return .unread
            case .failed where report.failureFile == path || (!failureIsAFile && (started.contains(path) || started.isEmpty)):
                return .failed
            case .failed, .cancelled, .running:
                return .notReached
            }
        }
    }
}
