@testable import DropsyncDaemon
import DropsyncCore
import Foundation
import Testing

/// One ended job and the outcome the rule gives one of its files.
struct FileOutcomeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let status: JobStatus
    /// The path the failure names, if any.
    let failureFile: String?
    /// The files the job started (read).
    let started: [String]
    let committed: [String]
    let file: String
    let outcome: FileOutcome

    var testDescription: String { name }
}

private let given = ["/in/a.csv", "/in/b.csv", "/in/c.csv"]

private let fileOutcomeCases: [FileOutcomeCase] = [
    FileOutcomeCase(name: "a succeeded job: a file it read succeeded", status: .succeeded, failureFile: nil,
                    started: given, committed: [], file: "/in/b.csv", outcome: .succeeded),
    FileOutcomeCase(name: "a succeeded job: a file it did not read is unread", status: .succeeded, failureFile: nil,
                    started: ["/in/a.csv"], committed: [], file: "/in/c.csv", outcome: .unread),
    FileOutcomeCase(name: "a failed job: a committed file succeeded", status: .failed, failureFile: "/in/b.csv",
                    started: given, committed: ["/in/a.csv"], file: "/in/a.csv", outcome: .succeeded),
    FileOutcomeCase(name: "a failed job: the file the failure names failed", status: .failed, failureFile: "/in/b.csv",
                    started: given, committed: ["/in/a.csv"], file: "/in/b.csv", outcome: .failed),
    FileOutcomeCase(name: "a failed job: a file read after the named one was not reached", status: .failed, failureFile: "/in/b.csv",
                    started: given, committed: ["/in/a.csv"], file: "/in/c.csv", outcome: .notReached),
    FileOutcomeCase(name: "a failure naming no file of the job fails a file it read", status: .failed, failureFile: "/out/x.csv",
                    started: ["/in/a.csv"], committed: [], file: "/in/a.csv", outcome: .failed),
    FileOutcomeCase(name: "a failure naming no file of the job leaves a file it did not read", status: .failed, failureFile: nil,
                    started: ["/in/a.csv"], committed: [], file: "/in/b.csv", outcome: .notReached),
    FileOutcomeCase(name: "a job that failed before reading anything fails every file", status: .failed, failureFile: nil,
                    started: [], committed: [], file: "/in/b.csv", outcome: .failed),
    FileOutcomeCase(name: "a cancelled job: a committed file succeeded", status: .cancelled, failureFile: nil,
                    started: given, committed: ["/in/a.csv"], file: "/in/a.csv", outcome: .succeeded),
    FileOutcomeCase(name: "a cancelled job: an uncommitted file was not reached", status: .cancelled, failureFile: nil,
                    started: given, committed: ["/in/a.csv"], file: "/in/b.csv", outcome: .notReached),
]

@Suite struct FileOutcomeTests {
    @Test("the ledger's rule for each file of an ended job", arguments: fileOutcomeCases)
    func outcome(_ testCase: FileOutcomeCase) {
        func info(_ path: String) -> FileInfo {
            FileInfo(name: (path as NSString).lastPathComponent, path: path, location: "local:/in")
        }
        var report = JobReport(
            id: "1", dataflow: "people", trigger: "test", status: testCase.status, startedAt: Date(),
            files: testCase.started.map(info))
        report.failureFile = testCase.failureFile
        let judge = FileOutcome.Judge(report, files: given, committed: Set(testCase.committed.map(info)))
        #expect(judge.outcome(of: testCase.file) == testCase.outcome)
    }

    @Test("a failure is worth another try when it names no file of the job, or its code is transient", arguments: [
        ("/in/b.csv", "GZIP_TRUNCATED", false), ("/in/b.csv", "SFTP_FAILED", true),
        ("/out/x.csv", "GZIP_TRUNCATED", true), (nil, "INVALID_HEADER", true),
    ])
    func transient(failureFile: String?, code: String, isTransient: Bool) {
        var report = JobReport(id: "1", dataflow: "people", trigger: "test", status: .failed, startedAt: Date())
        report.failureFile = failureFile
        report.failureCode = code
        #expect(FileOutcome.Judge(report, files: given, committed: []).failureIsTransient == isTransient)
    }
}
