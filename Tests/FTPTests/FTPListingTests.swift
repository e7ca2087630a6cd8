@testable import Curl
import DropsyncCore
import Testing

/// The parsing of MLSD and Unix LIST lines, and of the server's replies.
@Suite struct FTPListingTests {
    /// 2026-11-29 09:11:52 UTC.
    static let now = 1_795_943_512.0

    static func items(_ text: String, _ format: FTPListing.Format, pieces: Int = 1) throws -> [FTPListing.Item] {
        var listing = FTPListing(format)
        var items: [FTPListing.Item] = []
        let bytes = Array(text.utf8)
        let size = max(1, bytes.count / pieces)
        for start in stride(from: 0, to: bytes.count, by: size) {
            try bytes[start..<min(bytes.count, start + size)].withUnsafeBytes { (piece: UnsafeRawBufferPointer) throws in
                try listing.feed(piece) { items.append($0) }
            }
        }
        try listing.finish { items.append($0) }
        return items
    }

    @Test("MLSD lines give name, size, time and type; the directory itself and its parent are left out")
    func machineLines() throws {
        let text = """
            type=cdir;modify=20261129091152; .\r
            type=pdir;modify=20261129091152; ..\r
            modify=20261129091152;perm=radfwMT;size=3;type=file;unique=fe00gfaa228; a.csv\r
            Type=File;Size=12;Modify=20261129091152.250; with  two spaces.csv\r
            type=dir;modify=20250101000000; archive\r
            type=OS.unix=slink:/etc;modify=20250101000000; link
            """
        #expect(try Self.items(text, .machine, pieces: 7) == [
            .entry(TransportEntry(name: "a.csv", size: 3, modified: Self.now)),
            .entry(TransportEntry(name: "with  two spaces.csv", size: 12, modified: Self.now + 0.25)),
            .entry(TransportEntry(name: "archive", size: 0, modified: 1_735_689_600, isRegularFile: false)),
            .entry(TransportEntry(name: "link", size: 0, modified: 1_735_689_600, isRegularFile: false)),
        ])
    }

    @Test("a line longer than 64 KiB is passed over, whole")
    func overlongLine() throws {
        let long = "type=file;size=1; " + String(repeating: "n", count: 70_000) + "\r\n"
        let text = long + "type=file;size=2; b.csv\r\n" + long + "type=file;size=3; c.csv"
        #expect(try Self.items(text, .machine, pieces: 13).map { if case .entry(let entry) = $0 { entry.name } else { "" } } == ["b.csv", "c.csv"])
    }

    @Test("a name that is not UTF-8 is refused, shown escaped")
    func notUTF8() throws {
        var listing = FTPListing(.machine)
        var items: [FTPListing.Item] = []
        let line: [UInt8] = Array("type=file;size=1; bad".utf8) + [0xFF] + Array(".csv\r\n".utf8)
        try line.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws in try listing.feed(bytes) { items.append($0) } }
        #expect(items.count == 1)
        guard case .refused(let shown)? = items.first else { Issue.record("not refused: \(items)"); return }
        #expect(shown.contains("bad"))
    }

    @Test("Unix LIST lines, with a time or a year, with or without a group column", arguments: [
        ("-rw-r--r--   1 owner    group          3 Nov 29 09:11 a.csv", TransportEntry(name: "a.csv", size: 3, modified: 1_795_943_460)),
        ("-rw-r--r--   1 owner    group       1234 Jan 02  2025 old file.csv",
         TransportEntry(name: "old file.csv", size: 1234, modified: 1_735_776_000)),
        ("-rw-r--r-- 1 ftp 77 Dec 24 18:00 last-year.csv", TransportEntry(name: "last-year.csv", size: 77, modified: 1_766_599_200)),
        ("drwxr-xr-x   2 owner    group       4096 Nov 01 10:00 archive",
         TransportEntry(name: "archive", size: 4096, modified: 1_793_527_200, isRegularFile: false)),
        ("lrwxrwxrwx   1 owner    group         11 Nov 01 10:00 link -> /etc/passwd",
         TransportEntry(name: "link", size: 11, modified: 1_793_527_200, isRegularFile: false)),
    ])
    func unixLines(line: String, expected: TransportEntry) throws {
        #expect(try Self.items(line + "\r\n", .unix(now: Self.now)) == [.entry(expected)])
    }

    @Test("lines that are no entries are passed over", arguments: ["total 12", "", "garbage line", "-rw-r--r-- 1 a b 3 Foo 29 09:11 x"])
    func notEntries(line: String) throws {
        #expect(try Self.items(line + "\n", .unix(now: Self.now)).isEmpty)
        #expect(try Self.items(line + "\n", .machine).isEmpty)
    }

    @Test("MLSD times are UTC", arguments: [
        ("19700101000000", 0.0), ("20000229235959", 951_868_799.0), ("20261129091152", now), ("2026112909115", nil), ("2026x129091152", nil),
    ])
    func machineTimes(text: String, expected: Double?) {
        #expect(FTPListing.machineTime(text) == expected)
    }

    @Test("replies are gathered from the server's lines, multi-line ones whole")
    func replies() {
        let lines = [
            "220 pyftpdlib 2.2.0 ready.\r\n", "331 Username ok, send password.\r\n", "230 Login successful.\r\n",
            "250-Listing \"/in/a.csv\":\r\n", " modify=20261129091152;size=3;type=file; /in/a.csv\r\n", "250 End MLST.\r\n",
            "Content-Length: 3\r\n", "550 No such file or directory.\r\n",
        ]
        let replies = FTPReply.replies(lines)
        #expect(replies.map(\.code) == [220, 331, 230, 250, 550])
        #expect(replies[3].lines == ["250-Listing \"/in/a.csv\":", " modify=20261129091152;size=3;type=file; /in/a.csv", "250 End MLST."])
        #expect(!replies[4].succeeded && replies[3].succeeded)
    }
}
