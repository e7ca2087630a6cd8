import DropsyncCore
import Foundation
import Logging

/// One log message rendered as one line of text or of JSON (`StderrLogHandler`'s formats).
enum LogLine {
    /// `2026-11-29T07:00:00.123Z info  dataflow=acme-import job=12: message`: UTC time, the level
    /// padded to 5, `key=value` metadata, the message with its control characters escaped.
    static func text(time: Date, level: Logger.Level, message: String, metadata: [(key: String, value: Logger.MetadataValue)]) -> String {
        var line = UTCDateFormat.iso8601(time) + " " + level.rawValue.padding(toLength: max(5, level.rawValue.count), withPad: " ", startingAt: 0) + " "
        if !metadata.isEmpty {
            line += metadata.map { $0.key + "=" + quotedIfNeeded(LogMetadata.text($0.value)) }.joined(separator: " ") + ": "
        }
        return line + escapingControlCharacters(message) + "\n"
    }

    /// `{"time":…,"level":…,"message":…,<metadata>}`; a metadata key that would repeat one of the
    /// first three is written as `meta_<key>`.
    static func json(time: Date, level: Logger.Level, message: String, metadata: [(key: String, value: Logger.MetadataValue)]) -> [UInt8] {
        var record = Record(reservingCapacity: 3 + metadata.count)
        record.appendUnchecked("time", .string(UTCDateFormat.iso8601(time)))
        record.appendUnchecked("level", .string(level.rawValue))
        record.appendUnchecked("message", .string(message))
        for (key, value) in metadata {
            record.appendUnchecked(["time", "level", "message"].contains(key) ? "meta_" + key : key, LogMetadata.json(value))
        }
        var writer = JSONWriter()
        writer.write(record)
        return writer.bytes + [UInt8(ascii: "\n")]
    }

    /// `\n`, `\r`, `\t` and `\u{XX}` for control characters, so a message stays on its line.
    static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isControl(scalar): escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A metadata value in double quotes (with `"` and `\` escaped) when it is empty or holds a
    /// space, `"` or `=`, so `key=value` pairs stay unambiguous.
    private static func quotedIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else {
            return escapingControlCharacters(value)
        }
        let quoted = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escapingControlCharacters(quoted) + "\""
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
