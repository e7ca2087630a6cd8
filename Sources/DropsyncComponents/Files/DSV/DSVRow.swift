/// One row the `DSVTokenizer` found: its fields' bytes (quotes removed, doubled quotes and escapes
/// resolved), its raw text and the physical line it started on.
///
/// A row is a view into the tokenizer's buffers: its pointers are valid only inside the callback
/// that received it. Copy what you keep.
public struct DSVRow {
    /// What made a row unusable as data.
    public enum Problem: Sendable, Hashable {
        /// The file ended inside a quoted field.
        case unterminatedQuote
        /// The row contains a NUL byte.
        case nulByte
    }

    /// Where one field's bytes are: in the raw row, or in the tokenizer's scratch buffer when
    /// quotes or escapes had to be resolved.
    struct Span {
        var start: Int
        var end: Int
        var inScratch: Bool
    }

    /// The 1-based physical line the row starts on.
    public let lineNumber: Int
    public let problem: Problem?
    /// The row's bytes as they are in the file, without its terminator.
    public let rawBytes: UnsafeBufferPointer<UInt8>
    let scratch: UnsafeBufferPointer<UInt8>
    let spans: UnsafeBufferPointer<Span>

    /// The number of fields.
    public var count: Int { spans.count }

    /// The bytes of field `index` (0-based), unquoted and unescaped.
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let span = spans[index]
        let source = span.inScratch ? scratch : rawBytes
        return UnsafeBufferPointer(start: source.baseAddress.map { $0 + span.start }, count: span.end - span.start)
    }
}
