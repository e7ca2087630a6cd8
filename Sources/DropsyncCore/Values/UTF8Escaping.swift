/// Text for bytes that may not be valid UTF-8, for error reports: where a replacement character
/// would lose the byte, it is shown as `\xNN`.
public enum UTF8Escaping {
    /// One step through the bytes: a valid scalar, or one byte of an ill-formed sequence.
    public enum Piece {
        case scalar(Unicode.Scalar)
        case invalid(UInt8)
    }

    /// Calls `body` with each piece of the bytes, in order, with the piece's byte offset.
    public static func forEachPiece(_ bytes: some Collection<UInt8>, _ body: (Piece, Int) -> Void) {
        let bytes = Array(bytes)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                body(.scalar(Unicode.UTF8.decode(encoded)), offset)
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] {
                    body(.invalid(byte), offset)
                    offset += 1
                }
            case .emptyInput:
                return
            }
        }
    }

    /// The bytes as text: valid UTF-8 as it is, each byte of an ill-formed sequence as `\xNN`.
    public static func showingInvalidBytes(_ bytes: some Collection<UInt8>) -> String {
        var text = ""
        forEachPiece(bytes) { piece, _ in
            switch piece {
            case .scalar(let scalar): text.unicodeScalars.append(scalar)
            case .invalid(let byte): text += hexadecimal(byte)
            }
        }
        return text
    }

    /// The offset and value of the first byte that is not part of a valid UTF-8 sequence.
    public static func firstInvalidByte(_ bytes: some Collection<UInt8>) -> (offset: Int, byte: UInt8)? {
        var found: (offset: Int, byte: UInt8)?
        forEachPiece(bytes) { piece, offset in
            if found == nil, case .invalid(let byte) = piece { found = (offset, byte) }
        }
        return found
    }

    /// `\xNN`, upper-case.
    public static func hexadecimal(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
