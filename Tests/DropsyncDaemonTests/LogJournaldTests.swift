@testable import DropsyncDaemon
import DropsyncTesting
import Foundation
import Logging
import Testing

/// Entries in journald's native protocol, received on a socket the test binds as journald would.
@Suite struct LogJournaldTests {
    let scratch = TemporaryDirectory("journal")
    let journal: DatagramReceiver

    init() throws {
        journal = try DatagramReceiver(path: scratch.path + "/journal.socket")
    }

    func logger(level: Logger.Level = .trace) -> Logger {
        let handler = DaemonLogging.makeHandler(label: "test", format: .journal, level: level, journalSocket: journal.address)
        return Logger(label: "test") { _ in handler }
    }

    /// The one entry received, as name → values.
    func entry() throws -> [String: [String]] {
        let datagrams = journal.received()
        try #require(datagrams.count == 1, "\(datagrams.count) datagrams")
        let fields = try #require(NativeProtocol.fields(datagrams[0]), "not in the native protocol")
        return Dictionary(grouping: fields, by: \.name).mapValues { $0.map(\.value) }
    }

    @Test("an entry has the message, its priority, the identifier, the code location and the daemon's fields")
    func fields() throws {
        logger().error(
            "import failed", metadata: ["dataflow": "acme-import", "job": "12", "step": "parse", "file": "/srv/drop/a.csv", "code": "PARSE_ERROR"],
            file: "DropsyncDaemon/Daemon.swift", function: "run()", line: 42)
        let entry = try entry()
        #expect(entry == [
            "MESSAGE": ["import failed"], "PRIORITY": ["3"], "SYSLOG_IDENTIFIER": ["dropsync"],
            "CODE_FILE": ["DropsyncDaemon/Daemon.swift"], "CODE_LINE": ["42"], "CODE_FUNC": ["run()"],
            "DATAFLOW": ["acme-import"], "JOB_ID": ["12"], "STEP": ["parse"], "FILE": ["/srv/drop/a.csv"], "ERROR_CODE": ["PARSE_ERROR"],
        ])
    }

    @Test("a multi-line message is sent in the binary-safe form")
    func multiLine() throws {
        logger().warning("first line\nsecond line\n")
        let datagram = try #require(journal.received().first)
        let length = withUnsafeBytes(of: UInt64(23).littleEndian, Array.init)
        #expect(datagram.starts(with: Array("MESSAGE\n".utf8) + length + Array("first line\nsecond line\n\n".utf8)))
        #expect(NativeProtocol.fields(datagram)?.first { $0.name == "MESSAGE" }?.value == "first line\nsecond line\n")
    }

    @Test("swift-log levels become syslog priorities", arguments: [
        (Logger.Level.trace, "7"), (.debug, "7"), (.info, "6"), (.notice, "5"), (.warning, "4"), (.error, "3"), (.critical, "2"),
    ])
    func priority(level: Logger.Level, priority: String) throws {
        logger().log(level: level, "message")
        #expect(try entry()["PRIORITY"] == [priority])
    }

    @Test("metadata keys become journal field names", arguments: [
        ("dataflow", "DATAFLOW"), ("job", "JOB_ID"), ("step", "STEP"), ("file", "FILE"), ("code", "ERROR_CODE"),
        ("attempt", "ATTEMPT"), ("retry-after.seconds", "RETRY_AFTER_SECONDS"), ("zoneÄ", "ZONE_"),
        ("message", "META_MESSAGE"), ("priority", "META_PRIORITY"), ("2fa", "META_2FA"), ("_pid", "META__PID"),
        (String(repeating: "k", count: 80), String(repeating: "K", count: 64)),
    ])
    func fieldName(key: String, field: String) {
        #expect(JournalEntry.fieldName(forMetadataKey: key) == field)
    }

    @Test("the logger's metadata and the message's are merged, the message's winning")
    func mergedMetadata() throws {
        var logger = logger()
        logger[metadataKey: "dataflow"] = "acme-import"
        logger[metadataKey: "job"] = "7"
        logger.info("claimed", metadata: ["job": "8", "attempt": "2"])
        let entry = try entry()
        #expect(entry["DATAFLOW"] == ["acme-import"])
        #expect(entry["JOB_ID"] == ["8"])
        #expect(entry["ATTEMPT"] == ["2"])
    }

    @Test("a message below the handler's level is not sent")
    func belowLevel() {
        logger(level: .info).debug("details")
        #expect(journal.received().isEmpty)
    }

    @Test("an entry too large for one datagram is sent cut, with a note of its size")
    func tooLarge() throws {
        let message = String(repeating: "é", count: 512 * 1024)
        logger().info("\(message)", metadata: ["dataflow": "acme-import"])
        let entry = try entry()
        let sent = try #require(entry["MESSAGE"]?.first)
        #expect(sent.hasPrefix("éééé"))
        #expect(sent.hasSuffix(" [truncated: \(message.utf8.count) bytes in all]"))
        #expect(sent.utf8.count < 100 * 1024)
        #expect(entry["DATAFLOW"] == ["acme-import"])
    }

    @Test("when journald cannot be reached the message goes to the fallback output as text")
    func unreachable() throws {
        let connection = try #require(JournalConnection(path: scratch.path + "/no-journal"))
        let output = try OutputFile(scratch.path + "/stderr")
        let handler = JournaldLogHandler(level: .info, journal: connection, fallbackOutput: output.log)
        Logger(label: "test") { _ in handler }.error("store locked", metadata: ["code": "STORE_LOCKED"])
        let text = output.text()
        #expect(text.hasSuffix(" error code=STORE_LOCKED: store locked\n"))
    }
}

/// Reads journald's native protocol back: `NAME=value\n`, or `NAME\n`, a 64-bit little-endian
/// length, the value and `\n`. Nil for anything else.
enum NativeProtocol {
    static func fields(_ bytes: [UInt8]) -> [(name: String, value: String)]? {
        var fields: [(name: String, value: String)] = []
        var position = 0
        while position < bytes.count {
            guard let end = bytes[position...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) else { return nil }
            let name = String(decoding: bytes[position..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                guard let newline = bytes[end...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                fields.append((name, String(decoding: bytes[(end + 1)..<newline], as: UTF8.self)))
                position = newline + 1
            } else {
                guard end + 9 <= bytes.count else { return nil }
                let length = bytes[(end + 1)..<(end + 9)].reversed().reduce(0) { $0 << 8 | Int($1) }
                let start = end + 9
                guard start + length < bytes.count, bytes[start + length] == UInt8(ascii: "\n") else { return nil }
                fields.append((name, String(decoding: bytes[start..<(start + length)], as: UTF8.self)))
                position = start + length + 1
            }
        }
        return fields
    }
}

/// A file a handler writes its lines to, read back by the test.
final class OutputFile {
    let path: String
    let log: LogOutput
    private let descriptor: Int32

    init(_ path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        log = LogOutput(descriptor: descriptor)
    }

    deinit { close(descriptor) }

    func text() -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
