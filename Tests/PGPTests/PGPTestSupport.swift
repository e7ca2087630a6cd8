import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// Every PGP suite nests in this one, so the keys are made once and gpg-agent stops after the
/// last test.
@Suite(.gnupgKeys) enum GnuPGInterop {}

/// A key pair made by gpg, exported for dropsync's params.
struct TestKey: Sendable {
    let userID: String
    let fingerprint: String
    let passphrase: String?
    /// Armored, as gpg exports them.
    let publicKey: String
    let secretKey: String
}

/// The keys of the suites, in one GnuPG home:
/// - alice: RSA 2048 with an RSA encryption subkey, no passphrase;
/// - bob: Ed25519 with a Curve25519 encryption subkey, protected by a passphrase;
/// - carol: Ed25519 made two days ago, with two encryption subkeys (the second made now);
/// - soon: expires in 10 days; expired: expired a month ago; revoked: revoked.
struct TestKeys: Sendable {
    let gnupg: GnuPG
    let alice, bob, carol, soon, expired, revoked: TestKey

    @TaskLocal static var scoped: TestKeys?

    /// The keys of the running suite.
    static var current: TestKeys {
        get throws { try #require(scoped, "the test must run inside the GnuPGInterop suite") }
    }

    static func generate() throws -> TestKeys {
        let gnupg = GnuPG()
        let now = Date()
        func make(_ name: String, _ type: GnuPG.KeyType, passphrase: String? = nil, expires: String = "never",
                  createdAt: Date? = nil) throws -> TestKey {
            let userID = "\(name.capitalized) <\(name)@example.com>"
            let fingerprint = try gnupg.generateKey(userID, type, passphrase: passphrase, expires: expires, createdAt: createdAt)
            return try export(userID, fingerprint, passphrase)
        }
        func export(_ userID: String, _ fingerprint: String, _ passphrase: String?) throws -> TestKey {
            TestKey(
                userID: userID, fingerprint: fingerprint, passphrase: passphrase,
                publicKey: String(decoding: try gnupg.exportPublicKey(fingerprint), as: UTF8.self),
                secretKey: String(decoding: try gnupg.exportSecretKey(fingerprint, passphrase: passphrase), as: UTF8.self))
        }
        let alice = try make("alice", .rsa)
        let bob = try make("bob", .ed25519, passphrase: "bob's correct horse")
        let twoDaysAgo = now - 2 * 86400
        var carol = try make("carol", .ed25519, createdAt: twoDaysAgo)
        try gnupg.addEncryptionSubkey(to: carol.fingerprint, .ed25519)
        carol = try export(carol.userID, carol.fingerprint, nil)
        let soon = try make("soon", .ed25519, expires: "10d")
        let expired = try make("expired", .ed25519, expires: "1y", createdAt: now - 400 * 86400)
        var revoked = try make("revoked", .ed25519)
        try gnupg.revoke(revoked.fingerprint)
        revoked = try export(revoked.userID, revoked.fingerprint, nil)
        return TestKeys(gnupg: gnupg, alice: alice, bob: bob, carol: carol, soon: soon, expired: expired, revoked: revoked)
    }

    /// The fingerprints of a key's encryption subkeys, oldest first, as gpg lists them.
    func encryptionSubkeys(of key: TestKey) throws -> [(fingerprint: String, keyID: String, created: Int)] {
        var subkeys: [(fingerprint: String, keyID: String, created: Int)] = []
        var pending: (keyID: String, created: Int)?
        for fields in try gnupg.colonListing(key.fingerprint) {
            if fields[0] == "sub" {
                pending = fields[11].contains("e") ? (fields[4], Int(fields[5]) ?? 0) : nil
            } else if fields[0] == "fpr", let subkey = pending {
                subkeys.append((fields[9], subkey.keyID, subkey.created))
                pending = nil
            }
        }
        return subkeys.sorted { $0.created < $1.created }
    }
}

/// Makes the keys before a suite runs and stops gpg-agent after it.
struct GnuPGKeysTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let keys = try TestKeys.generate()
        defer { keys.gnupg.stopAgent() }
        try await TestKeys.$scoped.withValue(keys) { try await function() }
    }
}

extension Trait where Self == GnuPGKeysTrait {
    static var gnupgKeys: Self { GnuPGKeysTrait() }
}

// MARK: Payloads and packets

/// Text and every byte value: what a partner sends, with something in it that text handling would
/// spoil.
func samplePayload(lines: Int = 2000) -> [UInt8] {
    Array((0..<lines).map { "\($0);name \($0);user\($0)@example.com;ü€\r\n" }.joined().utf8) + (0...255).map { UInt8($0) }
}

/// Bytes that do not compress, as a gzip file's are (xorshift, so the same every run).
func incompressiblePayload(_ count: Int) -> [UInt8] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}

/// One file as a reader sends it: `fileStart`, `bytes` in `chunkSize` pieces, `fileEnd`.
func packets(_ name: String, _ bytes: [UInt8], chunkSize: Int = 64 * 1024) -> [Packet] {
    let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { Packet.bytes(Array(bytes[$0..<min($0 + chunkSize, bytes.count)])) }
    return [.fileStart(FileInfo(name: name, path: "/in/" + name, location: "test:"))] + chunks + [.fileEnd]
}

// MARK: Params

/// `file.decrypt.pgp` params for `key`, armored inline, with its passphrase when it has one.
func decryptParams(_ key: TestKey) -> Record {
    var params: Record = ["privateKey": .string(key.secretKey)]
    if let passphrase = key.passphrase { params["passphrase"] = .string(passphrase) }
    return params
}

/// `file.encrypt.pgp` params to `recipients` (public keys inline), and any others.
func encryptParams(_ recipients: [TestKey], _ others: Record = Record()) -> Record {
    let keys = recipients.map { Value.string($0.publicKey) }
    var params: Record = ["publicKey": keys.count == 1 ? keys[0] : .array(keys)]
    for field in others.fields { params[field.name] = field.value }
    return params
}

/// The `[CODE]` a `ParamError`'s message ends with.
func code(of error: ParamError) -> String? {
    guard error.message.hasSuffix("]"), let open = error.message.lastIndex(of: "[") else { return nil }
    return String(error.message[error.message.index(after: open)..<error.message.index(before: error.message.endIndex)])
}

/// Makes the step from params as `check` does; the `ParamError` it throws, if any.
func paramError<C: Component>(_ type: C.Type, _ record: Record) -> ParamError? {
    do {
        _ = try C(params: Params(record, spec: C.spec, baseDirectory: "/"))
        return nil
    } catch {
        return error
    }
}

/// Whether `text` shows nothing of `key`: no armor header, no line of its base64, no passphrase.
func revealsNothing(of key: TestKey, in text: String) -> Bool {
    revealsNothing(of: key.publicKey + "\n" + key.secretKey, passphrase: key.passphrase, in: text)
}

/// Whether `text` shows nothing of armored `material`: no armor header, no line of its base64,
/// not the passphrase.
func revealsNothing(of material: String, passphrase: String? = nil, in text: String) -> Bool {
    let lines = material.split(separator: "\n").filter { $0.count >= 16 && !$0.hasPrefix("-----") }
    return !text.contains("-----BEGIN") && !lines.contains { text.contains($0) } && !(passphrase.map { text.contains($0) } ?? false)
}

// MARK: Running a step that fails

/// What a step sent before it ended, and the error it ended with.
struct StepOutcome {
    var output: [Packet]
    var error: DropsyncError?

    /// Whether any file was passed on whole (its `fileEnd` sent).
    var completedAFile: Bool { output.contains { if case .fileEnd = $0 { true } else { false } } }
    var files: [(info: FileInfo, bytes: [UInt8])] { HarnessResult.files(in: output) }
}

/// Runs the step, keeping what it sent before it failed.
func runKeepingOutput<C: Component>(_ type: C.Type, params: Record, input: [Packet]) async throws -> StepOutcome {
    let (result, failure) = try await ComponentHarness.runKeepingOutput(try ComponentHarness.make(type, params), input: input)
    return StepOutcome(output: result.output, error: failure as? DropsyncError)
}
