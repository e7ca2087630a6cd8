import DropsyncTesting
import Foundation
import Testing

/// librnp prints its own diagnostics to C's stderr, and they can quote key material: dropsync
/// keeps them out of its output and says what is wrong itself.
@Suite struct PGPDiagnosticsTests {
    let scratch = TemporaryDirectory("pgp-diagnostics")

    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(arguments + ["--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
    }

    @Test("a malformed inline private key: check names the param, and no line of the key reaches stderr")
    func malformedInlineKey() throws {
        let key = "-----BEGIN PGP PRIVATE KEY BLOCK-----\\nTOPSECRET-GARBAGE-MATERIAL-abcdef\\n-----END PGP PRIVATE KEY BLOCK-----\\n"
        scratch.write("conf.d/decrypt.json", """
            { "name": "decrypt", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../inbound" }, "next": ["decrypt"] },
              { "id": "decrypt", "type": "file.decrypt.pgp", "params": { "privateKey": "\(key)" }, "next": ["write"] },
              { "id": "write", "type": "datasource.write.local", "params": { "path": "../out" } } ] }
            """)
        let check = try dropsync("check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("privateKey"), "\(check.stderr)")
        #expect(!check.stderr.contains("TOPSECRET"), "\(check.stderr)")
        #expect(!check.stderr.contains(".cpp:"), "\(check.stderr)")
    }

    @Test("pgp inspect on a file that is not a key prints dropsync's error alone")
    func inspectNotAKey() throws {
        let path = scratch.write("not-a-key.asc", "not a key\n")
        let inspect = try DropsyncCommand.run(["pgp", "inspect", path], in: scratch)
        #expect(inspect.status == 1)
        #expect(inspect.stderr.contains("is not an OpenPGP key"), "\(inspect.stderr)")
        #expect(!inspect.stderr.contains(".cpp:"), "\(inspect.stderr)")
    }
}
