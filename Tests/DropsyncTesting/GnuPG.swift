import Foundation

/// The real `gpg` (GnuPG 2.2), with a keyring of its own in a temporary `GNUPGHOME`, to prove
/// that what dropsync writes GnuPG reads and the other way round.
///
/// Keys are slow to make: create one `GnuPG`, generate the keys a suite needs, share it across the
/// suite's tests and call `stopAgent()` at the end. Every call works in a scratch directory of its
/// own (input, output, status and stderr files), so tests may run it in parallel. Passphrases go
/// through `--pinentry-mode loopback`; trust is `always`, so gpg never writes its trust database
/// while tests share it.
public final class GnuPG: Sendable {
    /// What `gpg` reported on a failure: its exit status and stderr.
    public struct Failure: Error, CustomStringConvertible {
        public var arguments: [String]
        public var status: Int32
        public var stderr: String
        public var description: String { "gpg \(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    /// What a successful decryption gave.
    public struct Decrypted: Sendable {
        public var plaintext: [UInt8]
        /// The `--status-file` lines (`[GNUPG:] GOODSIG …`, `VALIDSIG …`, …).
        public var status: String
    }

    public enum KeyType: String, Sendable {
        /// RSA 2048 primary (sign, certify); its encryption subkey is RSA 2048 too.
        case rsa = "rsa2048"
        /// Ed25519 primary (sign, certify); its encryption subkey is Curve25519 (`cv25519`).
        case ed25519
        var encryptionAlgorithm: String { self == .rsa ? "rsa2048" : "cv25519" }
    }

    private let directory: TemporaryDirectory
    /// The `GNUPGHOME` (mode 0700, as gpg demands).
    public var home: String { directory.path }

    public init() {
        directory = TemporaryDirectory("gnupg")
        chmod(directory.path, 0o700)
    }

    // MARK: Keys

    /// Makes a key pair and returns its fingerprint: a primary key (sign, certify) and one
    /// encryption subkey of `type`. `expires` is gpg's spelling (`never`, `10d`, `1y`);
    /// `createdAt` backdates the key (`--faked-system-time`), so that `1y` from two years ago is
    /// already expired.
    public func generateKey(
        _ userID: String, _ type: KeyType, passphrase: String? = nil, expires: String = "never", createdAt: Date? = nil
    ) throws -> String {
        try run(faking(createdAt) + passphraseArguments(passphrase ?? "") + ["--quick-gen-key", userID, type.rawValue, "sign,cert", expires])
        guard let fingerprint = try colonListing("=" + userID).first(where: { $0.first == "fpr" })?[9] else {
            throw Failure(arguments: ["--list-keys", userID], status: 0, stderr: "no key made for \(userID)")
        }
        try addEncryptionSubkey(to: fingerprint, type, passphrase: passphrase, expires: expires, createdAt: createdAt.map { $0 + 60 })
        return fingerprint
    }

    /// Adds another encryption subkey (created `createdAt`, else now) to the key.
    public func addEncryptionSubkey(
        to fingerprint: String, _ type: KeyType, passphrase: String? = nil, expires: String = "never", createdAt: Date? = nil
    ) throws {
        try run(faking(createdAt) + passphraseArguments(passphrase ?? "")
            + ["--quick-add-key", fingerprint, type.encryptionAlgorithm, "encr", expires])
    }

    /// Revokes the key with the revocation certificate gpg wrote when it made the key.
    public func revoke(_ fingerprint: String) throws {
        let certificate = try String(contentsOfFile: "\(home)/openpgp-revocs.d/\(fingerprint).rev", encoding: .utf8)
        // gpg stores it with the BEGIN line escaped (`:-----BEGIN`), against accidental import.
        let armored = certificate.replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN")
        try run(["--import"], input: Array(armored.utf8))
    }

    public func exportPublicKey(_ fingerprint: String, armor: Bool = true) throws -> [UInt8] {
        try run((armor ? ["--armor"] : []) + ["--export", fingerprint])
    }

    public func exportSecretKey(_ fingerprint: String, passphrase: String? = nil, armor: Bool = true) throws -> [UInt8] {
        try run(passphraseArguments(passphrase ?? "") + (armor ? ["--armor"] : []) + ["--export-secret-keys", fingerprint])
    }

    /// `gpg --with-colons --list-keys` of `key` (a fingerprint, or `=` and an exact user id), each
    /// line split at `:` (`pub`, `fpr`, `sub`, `uid`, …).
    public func colonListing(_ key: String) throws -> [[String]] {
        let listing = String(decoding: try run(["--with-colons", "--fixed-list-mode", "--list-keys", key]), as: UTF8.self)
        return listing.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }

    // MARK: Messages

    /// Encrypts `data` to `recipients` (fingerprints or user ids) as `gpg --encrypt` does;
    /// `signer` also signs it (`--sign -u`).
    public func encrypt(
        _ data: [UInt8], to recipients: [String], cipher: String = "AES256", compression: String = "zip", armor: Bool = false,
        signer: (key: String, passphrase: String?)? = nil
    ) throws -> [UInt8] {
        var arguments = ["--cipher-algo", cipher, "--compress-algo", compression] + (armor ? ["--armor"] : [])
        arguments += recipients.flatMap { ["--recipient", $0] }
        if let signer { arguments += passphraseArguments(signer.passphrase ?? "") + ["--sign", "--local-user", signer.key] }
        return try run(arguments + ["--encrypt"], input: data)
    }

    /// A message holding `data` as literal data, neither encrypted nor signed (`gpg --store`).
    public func store(_ data: [UInt8]) throws -> [UInt8] { try run(["--store"], input: data) }

    /// A message encrypted with a password instead of a key (`gpg --symmetric`).
    public func encryptSymmetrically(_ data: [UInt8], password: String) throws -> [UInt8] {
        try run(passphraseArguments(password) + ["--symmetric"], input: data)
    }

    /// `gpg --decrypt`, with `passphrase` for a protected key; signatures are checked and reported
    /// in `status`.
    public func decrypt(_ message: [UInt8], passphrase: String? = nil) throws -> Decrypted {
        let scratch = TemporaryDirectory("gpg-call")
        let output = try run(passphraseArguments(passphrase ?? "") + ["--status-file", scratch.path + "/status", "--decrypt"],
                             input: message, scratch: scratch)
        return Decrypted(plaintext: output, status: scratch.readText("status") ?? "")
    }

    /// `gpg --list-packets`: one `# off=… ctb=… tag=N …` line per packet, followed by its description.
    public func listPackets(_ message: [UInt8], passphrase: String? = nil) throws -> String {
        String(decoding: try run(passphraseArguments(passphrase ?? "") + ["--list-packets"], input: message), as: UTF8.self)
    }

    /// Stops the gpg-agent that gpg started for this home.
    public func stopAgent() {
        let scratch = TemporaryDirectory("gpg-call")
        _ = try? execute("/usr/bin/gpgconf", ["--kill", "gpg-agent"], scratch: scratch)
    }

    // MARK: Running gpg

    /// Runs `gpg --batch --yes … [input file]` and returns its output (`--output`, else stdout);
    /// throws `Failure` unless it exits 0.
    @discardableResult
    public func run(_ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
        try run(arguments, input: input, scratch: TemporaryDirectory("gpg-call"))
    }

    private func run(_ arguments: [String], input: [UInt8]?, scratch: TemporaryDirectory) throws -> [UInt8] {
        var full = ["--batch", "--yes", "--no-tty", "--trust-model", "always", "--output", scratch.path + "/output"] + arguments
        if let input { full.append(scratch.write("input", input)) }
        let status = try execute("/usr/bin/gpg", full, scratch: scratch)
        guard status == 0 else { throw Failure(arguments: arguments, status: status, stderr: scratch.readText("stderr") ?? "") }
        // Listings go to stdout whatever `--output` says.
        return scratch.read("output") ?? scratch.read("stdout") ?? []
    }

    /// Runs a program with this `GNUPGHOME`, stdout and stderr to files in `scratch`; a run longer
    /// than two minutes is killed with SIGKILL (SIGTERM may be blocked in test threads).
    private func execute(_ program: String, _ arguments: [String], scratch: TemporaryDirectory) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GNUPGHOME"] = home
        environment["LC_ALL"] = "C"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.write("stdout", [])))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.write("stderr", [])))
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning && ContinuousClock.now < deadline { usleep(2_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func passphraseArguments(_ passphrase: String) -> [String] {
        ["--pinentry-mode", "loopback", "--passphrase", passphrase]
    }

    private func faking(_ time: Date?) -> [String] {
        time.map { ["--faked-system-time", "\(Int($0.timeIntervalSince1970))!"] } ?? []
    }
}
