import DropsyncCore
import Foundation
import Testing

/// Secrets given by reference resolve from the environment, a file or a systemd credential, and
/// their errors name the reference, never a value.
@Suite struct SecretReferenceTests {
    let scratch = ScratchDirectory()

    @Test("an env reference reads the variable")
    func environment() throws {
        let reference = try #require(SecretReference(["env": "PARTNER_KEY"]))
        #expect(try reference.resolve(environment: ["PARTNER_KEY": "s3cret"]) == "s3cret")
    }

    @Test("a file reference reads the file without its final newline")
    func file() throws {
        let path = scratch.write("key.txt", "s3cret\n")
        #expect(try SecretReference(["file": .string(path)])?.resolve(environment: [:]) == "s3cret")
    }

    @Test("a credential reference reads $CREDENTIALS_DIRECTORY/NAME")
    func credential() throws {
        scratch.write("partner-key", "s3cret")
        let reference = try #require(SecretReference(["credential": "partner-key"]))
        #expect(try reference.resolve(environment: ["CREDENTIALS_DIRECTORY": scratch.path]) == "s3cret")
    }

    @Test("a missing secret is an error that names the reference only")
    func missing() throws {
        let error = #expect(throws: DropsyncError.self) {
            try SecretReference(["env": "NOT_SET"])?.resolve(environment: ["OTHER": "s3cret"])
        }
        #expect(error?.code == "SECRET_NOT_FOUND")
        #expect(error?.message.contains("NOT_SET") == true)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test("an unreadable secret file says why, as the system does", arguments: [
        ("missing", "No such file or directory"), ("dangling", "No such file or directory"), ("directory", "Is a directory"),
    ])
    func unreadableFile(name: String, reason: String) throws {
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/dangling", withDestinationPath: scratch.path + "/nowhere")
        try FileManager.default.createDirectory(atPath: scratch.path + "/directory", withIntermediateDirectories: false)
        let error = #expect(throws: DropsyncError.self) {
            try SecretReference(["file": .string(scratch.path + "/" + name)])?.resolve(environment: [:])
        }
        #expect(error?.message == "secret file \(scratch.path)/\(name) cannot be read: \(reason)")
    }

    @Test("anything but one of env, file, credential is not a reference", arguments: [
        ["vault": "x"] as Record, ["env": 1], ["env": "A", "file": "B"], [:],
    ])
    func notAReference(record: Record) {
        #expect(SecretReference(record) == nil)
    }
}
