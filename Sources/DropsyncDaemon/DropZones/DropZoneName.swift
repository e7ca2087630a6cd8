import DropsyncCore

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
        UTF8Escaping.forEachPiece(bytes) { piece, _ in
            switch piece {
            case .scalar("\n"): shown += "\\n"
            case .scalar("\t"): shown += "\\t"
            case .scalar("\r"): shown += "\\r"
            case .scalar("\\"): shown += "\\\\"
            case .scalar(let scalar) where isControl(scalar): shown += UTF8Escaping.hexadecimal(UInt8(scalar.value))
            case .scalar(let scalar): shown.unicodeScalars.append(scalar)
            case .invalid(let byte): shown += UTF8Escaping.hexadecimal(byte)
            }
        }
        return shown
    }
}
