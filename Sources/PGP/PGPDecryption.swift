import CRNP
import DropsyncCore

/// Decrypts OpenPGP messages with the keyring's private keys, streaming, and (when asked)
/// requires them to be signed by a configured sender key.
///
/// Errors name what a person can act on: `PGP_EMPTY`, `PGP_NOT_PGP`, `PGP_WRONG_KEY` (with the
/// key ids the message was encrypted for), `PGP_BAD_PASSPHRASE`, `PGP_TRUNCATED`,
/// `PGP_INTEGRITY` (tampered, or without integrity protection), `PGP_NOT_ENCRYPTED`,
/// `PGP_CORRUPT`, `PGP_UNSIGNED`, `PGP_BAD_SIGNATURE`. Output already passed on before an error
/// is never completed: the error ends the file.
public struct PGPDecryption: Sendable {
    let keyring: PGPKeyring
    /// The configured private keys, for "not configured" messages.
    let ownKeys: [PGPKeyInfo]
    /// The keys a message must be signed by; nil when signatures are not checked.
    let senders: [PGPKeyInfo]?

    public init(keyring: PGPKeyring, ownKeys: [PGPKeyInfo], senders: [PGPKeyInfo]?) {
        self.keyring = keyring
        self.ownKeys = ownKeys
        self.senders = senders
    }

    /// A filter that decrypts one file, on a thread of its own.
    public func filter() -> ThreadedFilter {
        ThreadedFilter(name: "pgp-decrypt") { pipe in try self.decrypt(pipe) }
    }

    func decrypt(_ pipe: ThreadedFilter.Pipe) throws(DropsyncError) {
        try keyring.withContext { () throws(DropsyncError) in
            let stream = try PGPStream(pipe)
            // librnp calls back into `stream` until the operation is destroyed (the later defer).
            defer { withExtendedLifetime(stream) {} }
            var created: rnp_op_verify_t?
            try RNP.check(rnp_op_verify_create(&created, keyring.ffi, stream.input, stream.output),
                          "PGP_FAILED", "decryption could not start")
            guard let operation = created else { throw DropsyncError("PGP_FAILED", "decryption could not start") }
            defer { rnp_op_verify_destroy(operation) }
            let flags = senders == nil ? RNP_VERIFY_IGNORE_SIGS_ON_DECRYPT : RNP_VERIFY_REQUIRE_ALL_SIGS
            rnp_op_verify_set_flags(operation, UInt32(flags))
            let result = rnp_op_verify_execute(operation)
            if stream.abandoned { throw DropsyncError("CANCELLED", "decryption stopped: the step ended") }
            guard result == RNP.success else { throw failure(result, operation, stream) }
            try checkProtection(operation)
            if let senders { try checkSignatures(operation, senders) }
            try stream.finishOutput()
        }
    }

    /// What a failed `rnp_op_verify_execute` means, told as a person can act on it.
    private func failure(_ result: rnp_result_t, _ operation: rnp_op_verify_t, _ stream: PGPStream) -> DropsyncError {
        if stream.bytesRead == 0 { return DropsyncError("PGP_EMPTY", "the file is empty; expected an OpenPGP message") }
        let recipients = Self.recipientKeyIDs(operation)
        let reason = RNP.describe(result)
        switch Int(result) {
        case Int(RNP_ERROR_NO_SUITABLE_KEY), Int(RNP_ERROR_KEY_NOT_FOUND), Int(RNP_ERROR_BAD_PASSWORD):
            // Our keys are unlocked when the step is made: a password asked for now is the
            // message's own (symmetric encryption).
            if recipients.isEmpty {
                return DropsyncError("PGP_WRONG_KEY", "the message is encrypted with a password, not to a public key")
            }
            let ownKeyIDs = Set(ownKeys.flatMap { [$0] + $0.subkeys }.map(\.displayID))
            if let ours = recipients.first(where: ownKeyIDs.contains) {
                // Our key is among the recipients, yet its session key does not decrypt.
                return DropsyncError(
                    "PGP_CORRUPT", "the message is encrypted for key \(ours), but its encrypted session key is damaged (\(reason))")
            }
            return DropsyncError(
                "PGP_WRONG_KEY",
                "encrypted for key \(recipients.joined(separator: ", ")), which is not configured "
                    + "(the configured private key is \(Self.describe(ownKeys)))")
        case Int(RNP_ERROR_SIGNATURE_INVALID), Int(RNP_ERROR_SIGNATURE_EXPIRED), Int(RNP_ERROR_SIGNATURE_UNKNOWN),
             Int(RNP_ERROR_VERIFICATION_FAILED), Int(RNP_ERROR_NO_SIGNATURES_FOUND):
            return DropsyncError("PGP_BAD_SIGNATURE", "the message's signature does not verify against the configured sender key (\(reason))")
        case let code where [Int(RNP_ERROR_BAD_FORMAT), Int(RNP_ERROR_UNKNOWN_TAG)].contains(code)
            && recipients.isEmpty && stream.bytesWritten == 0:
            return DropsyncError("PGP_NOT_PGP", "the file is not an OpenPGP message (\(reason))")
        default:
            // librnp reports a message cut short and one that fails its integrity check alike;
            // the packet framing tells them apart.
            switch (stream.framing.endsOnPacketBoundary, stream.reachedEnd) {
            case (false?, true):
                return DropsyncError("PGP_TRUNCATED", "the message ends early: the file is truncated or incomplete")
            case (true?, _):
                return DropsyncError("PGP_INTEGRITY", "the message fails its integrity check: it was modified or damaged after encryption")
            default:
                return DropsyncError("PGP_CORRUPT", "the message is damaged and cannot be decrypted (\(reason))")
            }
        }
    }

    /// Requires encryption with integrity protection: a bare literal or signed message, or one
    /// without MDC, is refused.
    private func checkProtection(_ operation: rnp_op_verify_t) throws(DropsyncError) {
        var mode: UnsafeMutablePointer<CChar>?
        var cipher: UnsafeMutablePointer<CChar>?
        var valid = false
        guard rnp_op_verify_get_protection_info(operation, &mode, &cipher, &valid) == RNP.success else { return }
        defer {
            rnp_buffer_destroy(mode)
            rnp_buffer_destroy(cipher)
        }
        let protection = mode.map { String(cString: $0) } ?? "none"
        if protection == "none" {
            throw DropsyncError("PGP_NOT_ENCRYPTED", "the file is an OpenPGP message, but not an encrypted one")
        }
        if protection == "cfb" {
            throw DropsyncError("PGP_INTEGRITY", "the message has no integrity protection (no MDC); it may have been modified")
        }
        if !valid {
            throw DropsyncError("PGP_INTEGRITY", "the message fails its integrity check: it was modified or damaged after encryption")
        }
    }

    /// Requires at least one signature, every one valid and made by a sender key.
    private func checkSignatures(_ operation: rnp_op_verify_t, _ senders: [PGPKeyInfo]) throws(DropsyncError) {
        let count = RNP.count { rnp_op_verify_get_signature_count(operation, $0) }
        guard count > 0 else {
            throw DropsyncError("PGP_UNSIGNED", "the message is not signed, but verifySignature requires a signature by \(Self.describe(senders))")
        }
        let accepted = Set(senders.flatMap { [$0.fingerprint] + $0.subkeys.map(\.fingerprint) })
        for index in 0..<count {
            var signature: rnp_op_verify_signature_t?
            guard rnp_op_verify_get_signature_at(operation, index, &signature) == RNP.success, let signature else { continue }
            let status = rnp_op_verify_signature_get_status(signature)
            var key: rnp_key_handle_t?
            let signer = rnp_op_verify_signature_get_key(signature, &key) == RNP.success ? key.map(PGPKeyHandle.init) : nil
            guard status == RNP.success, let signer, accepted.contains(signer.fingerprint) else {
                let who = signer.map { "key 0x" + $0.info.keyID } ?? "a key that is not configured"
                throw DropsyncError(
                    "PGP_BAD_SIGNATURE",
                    "the message's signature by \(who) does not verify against the configured sender key \(Self.describe(senders))"
                        + (status == RNP.success ? "" : " (\(RNP.describe(status)))"))
            }
        }
    }

    private static func recipientKeyIDs(_ operation: rnp_op_verify_t) -> [String] {
        (0..<RNP.count { rnp_op_verify_get_recipient_count(operation, $0) }).compactMap { index in
            var recipient: rnp_recipient_handle_t?
            guard rnp_op_verify_get_recipient_at(operation, index, &recipient) == RNP.success, let recipient else { return nil }
            return RNP.string { rnp_recipient_get_keyid(recipient, $0) }.map { "0x" + $0 }
        }
    }

    /// Keys as errors name them: `0x…` of the primary key, with its subkeys.
    static func describe(_ keys: [PGPKeyInfo]) -> String {
        keys.map { key in
            key.subkeys.isEmpty ? key.displayID : "\(key.displayID) (subkeys \(key.subkeys.map(\.displayID).joined(separator: ", ")))"
        }.joined(separator: ", ")
    }
}
