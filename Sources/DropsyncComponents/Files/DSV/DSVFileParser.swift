import DropsyncCore

/// Parses one file, chunk by chunk: charset decoding, tokenizing, record building. The step takes
/// the finished batches and rejections after each chunk.
struct DSVFileParser {
    let file: FileInfo
    private var decoder: CharsetDecoder
    private var tokenizer: DSVTokenizer
    private var builder: DSVRecordBuilder

    init(
        file: FileInfo, charset: DSVCharset, tokenizer options: DSVTokenizer.Options, records settings: DSVRecordSettings,
        limit: RecordLimit? = nil
    ) {
        self.file = file
        decoder = CharsetDecoder(charset)
        tokenizer = DSVTokenizer(options)
        builder = DSVRecordBuilder(file: file, settings: settings, limit: limit)
    }

    mutating func consume(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { bytes in
            switch decoder.decode(bytes) {
            case .unchanged(let start): tokenize(UnsafeRawBufferPointer(rebasing: bytes[start...]))
            case .converted(let converted): converted.withUnsafeBytes { tokenize($0) }
            }
        }
    }

    mutating func finish() {
        decoder.finish().withUnsafeBytes { tokenize($0) }
        tokenizer.finish { row in builder.add(row) }
        builder.endOfFile()
    }

    private mutating func tokenize(_ utf8: UnsafeRawBufferPointer) {
        builder.isFromUTF16 = decoder.isUTF16
        tokenizer.consume(utf8) { row in builder.add(row) }
    }

    /// A row longer than this fails the file (`ROW_TOO_LONG`): an unclosed quote near the start
    /// of a large file would otherwise hold the rest of the file in memory.
    static let maximumRowBytes = 16 * 1024 * 1024

    var failure: DropsyncError? {
        if let failure = builder.failure { return failure }
        guard tokenizer.unfinishedRowBytes > Self.maximumRowBytes else { return nil }
        return DropsyncError(
            "ROW_TOO_LONG", "a row is longer than \(Self.maximumRowBytes / 1024 / 1024) MiB (an unclosed quote?)",
            file: file.path, line: tokenizer.unfinishedRowLine)
    }
    var rowCount: Int { builder.rowCount }
    var rejectedCount: Int { builder.rejectedCount }
    /// Whether the `--limit` is used up: the records built are all the file gives.
    var limitReached: Bool { builder.limitReached }

    /// The next batch ready to send, oldest first: a full one, or at the end of the file the last
    /// one. Handed over one at a time, so that the parser holds no reference to a batch it has
    /// given away (the next step changes its records in place only when it holds the only one).
    mutating func takeBatch(final: Bool) -> [Record]? {
        if !builder.fullBatches.isEmpty { return builder.fullBatches.removeFirst() }
        guard final && !builder.batch.isEmpty else { return nil }
        defer { builder.batch = [] }
        return builder.batch
    }

    mutating func takeRejected() -> [(Record, Rejection)] {
        defer { builder.rejected = [] }
        return builder.rejected
    }
}
