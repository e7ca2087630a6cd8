import DropsyncCore
import Testing

@Suite("DropsyncError")
struct DropsyncErrorTests {
    @Test("a reader's error names the file it was reading, unless the server or the way to it failed", arguments: [
        ("SFTP_FAILED", "/in/a.csv"), ("FILE_UNREADABLE", "/in/a.csv"),
        ("AUTHENTICATION_FAILED", nil), ("CONNECTION_FAILED", nil), ("TLS_VERIFICATION_FAILED", nil),
    ])
    func whileReading(code: String, file: String?) {
        #expect(DropsyncError(code, "cannot open").whileReading("/in/a.csv").file == file)
    }
}
