import DropsyncCore

/// How rows become records, as `file.parse.dsv`'s params say.
struct DSVRecordSettings: Sendable {
    /// Columns given by the `columns` param; nil to take them from the header row.
    var columns: DSVColumns?
    /// Whether the first row is a header (read for names, or skipped when `columns` is given).
    var hasHeader: Bool
    var fields: DSVFieldDecoder
    var addFilename: Bool
}

/// Turns one file's rows into batches of records and rejections: reads the header, checks each
/// row's field count and text, and builds the record.
struct DSVRecordBuilder {
    static let batchSize = 1000
    static let fileNameField = "filename"

    private let settings: DSVRecordSettings
    private let file: FileInfo
    private var columns: DSVColumns?
    private var expectingHeader: Bool
    /// `addFilename` must replace a `filename` column rather than add a second one.
    private var fileNameIsColumn: Bool

    /// Batches of `batchSize` records ready to send.
    var fullBatches: [[Record]] = []
    var batch: [Record] = []
    var rejected: [(Record, Rejection)] = []
    /// Data rows seen (not the header), and how many of them were rejected.
    private(set) var rowCount = 0
    private(set) var rejectedCount = 0
    /// A problem that makes the whole file unreadable (a bad header, no rows at all).
    private(set) var failure: DropsyncError?
    /// Whether the file had any row, a header included.
    private var sawRow = false
    /// A test run's `--limit`: each record takes one of it, and once it is used up the rows after
    /// the last record are neither built nor rejected.
    private let limit: RecordLimit?
    private(set) var limitReached = false
    /// Whether the rows were transcoded from UTF-16 (a unit that made no character shows as `\xFF`).
    var isFromUTF16 = false

    init(file: FileInfo, settings: DSVRecordSettings, limit: RecordLimit? = nil) {
        self.settings = settings
        self.file = file
        self.limit = limit
        columns = settings.columns
        expectingHeader = settings.hasHeader
        fileNameIsColumn = settings.columns?.contains(Self.fileNameField) ?? false
        batch.reserveCapacity(Self.batchSize)
    }

    mutating func add(_ row: DSVRow) {
        sawRow = true
        guard failure == nil, !limitReached else { return }
        if expectingHeader {
            expectingHeader = false
            if columns == nil { readHeader(row) }
            return
        }
        guard let columns else { return }
        rowCount += 1
        switch row.problem {
        case .unterminatedQuote?:
            return reject(row, "UNTERMINATED_QUOTE", "\(file.name) line \(row.lineNumber): a quoted field is not closed before the end of the file")
        case .nulByte?:
            return reject(row, "INVALID_TEXT", "\(file.name) line \(row.lineNumber) contains a NUL byte")
        case nil:
            break
        }
        guard row.count == columns.count else {
            return reject(row, "WRONG_FIELD_COUNT", "\(file.name) line \(row.lineNumber) has \(row.count) fields, expected \(columns.count)")
        }
        guard UTF8Validation.isValid(row.rawBytes) else {
            return reject(row, "INVALID_TEXT", "\(file.name) line \(row.lineNumber) \(notValidText(row.rawBytes))")
        }
        if let limit {
            let grant = limit.takeOne()
            limitReached = grant.last
            guard grant.granted else { return }
        }
        var record: Record
        if columns.isFlat {
            var fields: [Record.Field] = []
            fields.reserveCapacity(columns.count + (settings.addFilename ? 1 : 0))
            for index in 0..<row.count {
                fields.append(Record.Field(name: columns.names[index], value: settings.fields.value(row[index])))
            }
            record = Record(fields)
        } else {
            record = Record(reservingCapacity: columns.count + (settings.addFilename ? 1 : 0))
            for index in 0..<row.count {
                record.setValue(settings.fields.value(row[index]), at: columns.paths[index])
            }
        }
        if settings.addFilename { addFileName(to: &record) }
        batch.append(record)
        if batch.count == Self.batchSize {
            fullBatches.append(batch)
            batch = []
            batch.reserveCapacity(Self.batchSize)
        }
    }

    /// The file ended: one without a single row (not even a header) is a failed delivery, not a
    /// file with no records.
    mutating func endOfFile() {
        guard !sawRow, failure == nil else { return }
        failure = DropsyncError("EMPTY_FILE", "\(file.name) is empty: it has no rows, not even a header", file: file.path)
    }

    private mutating func readHeader(_ row: DSVRow) {
        if row.problem != nil {
            return fail("the header row (line \(row.lineNumber)) is not valid: \(row.problem == .nulByte ? "it contains a NUL byte" : "a quoted name is not closed")")
        }
        guard UTF8Validation.isValid(row.rawBytes) else {
            return fail("the header row (line \(row.lineNumber)) \(notValidText(row.rawBytes))")
        }
        let names = (0..<row.count).map { settings.fields.text(row[$0]) }
        switch DSVColumns.make(names) {
        case .success(let found):
            columns = found
            fileNameIsColumn = found.contains(Self.fileNameField)
        case .failure(let problem):
            fail("header row (line \(row.lineNumber)): \(problem)")
        }
    }

    private func addFileName(to record: inout Record) {
        if fileNameIsColumn {
            record[Self.fileNameField] = .string(file.name)
        } else {
            record.appendUnchecked(Self.fileNameField, .string(file.name))
        }
    }

    /// Says where a row stops being valid text, and the likely cause.
    private func notValidText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if isFromUTF16 { return "is not valid UTF-16: a unit that makes no character (an unpaired surrogate), shown as \\xFF" }
        let position = UTF8Escaping.firstInvalidByte(bytes).map { " at byte \($0.offset + 1) (\(UTF8Escaping.hexadecimal($0.byte)))" }
        return "is not valid UTF-8\(position ?? ""); if the file is ISO-8859-1 or Windows-1252, set fileCharset"
    }

    private mutating func reject(_ row: DSVRow, _ code: String, _ message: String) {
        rejectedCount += 1
        var record = Record()
        if settings.addFilename { addFileName(to: &record) }
        rejected.append((record, Rejection(code, message, lineNumber: row.lineNumber, rawLine: Rejection.rawLine(row.rawBytes))))
    }

    private mutating func fail(_ message: String) {
        failure = DropsyncError("INVALID_HEADER", message, file: file.path)
    }
}
