import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// `dropsync serve` polling a partner's SFTP directory (a real OpenSSH server on loopback): the
/// ledger, readiness and post-actions of local drop zones, over the transport.
@Suite struct ServeRemoteTests {
    /// A daemon whose flow reads `remote` (served by `server`) every `pollInterval` seconds and
    /// archives imported files into `remote/done`. `credential` is the login part of the params.
    static func fixture(
        _ server: OpenSSHServer, pollInterval: Double = 0.3, credential: String? = nil, retryBackoffSeconds: Int = 1, timeout: Int = 60
    ) throws -> DaemonFixture {
        let fixture = DaemonFixture(settings: #"{ "retryBackoffSeconds": \#(retryBackoffSeconds) }"#)
        let login = try credential ?? #""privateKey": { "file": "\#(server.authorizeNewUserKey())" }"#
        fixture.scratch.write("conf.d/known_hosts", server.knownHostsLines)
        try FileManager.default.createDirectory(atPath: fixture.scratch.path + "/remote", withIntermediateDirectories: true)
        return Self.importing(into: fixture, reader: "datasource.read.sftp", params: """
            "host": "127.0.0.1", "port": \(server.port), "username": "\(OpenSSHServer.username)", \(login),
            "knownHosts": "known_hosts", "remotePath": "\(fixture.scratch.path)/remote",
            "pollInterval": \(pollInterval), "timeout": \(timeout), "afterSuccess": "archive", "archivePath": "done"
            """)
    }

    /// `fixture` with a flow importing the gzip'd CSVs its `reader` (with `params`) finds, ready
    /// when two polls find them unchanged.
    static func importing(into fixture: DaemonFixture, reader: String, params: String) -> DaemonFixture {
        fixture.scratch.write("conf.d/fans.json", """
            { "name": "fans", "steps": [
              { "id": "read", "type": "\(reader)", "params": { \(params), "fileNameRegex": ".*\\\\.csv\\\\.gz", "stableFor": 0 },
                "next": ["gunzip"] },
              { "id": "gunzip", "type": "file.uncompress.gzip", "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "next": ["write"] },
              { "id": "write", "type": "datasource.write.account" } ] }
            """)
        return fixture
    }

    /// Puts a file on the partner's server the careful way (temporary name, then rename).
    static func upload(_ fixture: DaemonFixture, _ name: String, _ bytes: [UInt8]) {
        fixture.scratch.write("remote/." + name + ".part", bytes)
        rename(fixture.scratch.path + "/remote/." + name + ".part", fixture.scratch.path + "/remote/" + name)
    }

    @Test("a file the partner puts on the SFTP server is found by polling, imported, and archived on the server")
    func importsAndArchives() throws {
        let server = try OpenSSHServer()
        let fixture = try Self.fixture(server)
        #expect(try fixture.start())
        Self.upload(fixture, "fans.csv.gz", DaemonFixture.gzipCSV(uids: (1...50).map { "r\($0)" }))
        let archived = try fixture.waitUntil {
            try fixture.status(of: "fans.csv.gz") == "succeeded" && fixture.scratch.list("remote/done") == ["fans.csv.gz"]
        }
        let entry = try fixture.files()["fans.csv.gz"]
        #expect(archived, "\(String(describing: entry)) \(fixture.daemon?.stderrSoFar ?? "")")
        #expect(entry?["location"]?.stringValue == "sftp://\(OpenSSHServer.username)@127.0.0.1:\(server.port)")
        let why = try fixture.dropsync("files", "why", fixture.scratch.path + "/remote/fans.csv.gz").stdout
        #expect(why.contains("unchanged across two polls"), "\(why)")
        #expect(why.contains("remote/done/fans.csv.gz"), "\(why)")
        #expect(try fixture.accountCount() == 50)
        #expect(fixture.scratch.list("remote") == ["done"])
        #expect(fixture.scratch.list("remote/done") == ["fans.csv.gz"])
    }

    @Test("a file still growing between two polls is read only once two polls find it unchanged")
    func growingFileWaits() throws {
        let server = try OpenSSHServer()
        let fixture = try Self.fixture(server, pollInterval: 1.5)
        #expect(try fixture.start())
        // The first half of a gzip file is a truncated one: read early, its job would fail.
        let whole = DaemonFixture.gzipCSV(uids: (1...2_000).map { "g\($0)" })
        let path = fixture.scratch.write("remote/growing.csv.gz", Array(whole.prefix(whole.count / 2)))
        #expect(try fixture.waitUntil { try fixture.status(of: "growing.csv.gz") == "seen" })
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(whole.dropFirst(whole.count / 2)))
        try handle.close()
        #expect(try fixture.waitUntil { try fixture.status(of: "growing.csv.gz") == "succeeded" }, "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(try fixture.accountCount() == 2_000)
        #expect(try fixture.files()["growing.csv.gz"]?["attempts"] == .int(1))
    }

    @Test("the partner's server killed, mid-transfer and while idle, then back: every file is imported exactly once")
    func serverGoneAndBack() throws {
        let server = try OpenSSHServer()
        let fixture = try Self.fixture(server)
        #expect(try fixture.start())
        Self.upload(fixture, "a.csv.gz", DaemonFixture.gzipCSV(uids: (1...10).map { "a\($0)" }))
        #expect(try fixture.waitUntil { try fixture.status(of: "a.csv.gz") == "succeeded" })

        server.kill()
        #expect(fixture.waitUntil { fixture.daemon?.stderrSoFar.contains("cannot be listed") == true })
        Self.upload(fixture, "b.csv.gz", DaemonFixture.gzipCSV(uids: (1...10).map { "b\($0)" }))
        try server.restart()
        #expect(try fixture.waitUntil { try fixture.status(of: "b.csv.gz") == "succeeded" }, "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(fixture.daemon?.stderrSoFar.contains("is back") == true)

        Self.upload(fixture, "c.csv.gz", DaemonFixture.gzipCSV(uids: (1...200_000).map { "c\($0)" }))
        #expect(try fixture.waitUntil { try fixture.status(of: "c.csv.gz") == "claimed" })
        server.kill()
        try server.restart()
        #expect(try fixture.waitUntil(timeout: .seconds(120)) { try fixture.status(of: "c.csv.gz") == "succeeded" },
                "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(try fixture.accountCount() == 200_020)
    }

    @Test("a file whose download the partner's outage cut off is tried again as soon as the server is back, not after its delay")
    func retriedWhenBack() throws {
        let server = try OpenSSHServer()
        let fixture = try Self.fixture(server, retryBackoffSeconds: 600, timeout: 2)
        #expect(try fixture.start())
        Self.upload(fixture, "big.csv.gz", DaemonFixture.gzipCSV(uids: (1...300_000).map { "w\($0)" }))
        #expect(try fixture.waitUntil { try fixture.status(of: "big.csv.gz") == "claimed" })
        server.suspend()
        // The job's download and the daemon's listings time out: the file is to wait 600 s.
        let cutOff = fixture.waitUntil {
            let log = fixture.daemon?.stderrSoFar ?? ""
            return log.contains("big.csv.gz could not be fetched") && log.contains("cannot be listed")
        }
        #expect(cutOff, "\(fixture.daemon?.stderrSoFar ?? "")")
        server.resume()
        #expect(try fixture.waitUntil(timeout: .seconds(120)) { try fixture.status(of: "big.csv.gz") == "succeeded" },
                "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(try fixture.accountCount() == 300_000)
    }

    @Test("an archive on the server that fails, also while the server is down, is retried until it is done")
    func archiveRetriedThroughAnOutage() throws {
        let server = try OpenSSHServer()
        let fixture = try Self.fixture(server)
        // A file where the archive directory should be: the move fails until it is gone.
        fixture.scratch.write("remote/done", "in the way")
        #expect(try fixture.start())
        Self.upload(fixture, "fans.csv.gz", DaemonFixture.gzipCSV(uids: ["p1", "p2"]))
        #expect(try fixture.waitUntil { try fixture.status(of: "fans.csv.gz") == "succeeded" })
        #expect(fixture.waitUntil { fixture.daemon?.stderrSoFar.contains("POST_ACTION_FAILED") == true })
        let inTheWay = try fixture.files()["fans.csv.gz"]?["postActionProblem"]
        server.kill()
        // Retried while the server is down: the noted problem becomes the outage, logged as a new one.
        #expect(try fixture.waitUntil {
            let problem = try fixture.files()["fans.csv.gz"]?["postActionProblem"]
            return problem != nil && problem != .null && problem != inTheWay
        }, "the post-action keeps being retried while the server is down")
        try FileManager.default.removeItem(atPath: fixture.scratch.path + "/remote/done")
        try server.restart()
        #expect(fixture.waitUntil { fixture.scratch.list("remote/done") == ["fans.csv.gz"] }, "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(try fixture.accountCount() == 2)
        #expect(try fixture.files()["fans.csv.gz"]?["attempts"] == .int(1), "the data was not read again")
    }

    @Test("a refused login is not retried, says so, and the password reaches no log, job, listing or database")
    func refusedLoginKeepsTheSecret() throws {
        let server = try OpenSSHServer()
        let password = "Pa55-\(UUID().uuidString)"
        let fixture = try Self.fixture(server, credential: #""password": "\#(password)""#)
        #expect(try fixture.start())
        Self.upload(fixture, "fans.csv.gz", DaemonFixture.gzipCSV(uids: ["x1"]))
        #expect(fixture.waitUntil { fixture.daemon?.stderrSoFar.contains("not trying again until the configuration is reloaded") == true })
        let log = fixture.daemon?.stderrSoFar ?? ""
        #expect(log.contains("AUTHENTICATION_FAILED"), "\(log)")
        let stopped = fixture.stop()
        #expect(stopped?.status == 0)
        var everything = log + (stopped.map { $0.stdout + $0.stderr } ?? "")
        for command in [["files", "--json"], ["jobs", "--json"]] {
            let result = try DropsyncCommand.run(command + fixture.locations, in: fixture.scratch)
            everything += result.stdout + result.stderr
        }
        for name in fixture.scratch.list("state") {
            everything += String(decoding: fixture.scratch.read("state/" + name) ?? [], as: UTF8.self)
        }
        #expect(!everything.isEmpty)
        #expect(!everything.contains(password))
    }

    @Test("a file on an FTPS server is found by polling, imported, and archived on the server")
    func importsOverFTPS() throws {
        let fixture = DaemonFixture()
        let certificate = try TLSCertificate(in: fixture.scratch.path)
        let server = try FTPServer(home: fixture.scratch.path + "/ftp", tls: certificate)
        _ = Self.importing(into: fixture, reader: "datasource.read.ftp", params: """
            "host": "127.0.0.1", "port": \(server.port), "username": "\(FTPServer.username)", "password": "\(FTPServer.password)",
            "tls": "require", "caFile": "\(certificate.certificate)", "remotePath": "/drop",
            "pollInterval": 0.3, "afterSuccess": "archive", "archivePath": "done"
            """)
        #expect(try fixture.start())
        fixture.scratch.write("ftp/drop/.fans.csv.gz.part", DaemonFixture.gzipCSV(uids: (1...30).map { "f\($0)" }))
        rename(fixture.scratch.path + "/ftp/drop/.fans.csv.gz.part", fixture.scratch.path + "/ftp/drop/fans.csv.gz")
        let archived = try fixture.waitUntil {
            try fixture.status(of: "fans.csv.gz") == "succeeded" && fixture.scratch.list("ftp/drop/done") == ["fans.csv.gz"]
        }
        #expect(archived, "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(try fixture.files()["fans.csv.gz"]?["location"]?.stringValue == "ftp://\(FTPServer.username)@127.0.0.1:\(server.port)")
        #expect(try fixture.accountCount() == 30)
    }

    @Test("an object under an S3 prefix is found by polling, imported, and deleted; the secret key stays out of everything")
    func importsFromS3() throws {
        let server = try S3Server()
        let fixture = Self.importing(into: DaemonFixture(), reader: "datasource.read.amazon.s3", params: """
            \(server.connectionParams()), "objectKeyPrefix": "in/", "pollInterval": 0.3, "afterSuccess": "delete"
            """)
        #expect(try fixture.start())
        let file = fixture.scratch.write("fans.csv.gz", DaemonFixture.gzipCSV(uids: (1...40).map { "s\($0)" }))
        try server.call("put", "in/fans.csv.gz", file)
        let deleted = try fixture.waitUntil { try fixture.status(of: "fans.csv.gz") == "succeeded" && server.keys("in/").isEmpty }
        #expect(deleted, "\(fixture.daemon?.stderrSoFar ?? "")")
        #expect(try fixture.accountCount() == 40)
        let why = try fixture.dropsync("files", "why", "in/fans.csv.gz").stdout
        #expect(why.contains(/version tag  [0-9a-f]{32}/), "the object's ETag is recorded: \(why)")
        let stopped = fixture.stop()
        var everything = (fixture.daemon?.stderrSoFar ?? "") + (stopped.map { $0.stdout + $0.stderr } ?? "")
        everything += try fixture.dropsync("files", "--json").stdout + fixture.dropsync("jobs", "--json").stdout
        for name in fixture.scratch.list("state") {
            everything += String(decoding: fixture.scratch.read("state/" + name) ?? [], as: UTF8.self)
        }
        #expect(everything.contains("fans.csv.gz"))
        #expect(!everything.contains(server.secretKey))
    }
}
