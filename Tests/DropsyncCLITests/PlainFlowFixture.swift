import DropsyncTesting

/// A scratch directory holding the smallest import flow, `plain` (the local CSVs of `inbound/`
/// into the account store), one file for it, and `dropsync` run on them.
struct PlainFlowFixture {
    let scratch: TemporaryDirectory

    init(_ label: String) {
        scratch = TemporaryDirectory(label)
        scratch.write("conf.d/plain.json", """
            { "name": "plain", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../inbound" }, "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "next": ["write"] },
              { "id": "write", "type": "datasource.write.account" } ] }
            """)
        scratch.write("inbound/a.csv", "UID,email\nu1,a@example.com\n")
    }

    /// The state directory the commands use unless told another.
    var stateDirectory: String { scratch.path + "/state" }

    /// Runs `dropsync arguments…` on the fixture's conf.d and `stateDirectory` (or the one given).
    func dropsync(_ arguments: [String], stateDirectory: String? = nil) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(
            arguments + ["--config", scratch.path + "/conf.d", "--state-dir", stateDirectory ?? self.stateDirectory], in: scratch)
    }
}
