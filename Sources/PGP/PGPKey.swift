import CRNP
import Foundation

/// What a person preparing an integration needs to know of an OpenPGP key or subkey.
public struct PGPKeyInfo: Sendable, Hashable {
    public var fingerprint: String
    /// The 16-hex-digit key id, the form GnuPG's messages show.
    public var keyID: String
    /// librnp's algorithm name (`RSA`, `EDDSA`, `ECDH`, …).
    public var algorithm: String
    public var bits: Int
    /// The curve of an elliptic-curve key (`Ed25519`, `Curve25519`, …).
    public var curve: String?
    public var created: Date
    /// Nil when the key never expires.
    public var expires: Date?
    public var isRevoked: Bool
    public var isExpired: Bool
    /// Usable now by librnp's judgement: signed correctly, not expired, not revoked.
    public var isValid: Bool
    /// Of `sign`, `certify`, `encrypt`, `authenticate`.
    public var usages: [String]
    public var hasSecret: Bool
    /// The secret key is protected by a passphrase.
    public var isProtected: Bool
    /// Empty for a subkey.
    public var userIDs: [String]
    /// Empty for a subkey.
    public var subkeys: [PGPKeyInfo]

    /// `0x` and the key id: how errors name a key.
    public var displayID: String { "0x" + keyID }

    public var canEncrypt: Bool { usages.contains("encrypt") }

    /// Whether the key is fit for use now: valid, not revoked, not expired.
    public var isUsable: Bool { isValid && !isRevoked && !isExpired }
}

/// An owned `rnp_key_handle_t`.
final class PGPKeyHandle {
    let handle: rnp_key_handle_t

    init(_ handle: rnp_key_handle_t) { self.handle = handle }
    deinit { rnp_key_handle_destroy(handle) }

    var fingerprint: String { RNP.string { rnp_key_get_fprint(handle, $0) } ?? "" }

    var subkeys: [PGPKeyHandle] {
        (0..<RNP.count { rnp_key_get_subkey_count(handle, $0) }).compactMap { index in
            var subkey: rnp_key_handle_t?
            guard rnp_key_get_subkey_at(handle, index, &subkey) == RNP.success, let subkey else { return nil }
            return PGPKeyHandle(subkey)
        }
    }

    var info: PGPKeyInfo {
        let created = RNP.number { rnp_key_get_creation(handle, $0) }
        let lifetime = RNP.number { rnp_key_get_expiration(handle, $0) }
        let isPrimary = RNP.flag { rnp_key_is_primary(handle, $0) }
        return PGPKeyInfo(
            fingerprint: fingerprint,
            keyID: RNP.string { rnp_key_get_keyid(handle, $0) } ?? "",
            algorithm: RNP.string { rnp_key_get_alg(handle, $0) } ?? "unknown",
            bits: Int(RNP.number { rnp_key_get_bits(handle, $0) }),
            curve: RNP.string { rnp_key_get_curve(handle, $0) },
            created: Date(timeIntervalSince1970: TimeInterval(created)),
            expires: lifetime == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(created) + TimeInterval(lifetime)),
            isRevoked: RNP.flag { rnp_key_is_revoked(handle, $0) },
            isExpired: RNP.flag { rnp_key_is_expired(handle, $0) },
            isValid: RNP.flag { rnp_key_is_valid(handle, $0) },
            usages: ["sign", "certify", "encrypt", "authenticate"].filter { usage in
                RNP.flag { rnp_key_allows_usage(handle, usage, $0) }
            },
            hasSecret: RNP.flag { rnp_key_have_secret(handle, $0) },
            isProtected: RNP.flag { rnp_key_is_protected(handle, $0) },
            userIDs: isPrimary ? userIDs : [],
            subkeys: isPrimary ? subkeys.map(\.info) : [])
    }

    private var userIDs: [String] {
        (0..<RNP.count { rnp_key_get_uid_count(handle, $0) }).compactMap { index in
            RNP.string { rnp_key_get_uid_at(handle, index, $0) }
        }
    }
}
