import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// `datasource.read.ftp` through `dropsync run`, against a real pyftpdlib server on loopback.
@Suite struct FTPReadTests {
    let fixture = FTPFlowFixture("ftp-read")

    /// The partner's drop directory with one gzip'd CSV, a dotfile, an upload in progress and two
    /// unsafe names; a flow importing it into the account store over `connection`.
    func prepare(connection: String) {
        let scratch = fixture.scratch
        scratch.write("home/in/fans.csv.gz", DaemonFixture.gzipCSV(uids: ["f1", "f2"]))
        scratch.write("home/in/.hidden.csv.gz", "not read")
        scratch.write("home/in/next.csv.gz.uploading", "not read")
        scratch.write("home/in/a..b.csv.gz", "not read")
        scratch.write("home/in/tab\tname.csv.gz", "not read")
        scratch.write("conf.d/ftp.json", """
            { "name": "ftp-fans", "steps": [
              { "id": "read", "type": "datasource.read.ftp", "params": { \(connection), "remotePath": "in" }, "next": ["gunzip"] },
              { "id": "gunzip", "type": "file.uncompress.gzip", "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "next": ["write"] },
              { "id": "write", "type": "datasource.write.account" } ] }
            """)
    }

    func accounts() throws -> String {
        try fixture.dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a partner's FTP directory is imported; dotfiles and uploads in progress are passed over, unsafe names refused and traced")
    func importsOverFTP() throws {
        let server = try FTPServer(home: fixture.home)
        prepare(connection: fixture.connection(server))
        let run = try fixture.dropsync("run", "ftp-fans", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try accounts() == "2")
        let job = try JSONParser.parse(run.stdout)
        #expect(job.objectValue?["steps"]?.arrayValue?.first?.objectValue?["output"] == .int(1))
        #expect(run.stdout.contains("refused the remote name \\\"a..b.csv.gz\\\""), "\(run.stdout)")
        #expect(run.stdout.contains("refused the remote name \\\"tab\\\\tname.csv.gz\\\""), "\(run.stdout)")
        #expect(!fixture.revealsPassword(run))
    }

    @Test("explicit FTPS (tls: require) verifies the server's certificate against caFile")
    func importsOverFTPS() throws {
        let certificate = try TLSCertificate(in: fixture.scratch.path)
        let server = try FTPServer(home: fixture.home, tls: certificate)
        prepare(connection: fixture.connection(server, #""tls": "require", "caFile": "../server.pem""#))
        let run = try fixture.dropsync("run", "ftp-fans")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try accounts() == "2")
    }

    @Test("a certificate the given CA did not sign is TLS_VERIFICATION_FAILED, and nothing is read")
    func untrustedCertificate() throws {
        let server = try FTPServer(home: fixture.home, tls: try TLSCertificate(in: fixture.scratch.path))
        _ = try TLSCertificate(in: fixture.scratch.path, name: "other-ca")
        prepare(connection: fixture.connection(server, #""tls": "require", "caFile": "../other-ca.pem""#))
        let run = try fixture.dropsync("run", "ftp-fans")
        #expect(run.status != 0)
        #expect((run.stdout + run.stderr).contains("TLS_VERIFICATION_FAILED"), "\(run.stdout)\(run.stderr)")
        #expect(try accounts() == "0")
        #expect(!server.logText.contains("logged in"), "no password was sent: \(server.logText)")
    }

    @Test("tls: require against a server without FTPS is TLS_NOT_OFFERED, and no password is sent in the clear")
    func serverWithoutTLS() throws {
        let server = try FTPServer(home: fixture.home)
        prepare(connection: fixture.connection(server, #""tls": "require""#))
        let run = try fixture.dropsync("run", "ftp-fans")
        let output = run.stdout + run.stderr
        #expect(run.status != 0)
        #expect(output.contains("the server does not offer TLS") && output.contains("TLS_NOT_OFFERED"), "\(output)")
        #expect(!server.logText.contains("logged in"), "no password was sent: \(server.logText)")
    }

    @Test("tlsVerify: false connects to an unverified server, and check warns of it")
    func unverified() throws {
        let server = try FTPServer(home: fixture.home, tls: try TLSCertificate(in: fixture.scratch.path))
        prepare(connection: fixture.connection(server, #""tls": "require", "tlsVerify": false"#))
        let check = try fixture.dropsync("check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect((check.stdout + check.stderr).contains("warning"), "\(check.stdout)\(check.stderr)")
        #expect((check.stdout + check.stderr).contains("tlsVerify"))
        let run = try fixture.dropsync("run", "ftp-fans")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try accounts() == "2")
    }

    @Test("a wrong password is AUTHENTICATION_FAILED, and no password shows in the output or the state")
    func wrongPassword() throws {
        let server = try FTPServer(home: fixture.home)
        let wrong = "wrong-Pa55-9876"
        prepare(connection: fixture.connection(server).replacingOccurrences(of: #"{ "file": "ftp.password" }"#, with: "\"\(wrong)\""))
        let run = try fixture.dropsync("run", "ftp-fans", "--json")
        #expect(run.status != 0)
        #expect((run.stdout + run.stderr).contains("AUTHENTICATION_FAILED"), "\(run.stdout)\(run.stderr)")
        #expect(!fixture.revealsPassword(run, password: wrong))
        #expect(try accounts() == "0")
    }
}
