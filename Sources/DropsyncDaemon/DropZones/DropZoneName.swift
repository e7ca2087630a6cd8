/// A file name as the kernel gives it (bytes), and as dropsync shows it: itself when it is valid
/// UTF-8 without control characters or backslashes, else escaped (`a\nb.csv`, `a\xFF.csv`,
/// `a\\b.csv`) and unusable.
struct DropZoneName: Hashable {
    let bytes: [UInt8]
    let shown: String
    /// Why the name itself makes the file unusable; nil for a usable name.
    let problem: String?

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if let name = String(validating: bytes, as: UTF8.self) {
            // A backslash would make a usable name look like an escaped one (`a\xFF.csv`).
            let problem = name.unicodeScalars.contains(where: Self.isControl) ? "the name contains control characters"
                : name.contains("\\") ? "the name contains a backslash" : nil
            shown = problem == nil ? name : Self.escaped(bytes)
            self.problem = problem
        } else {
            shown = Self.escaped(bytes)
            problem = "the name is not valid UTF-8"
        }
    }

    init(_ name: String) { self.init(bytes: Array(name.utf8)) }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }

    /// The bytes as text with `\n`, `\t`, `\r`, `\\` and `\xNN` for other control characters and
    /// for bytes that are not part of a valid UTF-8 sequence.
    static func escaped(_ bytes: [UInt8]) -> String {
        var shown = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(startingWith: bytes[index])
            if let length, index + length <= bytes.count,
               let piece = String(validating: bytes[index..<index + length], as: UTF8.self) {
                for scalar in piece.unicodeScalars {
                    switch scalar {
                    case "\n": shown += "\\n"
                    case "\t": shown += "\\t"
                    case "\r": shown += "\\r"
                    case "\\": shown += "\\\\"
                    case _ where isControl(scalar): shown += hexadecimal(UInt8(scalar.value))
                    default: shown.unicodeScalars.append(scalar)
                    }
                }
                index += length
            } else {
                shown += hexadecimal(bytes[index])
                index += 1
            }
        }
        return shown
    }

    private static func sequenceLength(startingWith byte: UInt8) -> Int? {
        switch byte {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: nil
        }
    }

    private static func hexadecimal(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
