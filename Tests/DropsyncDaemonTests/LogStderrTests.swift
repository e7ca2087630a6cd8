@testable import DropsyncDaemon
import DropsyncTesting
import Foundation
import Logging
import Testing

/// Readable and JSON lines on standard error (written to a file here).
@Suite struct LogStderrTests {
    let scratch = TemporaryDirectory("stderr")
    let output: OutputFile

    /// 2026-11-29T07:00:00.123Z
    static let time = Date(timeIntervalSince1970: 1_795_935_600.123)

    init() throws {
        output = try OutputFile(scratch.path + "/stderr")
    }

    func logger(_ style: StderrLogHandler.Style, level: Logger.Level = .trace) -> Logger {
        let handler = StderrLogHandler(level: level, style: style, output: output.log, clock: { Self.time })
        return Logger(label: "test") { _ in handler }
    }

    static let jobMetadata: Logger.Metadata = [
        "zone": "inbound", "code": "PARSE_ERROR", "file": "/srv/drop/a.csv", "attempt": "1", "job": "12", "dataflow": "acme-import",
    ]

    @Test("a text line has the UTC time, the padded level, the metadata in a stable order and the message")
    func textLine() {
        logger(.text).info("import failed", metadata: Self.jobMetadata)
        #expect(output.text() == """
            2026-11-29T07:00:00.123Z info  dataflow=acme-import job=12 file=/srv/drop/a.csv code=PARSE_ERROR attempt=1 zone=inbound: import failed

            """)
    }

    @Test("a text line without metadata is the time, the level and the message")
    func textWithoutMetadata() {
        logger(.text).notice("ready")
        #expect(output.text() == "2026-11-29T07:00:00.123Z notice ready\n")
    }

    @Test("levels are padded to five characters", arguments: [
        (Logger.Level.trace, "trace "), (.debug, "debug "), (.info, "info  "), (.notice, "notice "),
        (.warning, "warning "), (.error, "error "), (.critical, "critical "),
    ])
    func levelPadding(level: Logger.Level, shown: String) {
        logger(.text).log(level: level, "m")
        #expect(output.text() == "2026-11-29T07:00:00.123Z \(shown)m\n")
    }

    @Test("control characters in a message or a value are escaped, so each message stays one line", arguments: [
        ("two\nlines", "two\\nlines"), ("cr\r\n", "cr\\r\\n"), ("tab\there", "tab\\there"), ("bell\u{7}", "bell\\u{7}"),
    ])
    func escapedMessage(message: String, shown: String) {
        logger(.text).info("\(message)", metadata: ["file": "\(message)"])
        let text = output.text()
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.hasSuffix(": \(shown)\n"))
        #expect(text.contains("file=\(shown)") || text.contains("file=\"\(shown)\""))
    }

    @Test("a value that is empty or holds a space, a quote or = is quoted", arguments: [
        ("/srv/drop/a b.csv", "\"/srv/drop/a b.csv\""), ("", "\"\""), ("a=b", "\"a=b\""), ("say \"hi\"", "\"say \\\"hi\\\"\""), ("plain", "plain"),
        ("a b\nc", "\"a b\\nc\""),
    ])
    func quotedValue(value: String, shown: String) {
        logger(.text).info("m", metadata: ["file": "\(value)"])
        #expect(output.text() == "2026-11-29T07:00:00.123Z info  file=\(shown): m\n")
    }

    @Test("a JSON line has time, level and message first, then the metadata in the same order")
    func jsonLine() {
        logger(.json).error("import failed", metadata: Self.jobMetadata)
        #expect(output.text() == """
            {"time":"2026-11-29T07:00:00.123Z","level":"error","message":"import failed","dataflow":"acme-import",\
            "job":"12","file":"/srv/drop/a.csv","code":"PARSE_ERROR","attempt":"1","zone":"inbound"}

            """)
    }

    @Test("a JSON line keeps a multi-line message on one line, and lists and dictionaries as JSON")
    func jsonStructure() {
        logger(.json).info("two\nlines", metadata: ["steps": ["read", "parse"], "counts": ["in": "3", "out": "2"], "message": "shadowed"])
        #expect(output.text() == """
            {"time":"2026-11-29T07:00:00.123Z","level":"info","message":"two\\nlines",\
            "counts":{"in":"3","out":"2"},"meta_message":"shadowed","steps":["read","parse"]}

            """)
    }

    @Test("every message is its own line, in the order logged")
    func severalLines() {
        var logger = logger(.text, level: .info)
        logger[metadataKey: "dataflow"] = "acme-import"
        logger.info("job started", metadata: ["job": "1"])
        logger.debug("not shown")
        logger.info("job ended", metadata: ["job": "1"])
        #expect(output.text().split(separator: "\n") == [
            "2026-11-29T07:00:00.123Z info  dataflow=acme-import job=1: job started",
            "2026-11-29T07:00:00.123Z info  dataflow=acme-import job=1: job ended",
        ])
    }
}
