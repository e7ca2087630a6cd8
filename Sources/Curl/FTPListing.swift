import DropsyncCore

/// A directory listing as it streams in from the data connection, cut into lines and parsed one
/// by one: MLSD's machine-readable lines (RFC 3659), or the Unix `ls -l` lines most servers send
/// for LIST. Only the line being cut is held.
struct FTPListing {
    /// What one line of a listing says.
    enum Item: Equatable {
        case entry(TransportEntry)
        /// A name that is not UTF-8, shown escaped.
        case refused(String)
    }

    enum Format: Equatable {
        /// MLSD lines: `type=file;size=12;modify=20261129091152; name`.
        case machine
        /// LIST lines as `ls -l` writes them; `now` (seconds since 1970) dates those without a year.
        case unix(now: Double)
    }

    let format: Format
    private var partial: [UInt8] = []
    /// Whether the line being cut has grown too long: it is passed over, not held.
    private var overlong = false
    /// A longer line is no listing line.
    static let maximumLineLength = 64 * 1024

    init(_ format: Format) { self.format = format }

    /// Parses the complete lines in `bytes`, keeping an unfinished last line for the next call.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, each: (Item) throws(DropsyncError) -> Void) throws(DropsyncError) {
        var start = 0
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if !overlong && partial.count + end - start <= Self.maximumLineLength { try complete(partial + bytes[start..<end], each) }
            partial.removeAll(keepingCapacity: true)
            overlong = false
            start = end + 1
        }
        partial += bytes[start...]
        if partial.count > Self.maximumLineLength {
            partial.removeAll()
            overlong = true
        }
    }

    /// Parses the last line, when the listing did not end with a line break.
    mutating func finish(each: (Item) throws(DropsyncError) -> Void) throws(DropsyncError) {
        if !partial.isEmpty && !overlong { try complete(partial, each) }
        partial.removeAll()
        overlong = false
    }

    private func complete(_ line: [UInt8], _ each: (Item) throws(DropsyncError) -> Void) throws(DropsyncError) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let item = switch format {
        case .machine: Self.machineItem(line[...])
        case .unix(let now): Self.unixItem(line[...], now: now)
        }
        if let item { try each(item) }
    }

    // MARK: MLSD and MLST

    /// The entry an MLSD line (or MLST's fact line, its leading space removed) describes; nil for
    /// the directory itself, its parent, and lines that are no entry. MLST names the whole path:
    /// the entry is named by its last part.
    static func machineItem(_ line: ArraySlice<UInt8>) -> Item? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        var facts: [String: String] = [:]
        for fact in String(decoding: line[..<space], as: UTF8.self).split(separator: ";") {
            let parts = fact.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { facts[parts[0].lowercased()] = String(parts[1]) }
        }
        let path = line[(space + 1)...]
        let name = path.lastIndex(of: UInt8(ascii: "/")).map { path[($0 + 1)...] } ?? path
        guard let type = facts["type"]?.lowercased(), type != "cdir", type != "pdir", !name.isEmpty else { return nil }
        return item(
            name, size: facts["size"].flatMap { Int64($0) } ?? 0, modified: facts["modify"].flatMap(machineTime) ?? 0,
            isRegularFile: type == "file")
    }

    /// Seconds since 1970 of an MLSD time, `YYYYMMDDHHMMSS[.sss]` in UTC.
    static func machineTime(_ text: String) -> Double? {
        let digits = Array(text.utf8.prefix(14))
        guard digits.count == 14, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let fraction = text.count > 15 && text.dropFirst(14).first == "." ? Double("0" + text.dropFirst(14)) ?? 0 : 0
        return secondsSince1970(
            year: number(0..<4), month: number(4..<6), day: number(6..<8),
            seconds: number(8..<10) * 3600 + number(10..<12) * 60 + number(12..<14)).map { $0 + fraction }
    }

    // MARK: LIST

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The entry a Unix `ls -l` line describes (`-rw-r--r-- 1 owner group 1234 Nov 29 09:11 name`,
    /// or with a year instead of the time); nil for `total 12` and lines that are no entry. The
    /// group column may be missing: the date is found by its month name. Times are taken as UTC.
    static func unixItem(_ line: ArraySlice<UInt8>, now: Double) -> Item? {
        guard let type = line.first, Array("-dlbcps".utf8).contains(type) else { return nil }
        let fields = words(line, limit: 10)
        // The size, the month, the day, and the time or year, then the name.
        for index in stride(from: 1, to: fields.count - 2, by: 1) {
            let text = { (offset: Int) in String(decoding: line[fields[index + offset]], as: UTF8.self) }
            guard let month = months.firstIndex(of: text(0).lowercased()), let size = Int64(text(-1)),
                  let day = Int(text(1)), (1...31).contains(day), let time = unixTime(text(2), month: month + 1, day: day, now: now)
            else { continue }
            let nameStart = fields[index + 2].upperBound + 1
            guard nameStart < line.endIndex else { return nil }
            var name = line[nameStart...]
            if type == UInt8(ascii: "l"), let arrow = name.firstRange(of: Array(" -> ".utf8)) { name = name[..<arrow.lowerBound] }
            return item(name, size: size, modified: time, isRegularFile: type == UInt8(ascii: "-"))
        }
        return nil
    }

    /// `HH:MM` (in the year that puts it at most a day ahead of `now`) or a year.
    private static func unixTime(_ text: String, month: Int, day: Int, now: Double) -> Double? {
        if let year = Int(text), text.count == 4 { return secondsSince1970(year: year, month: month, day: day, seconds: 0) }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else { return nil }
        let seconds = hour * 3600 + minute * 60
        let thisYear = 1970 + Int((now / 86_400 + 0.5) / 365.2425)
        for year in [thisYear + 1, thisYear, thisYear - 1] {
            if let time = secondsSince1970(year: year, month: month, day: day, seconds: seconds), time <= now + 86_400 { return time }
        }
        return nil
    }

    /// The ranges of the first `limit` space-separated words of `line`.
    private static func words(_ line: ArraySlice<UInt8>, limit: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = line.startIndex
        while index < line.endIndex, ranges.count < limit {
            while index < line.endIndex, line[index] == UInt8(ascii: " ") { index += 1 }
            let start = index
            while index < line.endIndex, line[index] != UInt8(ascii: " ") { index += 1 }
            if start < index { ranges.append(start..<index) }
        }
        return ranges
    }

    // MARK: Shared

    private static func item(_ name: ArraySlice<UInt8>, size: Int64, modified: Double, isRegularFile: Bool) -> Item {
        guard let text = String(validating: name, as: UTF8.self) else {
            return .refused(String(decoding: name, as: UTF8.self).debugDescription)
        }
        return .entry(TransportEntry(name: text, size: size, modified: modified, isRegularFile: isRegularFile))
    }

    /// Seconds since 1970 of a UTC date (proleptic Gregorian calendar); nil for an impossible one.
    static func secondsSince1970(year: Int, month: Int, day: Int, seconds: Int) -> Double? {
        guard (1...12).contains(month), (1...31).contains(day), (0..<86_400).contains(seconds) else { return nil }
        // Days from 1970-01-01, counting years from March so that leap days come last.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + seconds)
    }
}
