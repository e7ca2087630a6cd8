import DropsyncCore
import PGP

/// `file.encrypt.pgp`: encrypts each file to the partner's public key(s) in one message, as
/// GnuPG 2.2 reads it (SEIPD with MDC, never AEAD); `data.csv.gz` passes on as `data.csv.gz.pgp`.
///
/// Each recipient's newest usable encryption subkey is chosen when the dataflow loads; an expired
/// or revoked key is refused then, naming its fingerprint, and `check` warns 30 days ahead.
public struct PGPEncryptStep: FileTransformer {
    public static let spec = ComponentSpec(
        type: "file.encrypt.pgp",
        summary: "Encrypts files with OpenPGP to one or more public keys (GnuPG-compatible), optionally signed.",
        input: .file, output: .file,
        params: [
            ParamSpec(
                "publicKey", .oneOrMore(.secret), required: true,
                "The recipient's public key, armored (inline or by reference) or binary (by reference); a list "
                    + "encrypts one message to several recipients."),
            ParamSpec("armor", .boolean, default: false, "ASCII-armored output instead of binary."),
            ParamSpec("cipher", .oneOf(PGPEncryptionSettings.ciphers), default: "AES256", "Symmetric cipher."),
            ParamSpec(
                "compression", .oneOf(PGPEncryptionSettings.compressions), default: "none",
                "Compression inside the message; none by default, as the payload is usually gzip already."),
            ParamSpec("signWith", .secret, "Our private key, to sign the message with."),
            ParamSpec("passphrase", .secret, "The passphrase of signWith, when it has one."),
            ParamSpec("fileName", .string, "Output file name (macros allowed); default: the input name + .pgp."),
        ])

    let encryption: PGPEncryption
    let fileName: String?

    public init(params: Params) throws(ParamError) {
        let keys = try PGPKeyParams(params, keyParam: "publicKey")
        let recipients = try keys.keys("publicKey") ?? []
        for recipient in recipients {
            do {
                keys.warnIfExpiringSoon(recipient, used: try PGPEncryption.encryptionKey(of: recipient, now: keys.now), param: "publicKey")
            } catch {
                throw ParamError("publicKey", error)
            }
        }
        var signer: PGPKeyInfo?
        if let signing = try keys.keys("signWith") {
            guard signing.count == 1, let key = signing.first else {
                throw ParamError("signWith", "must hold exactly one key, found \(signing.count)")
            }
            try keys.unlock([key])
            keys.warnIfExpiringSoon(key, param: "signWith")
            signer = key
        }
        let settings = PGPEncryptionSettings(
            cipher: params.string("cipher") ?? "AES256", armor: params.bool("armor") ?? false,
            compression: params.string("compression") ?? "none")
        do {
            encryption = try PGPEncryption(keyring: keys.keyring, recipients: recipients, signer: signer, settings: settings, now: keys.now)
        } catch {
            throw ParamError(error.code == "PGP_NO_SIGNING_KEY" ? "signWith" : "publicKey", error)
        }
        fileName = try params.template("fileName")
    }

    public func open(_ file: FileInfo, job: JobContext) throws -> (FileInfo, ThreadedFilter) {
        let name = try fileName.map { try Macros.expand($0, job.macros) } ?? file.name + ".pgp"
        try FileNames.checkSafe(name)
        return (file.renamed(name), encryption.filter(fileName: file.name))
    }
}
