/// Cuts a JSON file arriving in chunks into the texts of its records, without holding the file.
///
/// The first byte that is not white space decides the layout: `[` makes it one JSON array whose
/// elements are the records; anything else makes it JSON lines, one record per non-blank line.
/// A UTF-8 byte order mark at the start is skipped. The splitter only finds boundaries (tracking
/// strings, escapes and nesting); `JSONParser` checks each piece. Structural faults of an array
/// (a missing value, text after the closing `]`, an unterminated array) throw `StructureError`.
struct JSONStreamSplitter {
    enum Layout { case undecided, array, lines }

    /// The text of one record and the line (1-based) where it starts.
    struct Piece {
        var bytes: ArraySlice<UInt8>
        var line: Int
    }

    struct StructureError: Error {
        var message: String
        var line: Int
    }

    private enum ArrayState { case beforeArray, beforeFirstElement, afterComma, inElement, afterArray }

    private(set) var layout = Layout.undecided
    private var arrayState = ArrayState.beforeArray
    /// Bytes not yet handed out; `pending[..<scanned]` has been looked at.
    private var pending: [UInt8] = []
    private var scanned = 0
    /// Where the current piece starts in `pending`, and on which line.
    private var pieceStart = 0
    private var pieceLine = 1
    /// The line of the byte at `scanned`.
    private var line = 1
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var checkedByteOrderMark = false

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Takes the next chunk; returns the pieces it completed.
    mutating func feed(_ chunk: [UInt8]) throws(StructureError) -> [Piece] {
        pending.append(contentsOf: chunk)
        return try scan(atEnd: false)
    }

    /// Ends the file; returns the last piece, if any. Throws when an array is not closed.
    mutating func finish() throws(StructureError) -> [Piece] {
        let pieces = try scan(atEnd: true)
        if layout == .array, arrayState != .afterArray {
            throw StructureError(message: "the array is not closed with ']'", line: line)
        }
        return pieces
    }

    private mutating func scan(atEnd: Bool) throws(StructureError) -> [Piece] {
        if layout == .undecided { decideLayout(atEnd: atEnd) }
        var pieces: [Piece] = []
        switch layout {
        case .undecided: return []
        case .lines: scanLines(atEnd: atEnd, into: &pieces)
        case .array: try scanArray(into: &pieces)
        }
        discardConsumed()
        return pieces
    }

    private mutating func decideLayout(atEnd: Bool) {
        if !checkedByteOrderMark {
            if pending.count < Self.byteOrderMark.count, !atEnd, Self.byteOrderMark.starts(with: pending) { return }
            if pending.starts(with: Self.byteOrderMark) { pending.removeFirst(Self.byteOrderMark.count) }
            checkedByteOrderMark = true
        }
        guard let first = pending.first(where: { !Self.isWhiteSpace($0) }) else { return }
        layout = first == UInt8(ascii: "[") ? .array : .lines
    }

    private mutating func scanLines(atEnd: Bool, into pieces: inout [Piece]) {
        while let newline = pending[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
            appendLine(upTo: newline, into: &pieces)
            scanned = newline + 1
            line += 1
            pieceStart = scanned
            pieceLine = line
        }
        scanned = pending.count
        if atEnd { appendLine(upTo: pending.count, into: &pieces) }
    }

    private func appendLine(upTo end: Int, into pieces: inout [Piece]) {
        var text = pending[pieceStart..<end]
        if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
        if text.contains(where: { !Self.isWhiteSpace($0) }) { pieces.append(Piece(bytes: text, line: pieceLine)) }
    }

    private mutating func scanArray(into pieces: inout [Piece]) throws(StructureError) {
        while scanned < pending.count {
            let byte = pending[scanned]
            if arrayState == .inElement {
                stepInElement(byte, into: &pieces)
            } else if !Self.isWhiteSpace(byte) {
                try stepBetweenElements(byte, into: &pieces)
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            scanned += 1
        }
    }

    private mutating func stepBetweenElements(_ byte: UInt8, into pieces: inout [Piece]) throws(StructureError) {
        switch (arrayState, byte) {
        case (.beforeArray, UInt8(ascii: "[")):
            arrayState = .beforeFirstElement
        case (.beforeFirstElement, UInt8(ascii: "]")):
            arrayState = .afterArray
        case (.afterComma, UInt8(ascii: "]")), (.afterComma, UInt8(ascii: ",")), (.beforeFirstElement, UInt8(ascii: ",")):
            throw StructureError(message: "expected a value before '\(Character(UnicodeScalar(byte)))'", line: line)
        case (.afterArray, _):
            throw StructureError(message: "unexpected text after the closing ']'", line: line)
        default:
            arrayState = .inElement
            pieceStart = scanned
            pieceLine = line
            depth = 0
            inString = false
            escaped = false
            stepInElement(byte, into: &pieces)
        }
    }

    private mutating func stepInElement(_ byte: UInt8, into pieces: inout [Piece]) {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
        case UInt8(ascii: "]") where depth == 0, UInt8(ascii: ",") where depth == 0:
            pieces.append(Piece(bytes: pending[pieceStart..<scanned], line: pieceLine))
            arrayState = byte == UInt8(ascii: ",") ? .afterComma : .afterArray
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            // An unbalanced '}' stays in the piece, where the parser reports it.
            if depth > 0 { depth -= 1 }
        default:
            break
        }
    }

    /// Drops the bytes no piece needs any more, keeping memory to about one record.
    private mutating func discardConsumed() {
        let keepFrom = (layout == .lines || arrayState == .inElement) ? pieceStart : scanned
        guard keepFrom > 0 else { return }
        pending.removeFirst(keepFrom)
        scanned -= keepFrom
        pieceStart -= keepFrom
    }

    private static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
