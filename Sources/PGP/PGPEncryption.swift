import CRNP
import DropsyncCore
import Foundation

/// The choices of an encryption, as `file.encrypt.pgp`'s params give them.
public struct PGPEncryptionSettings: Sendable {
    public static let ciphers = ["AES128", "AES192", "AES256", "CAMELLIA128", "CAMELLIA192", "CAMELLIA256", "TWOFISH"]
    public static let compressions = ["none", "zip", "zlib", "bzip2"]

    public var cipher = "AES256"
    public var armor = false
    /// Of `compressions`.
    public var compression = "none"

    public init(cipher: String = "AES256", armor: Bool = false, compression: String = "none") {
        self.cipher = cipher
        self.armor = armor
        self.compression = compression
    }

    /// librnp's compression name and level.
    var rnpCompression: (name: String, level: Int32) {
        switch compression {
        case "zip": ("ZIP", 6)
        case "zlib": ("ZLIB", 6)
        case "bzip2": ("BZip2", 6)
        default: ("Uncompressed", 0)
        }
    }
}

/// Encrypts to one message for several recipients, each through its newest usable encryption
/// (sub)key, optionally signed. Never emits AEAD packets (GnuPG 2.2 cannot read them): the
/// message is SEIPD v1 with MDC, as GnuPG writes it.
public struct PGPEncryption: Sendable {
    let keyring: PGPKeyring
    /// Fingerprints of the (sub)keys encrypted to.
    public let recipientKeys: [String]
    /// Fingerprint of the signing key, if any.
    let signer: String?
    let settings: PGPEncryptionSettings

    /// Picks each recipient's encryption key now; throws `PGP_KEY_EXPIRED`, `PGP_KEY_REVOKED` or
    /// `PGP_NO_ENCRYPTION_KEY` naming the key's fingerprint.
    public init(
        keyring: PGPKeyring, recipients: [PGPKeyInfo], signer: PGPKeyInfo?, settings: PGPEncryptionSettings,
        now: Date = Date()
    ) throws(DropsyncError) {
        self.keyring = keyring
        self.settings = settings
        recipientKeys = try recipients.map { (recipient) throws(DropsyncError) in try Self.encryptionKey(of: recipient, now: now).fingerprint }
        if let signer {
            try Self.requireUsable(signer, now: now)
            guard let signing = ([signer] + signer.subkeys).filter({ $0.usages.contains("sign") && $0.isUsable && $0.hasSecret })
                .max(by: { $0.created < $1.created }) else {
                throw DropsyncError("PGP_NO_SIGNING_KEY", "key \(signer.fingerprint) has no usable signing key with its secret part")
            }
            self.signer = signing.fingerprint
        } else {
            self.signer = nil
        }
    }

    /// The recipient's newest valid encryption-capable key: a subkey, or the primary key itself.
    public static func encryptionKey(of recipient: PGPKeyInfo, now: Date = Date()) throws(DropsyncError) -> PGPKeyInfo {
        try requireUsable(recipient, now: now)
        let candidates = (recipient.subkeys + [recipient]).filter { $0.canEncrypt }
        guard let newest = candidates.filter({ $0.isUsable && !isExpired($0, now) }).max(by: { $0.created < $1.created }) else {
            let unusable = candidates.map { "\($0.displayID) (\($0.isRevoked ? "revoked" : isExpired($0, now) ? "expired" : "not valid"))" }
            throw DropsyncError(
                "PGP_NO_ENCRYPTION_KEY",
                "key \(recipient.fingerprint) has no usable encryption subkey"
                    + (unusable.isEmpty ? "" : ": " + unusable.joined(separator: ", ")))
        }
        return newest
    }

    private static func requireUsable(_ key: PGPKeyInfo, now: Date) throws(DropsyncError) {
        if key.isRevoked { throw DropsyncError("PGP_KEY_REVOKED", "key \(key.fingerprint) is revoked") }
        if isExpired(key, now) {
            let date = key.expires.map { " on " + UTCDateFormat.iso8601($0) } ?? ""
            throw DropsyncError("PGP_KEY_EXPIRED", "key \(key.fingerprint) expired\(date)")
        }
        if !key.isValid { throw DropsyncError("PGP_KEY_INVALID", "key \(key.fingerprint) is not valid (bad or missing self-signature)") }
    }

    private static func isExpired(_ key: PGPKeyInfo, _ now: Date) -> Bool {
        key.isExpired || (key.expires.map { $0 <= now } ?? false)
    }

    /// A filter that encrypts one file, on a thread of its own.
    public func filter(fileName: String) -> ThreadedFilter {
        ThreadedFilter(name: "pgp-encrypt") { pipe in try self.encrypt(pipe, fileName: fileName) }
    }

    func encrypt(_ pipe: ThreadedFilter.Pipe, fileName: String) throws(DropsyncError) {
        try keyring.withContext { () throws(DropsyncError) in
            let stream = try PGPStream(pipe)
            // librnp calls back into `stream` until the operation is destroyed (the later defer).
            defer { withExtendedLifetime(stream) {} }
            var created: rnp_op_encrypt_t?
            try RNP.check(rnp_op_encrypt_create(&created, keyring.ffi, stream.input, stream.output),
                          "PGP_FAILED", "encryption could not start")
            guard let operation = created else { throw DropsyncError("PGP_FAILED", "encryption could not start") }
            defer { rnp_op_encrypt_destroy(operation) }
            for fingerprint in recipientKeys {
                guard let key = keyring.handle(fingerprint: fingerprint) else {
                    throw DropsyncError("PGP_FAILED", "recipient key \(fingerprint) is missing from the keyring")
                }
                try RNP.check(rnp_op_encrypt_add_recipient(operation, key.handle), "PGP_FAILED", "cannot encrypt to key \(fingerprint)")
            }
            if let signer {
                guard let key = keyring.handle(fingerprint: signer) else {
                    throw DropsyncError("PGP_FAILED", "signing key \(signer) is missing from the keyring")
                }
                try RNP.check(rnp_op_encrypt_add_signature(operation, key.handle, nil), "PGP_FAILED", "cannot sign with key \(signer)")
                rnp_op_encrypt_set_hash(operation, "SHA256")
            }
            try RNP.check(rnp_op_encrypt_set_cipher(operation, settings.cipher), "PGP_FAILED", "cipher \(settings.cipher) is not available")
            try RNP.check(rnp_op_encrypt_set_aead(operation, "None"), "PGP_FAILED", "AEAD could not be turned off")
            rnp_op_encrypt_set_armor(operation, settings.armor)
            let compression = settings.rnpCompression
            try RNP.check(rnp_op_encrypt_set_compression(operation, compression.name, compression.level),
                          "PGP_FAILED", "compression \(settings.compression) is not available")
            rnp_op_encrypt_set_file_name(operation, fileName)
            let result = rnp_op_encrypt_execute(operation)
            if stream.abandoned { throw DropsyncError("CANCELLED", "encryption stopped: the step ended") }
            try RNP.check(result, "PGP_ENCRYPT_FAILED", "encryption failed")
            try stream.finishOutput()
        }
    }
}
