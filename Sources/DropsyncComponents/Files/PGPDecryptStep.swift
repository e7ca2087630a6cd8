import DropsyncCore
import PGP

/// `file.decrypt.pgp`: decrypts each file with the configured private key; `data.csv.gz.pgp`
/// passes on as `data.csv.gz`.
///
/// The key is read and unlocked when the dataflow loads, so `check` reports a key that cannot
/// decrypt (no secret key, no encryption subkey, expired, wrong passphrase) before any file
/// arrives. Decryption streams on a thread of its own; an error ends the file and fails the job
/// with a `PGP_*` code (see `PGPDecryption`), so a half-decrypted file is never taken as whole.
public struct PGPDecryptStep: FileTransformer {
    public static let spec = ComponentSpec(
        type: "file.decrypt.pgp",
        summary: "Decrypts OpenPGP files (GnuPG-compatible); the output name drops .pgp, .gpg or .asc.",
        input: .file, output: .file,
        params: [
            ParamSpec(
                "privateKey", .secret, required: true,
                "Our private key, armored (inline or by reference) or binary (by reference: {\"file\": …}, "
                    + "{\"credential\": …}, {\"env\": …})."),
            ParamSpec("passphrase", .secret, "The private key's passphrase, when it has one."),
            ParamSpec(
                "verifySignature", .boolean, default: false,
                "Require every file to be signed by the sender's publicKey; unsigned or badly signed files fail."),
            ParamSpec("publicKey", .oneOrMore(.secret), "The sender's public key(s), for verifySignature."),
        ])

    let decryption: PGPDecryption

    public init(params: Params) throws(ParamError) {
        let keys = try PGPKeyParams(params, keyParam: "privateKey")
        let own = try keys.keys("privateKey") ?? []
        try Self.requireDecryptionKey(own, keys)
        try keys.unlock(own)
        var senders: [PGPKeyInfo]?
        if params.bool("verifySignature") == true {
            guard let given = try keys.keys("publicKey") else {
                throw ParamError("publicKey", "is required when verifySignature is true: the sender's public key")
            }
            for sender in given { keys.warnIfExpiringSoon(sender, param: "publicKey") }
            senders = given
        }
        decryption = PGPDecryption(keyring: keys.keyring, ownKeys: own, senders: senders)
    }

    /// At least one usable encryption (sub)key whose secret part we hold.
    private static func requireDecryptionKey(_ own: [PGPKeyInfo], _ keys: PGPKeyParams) throws(ParamError) {
        let ids = own.map(\.displayID).joined(separator: ", ")
        let candidates = own.flatMap { key in ([key] + key.subkeys).map { (primary: key, key: $0) } }.filter { $0.key.canEncrypt }
        guard candidates.contains(where: { $0.key.hasSecret }) else {
            throw ParamError("privateKey", DropsyncError(
                "PGP_NO_SECRET_KEY",
                candidates.isEmpty ? "key \(ids) has no encryption subkey" : "key \(ids) is a public key; decryption needs the private key"))
        }
        let usable = candidates.filter { $0.key.hasSecret && $0.key.isUsable && $0.primary.isUsable }
        guard let first = usable.first else {
            let states = candidates.map { "\($0.key.displayID) \($0.key.isRevoked || $0.primary.isRevoked ? "revoked" : "expired")" }
            throw ParamError("privateKey", DropsyncError(
                "PGP_KEY_EXPIRED", "key \(own[0].fingerprint) cannot decrypt: " + states.joined(separator: ", ")))
        }
        keys.warnIfExpiringSoon(first.primary, used: first.key, param: "privateKey")
    }

    public func open(_ file: FileInfo, job: JobContext) throws -> (FileInfo, ThreadedFilter) {
        (file.renamed(Self.decryptedName(file.name)), decryption.filter())
    }

    /// `name` without a `.pgp`, `.gpg` or `.asc` suffix (any case); unchanged when it has none.
    static func decryptedName(_ name: String) -> String { FileNames.removingSuffix(name, oneOf: [".pgp", ".gpg", ".asc"]) }
}
