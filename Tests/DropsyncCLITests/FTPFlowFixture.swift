import DropsyncTesting
import Foundation

/// What the FTP reader and writer tests share: a scratch directory with the partner's server home
/// (`home/`), a `conf.d` holding the password file, and `dropsync` run on them.
struct FTPFlowFixture {
    let scratch: TemporaryDirectory

    init(_ label: String) {
        scratch = TemporaryDirectory(label)
        scratch.write("conf.d/ftp.password", FTPServer.password)
    }

    /// The server's home, which the test fills and reads as the partner would.
    var home: String { scratch.path + "/home" }

    /// The connection params (JSON members) for `server`, with `extra` members; the password by
    /// reference to a file, as operators keep it.
    func connection(_ server: FTPServer, _ extra: String = "") -> String {
        #""host": "127.0.0.1", "port": \#(server.port), "username": "\#(FTPServer.username)", "password": { "file": "ftp.password" }"#
            + (extra.isEmpty ? "" : ", " + extra)
    }

    /// Runs `dropsync arguments…` on the fixture's conf.d and state.
    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(arguments + ["--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
    }

    /// Whether the password shows anywhere: the command's output or the state directory's files.
    func revealsPassword(_ result: DropsyncCommand.Result, password: String = FTPServer.password) -> Bool {
        let state = scratch.list("state").compactMap { scratch.read("state/" + $0) }
        let secret = Array(password.utf8)
        return (result.stdout + result.stderr).contains(password) || state.contains { $0.firstRange(of: secret) != nil }
    }
}
