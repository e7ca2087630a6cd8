/// A streaming tokenizer for delimiter-separated values (CSV, TSV, …) that works on bytes.
///
/// Feed it a file's bytes chunk by chunk with `consume(_:row:)`, then call `finish(row:)` once at
/// the end of the file; it calls back with each row as it completes. Chunks may split a file
/// anywhere (inside a quoted field, between CR and LF): the tokenizer carries its state and keeps
/// only the bytes of the unfinished row between calls.
///
/// Semantics (RFC 4180, leniently): fields are separated by `separator`; a field that starts with
/// `quote` runs to the matching quote and may hold separators, line breaks and doubled quotes;
/// text after a closing quote is kept literally; with `escape` set, the byte after it is taken
/// literally in any field. Rows end at CRLF, LF or a lone CR; a last row needs no terminator; empty
/// lines are skipped. The first `skipLines` physical lines are skipped unparsed.
///
/// To parse a whole buffer:
/// ```swift
/// var tokenizer = DSVTokenizer(DSVTokenizer.Options())
/// bytes.withUnsafeBytes { tokenizer.consume($0) { row in /* row[0], row.count, … */ } }
/// tokenizer.finish { row in … }
/// ```
public struct DSVTokenizer {
    public struct Options: Sendable, Hashable {
        public var separator: UInt8
        /// The quote byte; nil reads quotes as ordinary bytes.
        public var quote: UInt8?
        /// The escape byte; nil (or the quote byte) means RFC 4180 doubled quotes only.
        public var escape: UInt8?
        /// Physical lines to skip before the first row.
        public var skipLines: Int

        public init(
            separator: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\""), escape: UInt8? = nil,
            skipLines: Int = 0
        ) {
            self.separator = separator
            self.quote = quote
            self.escape = escape == quote ? nil : escape
            self.skipLines = skipLines
        }
    }

    private enum State {
        case skipping, rowStart, fieldStart, unquoted, unquotedEscape, quoted, quotedEscape, quotedQuote
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    public let options: Options
    private let unquotedStops: StopBytes
    private let quotedStops: StopBytes
    private var state: State
    private var linesToSkip: Int
    /// The physical line of the next byte.
    private var line = 1
    private var rowLine = 1
    /// The last chunk ended with a CR: an LF starting the next chunk completes that line break.
    private var afterCarriageReturn = false
    private var rowHasNUL = false
    /// The bytes of the unfinished row from earlier chunks. Positions within a row ("row
    /// offsets") count from its first byte, whether that byte is here or in the current chunk.
    private var carried: [UInt8] = []

    /// Bytes of the row not finished yet, kept from earlier chunks.
    var unfinishedRowBytes: Int { carried.count }
    /// The physical line that row starts on.
    var unfinishedRowLine: Int { rowLine }
    /// Field bytes with quotes or escapes resolved, for fields that had any.
    private var scratch: [UInt8] = []
    /// The current row's fields: the first `spanCount` entries (the array is reused row to row).
    private var spans: [DSVRow.Span] = []
    private var spanCount = 0
    /// Row offset of the field bytes not yet copied (all of the field's bytes unless it is in scratch).
    private var runStart = 0
    private var fieldInScratch = false
    private var scratchFieldStart = 0

    public init(_ options: Options) {
        self.options = options
        unquotedStops = StopBytes(unquoted: options)
        quotedStops = StopBytes(quoted: options)
        linesToSkip = options.skipLines
        state = options.skipLines > 0 ? .skipping : .rowStart
    }

    /// Tokenizes one chunk, calling `emit` for every row that ends in it.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, row emit: (DSVRow) -> Void) {
        guard let start = chunk.baseAddress, chunk.count > 0 else { return }
        let base = start.assumingMemoryBound(to: UInt8.self)
        let end = chunk.count
        let unquotedStops = unquotedStops
        let quotedStops = quotedStops
        let separator = options.separator
        let quote = options.quote
        let escape = options.escape
        var index = 0
        /// Chunk index of the current row's first byte; negative when it began in an earlier chunk.
        var rowOrigin = -carried.count

        if afterCarriageReturn {
            afterCarriageReturn = false
            if base[0] == Self.lineFeed, state == .skipping || state == .rowStart || state == .quoted { index = 1 }
        }

        scan: while index < end {
            switch state {
            case .skipping:
                let byte = base[index]
                index += 1
                guard byte == Self.lineFeed || byte == Self.carriageReturn else { continue }
                if byte == Self.carriageReturn { skipLineFeed(base, &index, end) }
                line += 1
                linesToSkip -= 1
                if linesToSkip == 0 { state = .rowStart }
            case .rowStart:
                let byte = base[index]
                if byte == Self.lineFeed || byte == Self.carriageReturn {
                    index += 1
                    if byte == Self.carriageReturn { skipLineFeed(base, &index, end) }
                    line += 1
                    continue
                }
                rowOrigin = index
                rowLine = line
                state = .fieldStart
            case .fieldStart:
                if base[index] == quote {
                    index += 1
                    state = .quoted
                } else {
                    state = .unquoted
                }
                runStart = index - rowOrigin
            case .unquoted:
                index = unquotedStops.next(base, from: index, to: end)
                guard index < end else { break scan }
                let byte = base[index]
                if byte == separator {
                    endField(contentEnd: index - rowOrigin, base, rowOrigin)
                    index += 1
                    // The next field, when it is unquoted too, starts right here.
                    if index < end && base[index] != quote {
                        runStart = index - rowOrigin
                    } else {
                        state = .fieldStart
                    }
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endField(contentEnd: index - rowOrigin, base, rowOrigin)
                    endRow(rawEnd: index - rowOrigin, base, rowOrigin, problem: nil, emit)
                    endLine(byte, base, &index, end)
                } else if byte == escape {
                    startEscape(at: index - rowOrigin, base, rowOrigin)
                    index += 1
                    state = .unquotedEscape
                } else {
                    // NUL, or a control byte that is ordinary here.
                    if byte == 0 { rowHasNUL = true }
                    index += 1
                }
            case .quoted:
                index = quotedStops.next(base, from: index, to: end)
                guard index < end else { break scan }
                let byte = base[index]
                index += 1
                if byte == quote {
                    state = .quotedQuote
                } else if byte == escape {
                    startEscape(at: index - 1 - rowOrigin, base, rowOrigin)
                    state = .quotedEscape
                } else if byte == Self.carriageReturn {
                    line += 1
                    skipLineFeed(base, &index, end)
                } else if byte == Self.lineFeed {
                    line += 1
                } else if byte == 0 {
                    rowHasNUL = true
                }
            case .unquotedEscape, .quotedEscape:
                // The escaped byte stays in the field: the run already starts at it.
                let byte = base[index]
                if byte == Self.lineFeed || byte == Self.carriageReturn { line += 1 }
                if byte == 0 { rowHasNUL = true }
                index += 1
                state = state == .quotedEscape ? .quoted : .unquoted
            case .quotedQuote:
                let byte = base[index]
                let offset = index - rowOrigin
                if byte == quote {
                    // A doubled quote: keep the first, drop the second.
                    enterScratch()
                    copyToScratch(from: runStart, to: offset, base, rowOrigin)
                    index += 1
                    runStart = offset + 1
                    state = .quoted
                } else if byte == separator {
                    endField(contentEnd: offset - 1, base, rowOrigin)
                    index += 1
                    state = .fieldStart
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endField(contentEnd: offset - 1, base, rowOrigin)
                    endRow(rawEnd: offset, base, rowOrigin, problem: nil, emit)
                    endLine(byte, base, &index, end)
                } else {
                    // Text after the closing quote: kept as it is.
                    enterScratch()
                    copyToScratch(from: runStart, to: offset - 1, base, rowOrigin)
                    runStart = offset
                    state = .unquoted
                }
            }
        }

        switch state {
        case .skipping, .rowStart:
            break
        default:
            let from = max(rowOrigin, 0)
            carried.append(contentsOf: UnsafeBufferPointer(start: base + from, count: end - from))
        }
    }

    /// Ends the file: emits the last row when it had no terminator, then readies the tokenizer
    /// for another file.
    public mutating func finish(row emit: (DSVRow) -> Void) {
        let rowEnd = carried.count
        let rowOrigin = -rowEnd
        switch state {
        case .skipping, .rowStart:
            break
        case .fieldStart, .unquoted, .unquotedEscape:
            endField(contentEnd: rowEnd, nil, rowOrigin)
            endRow(rawEnd: rowEnd, nil, rowOrigin, problem: nil, emit)
        case .quoted, .quotedEscape:
            endField(contentEnd: rowEnd, nil, rowOrigin)
            endRow(rawEnd: rowEnd, nil, rowOrigin, problem: .unterminatedQuote, emit)
        case .quotedQuote:
            endField(contentEnd: rowEnd - 1, nil, rowOrigin)
            endRow(rawEnd: rowEnd, nil, rowOrigin, problem: nil, emit)
        }
        state = options.skipLines > 0 ? .skipping : .rowStart
        linesToSkip = options.skipLines
        line = 1
        afterCarriageReturn = false
    }

    // MARK: - Steps of the state machine

    /// Moves past the LF of a CRLF; at the end of the chunk, remembers to look at the next one.
    @inline(__always)
    private mutating func skipLineFeed(_ base: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) {
        if index < end {
            if base[index] == Self.lineFeed { index += 1 }
        } else {
            afterCarriageReturn = true
        }
    }

    /// Moves past a row terminator at `index`.
    @inline(__always)
    private mutating func endLine(_ byte: UInt8, _ base: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) {
        index += 1
        if byte == Self.carriageReturn { skipLineFeed(base, &index, end) }
        line += 1
        state = .rowStart
    }

    private mutating func enterScratch() {
        guard !fieldInScratch else { return }
        fieldInScratch = true
        scratchFieldStart = scratch.count
    }

    /// An escape byte at row offset `offset`: the field so far goes to scratch, the escape is dropped.
    private mutating func startEscape(at offset: Int, _ base: UnsafePointer<UInt8>, _ rowOrigin: Int) {
        enterScratch()
        copyToScratch(from: runStart, to: offset, base, rowOrigin)
        runStart = offset + 1
    }

    /// Appends the row's bytes between two row offsets to scratch.
    private mutating func copyToScratch(from: Int, to: Int, _ base: UnsafePointer<UInt8>?, _ rowOrigin: Int) {
        guard from < to else { return }
        let carriedCount = carried.count
        if from < carriedCount {
            scratch.append(contentsOf: carried[from..<min(to, carriedCount)])
        }
        if to > carriedCount, let base {
            let chunkFrom = max(from, carriedCount)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + rowOrigin + chunkFrom, count: to - chunkFrom))
        }
    }

    @inline(__always)
    private mutating func endField(contentEnd: Int, _ base: UnsafePointer<UInt8>?, _ rowOrigin: Int) {
        if fieldInScratch {
            copyToScratch(from: runStart, to: contentEnd, base, rowOrigin)
            addSpan(DSVRow.Span(start: scratchFieldStart, end: scratch.count, inScratch: true))
            fieldInScratch = false
        } else {
            addSpan(DSVRow.Span(start: runStart, end: contentEnd, inScratch: false))
        }
    }

    @inline(__always)
    private mutating func addSpan(_ span: DSVRow.Span) {
        if spanCount < spans.count {
            spans[spanCount] = span
        } else {
            spans.append(span)
        }
        spanCount += 1
    }

    /// Emits the row whose raw text ends at row offset `rawEnd`, then clears the row's buffers.
    private mutating func endRow(
        rawEnd: Int, _ base: UnsafePointer<UInt8>?, _ rowOrigin: Int, problem: DSVRow.Problem?,
        _ emit: (DSVRow) -> Void
    ) {
        let found = rowHasNUL ? .nulByte : problem
        if rowOrigin < 0 || base == nil {
            if let base, rawEnd > carried.count {
                carried.append(contentsOf: UnsafeBufferPointer(start: base, count: rawEnd - carried.count))
            }
            carried.withUnsafeBufferPointer { raw in deliver(raw, found, emit) }
            carried.removeAll(keepingCapacity: true)
        } else if let base {
            deliver(UnsafeBufferPointer(start: base + rowOrigin, count: rawEnd), found, emit)
        }
        if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
        spanCount = 0
        rowHasNUL = false
    }

    @inline(__always)
    private func deliver(_ raw: UnsafeBufferPointer<UInt8>, _ problem: DSVRow.Problem?, _ emit: (DSVRow) -> Void) {
        scratch.withUnsafeBufferPointer { scratch in
            spans.withUnsafeBufferPointer { spans in
                let fields = UnsafeBufferPointer(rebasing: spans[..<spanCount])
                emit(DSVRow(lineNumber: rowLine, problem: problem, rawBytes: raw, scratch: scratch, spans: fields))
            }
        }
    }
}
