@testable import DropsyncDaemon
import DropsyncTesting
import Foundation
import Logging
import Testing

/// Which handler `--log-format` (and `auto`'s look at the journal) gives.
@Suite struct LogFormatTests {
    let scratch = TemporaryDirectory("log-format")

    /// A file standing for standard error, and `JOURNAL_STREAM` naming it.
    func stream() throws -> (output: OutputFile, journalStream: String) {
        let output = try OutputFile(scratch.path + "/stream")
        var status = stat()
        try #require(stat(output.path, &status) == 0)
        return (output, "\(status.st_dev):\(status.st_ino)")
    }

    func descriptor(of output: OutputFile) -> Int32 { open(output.path, O_RDONLY | O_CLOEXEC) }

    @Test("auto picks the journal when stderr is the stream JOURNAL_STREAM names and the socket exists")
    func autoJournal() throws {
        let (output, journalStream) = try stream()
        let receiver = try DatagramReceiver(path: scratch.path + "/journal.socket")
        let errorOutput = descriptor(of: output)
        defer { close(errorOutput) }
        #expect(DaemonLogging.resolved(.auto, environment: ["JOURNAL_STREAM": journalStream], errorOutput: errorOutput, journalSocket: receiver.address) == .journal)
    }

    @Test("auto picks text when stderr is another stream, JOURNAL_STREAM is unset or the socket is missing")
    func autoText() throws {
        let (output, journalStream) = try stream()
        let receiver = try DatagramReceiver(path: scratch.path + "/journal.socket")
        let errorOutput = descriptor(of: output)
        defer { close(errorOutput) }
        #expect(DaemonLogging.resolved(.auto, environment: ["JOURNAL_STREAM": "1:2"], errorOutput: errorOutput, journalSocket: receiver.address) == .text)
        #expect(DaemonLogging.resolved(.auto, environment: [:], errorOutput: errorOutput, journalSocket: receiver.address) == .text)
        #expect(DaemonLogging.resolved(.auto, environment: ["JOURNAL_STREAM": journalStream], errorOutput: errorOutput, journalSocket: scratch.path + "/none") == .text)
    }

    @Test("an explicit format is kept", arguments: [LogFormat.journal, .text, .json])
    func explicit(format: LogFormat) {
        #expect(DaemonLogging.resolved(format, environment: [:], errorOutput: STDERR_FILENO, journalSocket: "/nonexistent") == format)
    }

    @Test("makeHandler gives the handler of the format, at the level asked")
    func handlers() throws {
        let receiver = try DatagramReceiver(path: scratch.path + "/journal.socket")
        let journal = DaemonLogging.makeHandler(label: "t", format: .journal, level: .notice, journalSocket: receiver.address)
        #expect(journal is JournaldLogHandler)
        #expect(journal.logLevel == .notice)
        #expect(DaemonLogging.makeHandler(label: "t", format: .json, level: .info, journalSocket: receiver.address) is StderrLogHandler)
        #expect(DaemonLogging.makeHandler(label: "t", format: .text, level: .info, journalSocket: receiver.address) is StderrLogHandler)
    }

    @Test("a journal socket that is no address falls back to text on stderr")
    func unusableJournal() {
        #expect(DaemonLogging.makeHandler(label: "t", format: .journal, level: .info, journalSocket: "relative/socket") is StderrLogHandler)
    }
}
