import CRNP
import DropsyncCore
import Foundation

/// The keys of one component, in one librnp context (`rnp_ffi_t`). Keys are imported once, when
/// the component is made for a job; librnp calls on the context are serialized by `withContext`.
public final class PGPKeyring: @unchecked Sendable {
    let ffi: rnp_ffi_t
    private let lock = NSLock()
    /// librnp writes diagnostics to stderr unless given another descriptor.
    private let logSink: Int32

    public init() throws(DropsyncError) {
        var created: rnp_ffi_t?
        try RNP.check(rnp_ffi_create(&created, "GPG", "GPG"), "PGP_FAILED", "librnp could not start")
        guard let created else { throw DropsyncError("PGP_FAILED", "librnp could not start") }
        ffi = created
        logSink = open("/dev/null", O_WRONLY | O_CLOEXEC)
        if logSink >= 0 { rnp_ffi_set_log_fd(ffi, logSink) }
    }

    deinit {
        rnp_ffi_destroy(ffi)
        if logSink >= 0 { close(logSink) }
    }

    /// Imports every key in `material` (armored or binary, public or secret); returns the primary
    /// keys it held, as they now stand in the keyring. `source` names the material in errors
    /// (never its content).
    public func importKeys(_ material: [UInt8], source: String) throws(DropsyncError) -> [PGPKeyInfo] {
        try withContext { () throws(DropsyncError) -> [PGPKeyInfo] in
            guard !material.isEmpty else { throw DropsyncError("PGP_KEY_INVALID", "\(source) is empty") }
            var input: rnp_input_t?
            try RNP.check(
                material.withUnsafeBufferPointer { rnp_input_from_memory(&input, $0.baseAddress, $0.count, true) },
                "PGP_KEY_INVALID", "\(source) cannot be read")
            defer { rnp_input_destroy(input) }
            let flags = UInt32(RNP_LOAD_SAVE_PUBLIC_KEYS | RNP_LOAD_SAVE_SECRET_KEYS)
            guard let report = RNP.string({ rnp_import_keys(ffi, input, flags, $0) }) else {
                throw DropsyncError("PGP_KEY_INVALID", "\(source) is not an OpenPGP key (armored or binary)")
            }
            var primaries: [String] = []
            for fingerprint in Self.importedFingerprints(report) {
                guard let key = handle(fingerprint: fingerprint) else { continue }
                // The report's spelling of a fingerprint may differ from librnp's own: use the key's.
                let primary = RNP.flag { rnp_key_is_primary(key.handle, $0) }
                    ? key.fingerprint : RNP.string { rnp_key_get_primary_fprint(key.handle, $0) } ?? key.fingerprint
                if !primaries.contains(primary) { primaries.append(primary) }
            }
            guard !primaries.isEmpty else {
                throw DropsyncError("PGP_KEY_INVALID", "\(source) holds no OpenPGP key")
            }
            return primaries.compactMap { handle(fingerprint: $0)?.info }
        }
    }

    /// Decrypts the secret key material of `key` and its subkeys with `passphrase`, once, so
    /// later operations need no passphrase. Throws `PGP_PASSPHRASE_MISSING` or
    /// `PGP_BAD_PASSPHRASE` naming the key.
    public func unlockSecretKeys(of key: PGPKeyInfo, passphrase: String?) throws(DropsyncError) {
        try withContext { () throws(DropsyncError) in
            guard let primary = handle(fingerprint: key.fingerprint) else { return }
            for candidate in [primary] + primary.subkeys where RNP.flag({ rnp_key_have_secret(candidate.handle, $0) }) {
                guard RNP.flag({ rnp_key_is_locked(candidate.handle, $0) }) else { continue }
                let id = candidate.info.displayID
                guard let passphrase else {
                    throw DropsyncError("PGP_PASSPHRASE_MISSING", "private key \(id) is protected by a passphrase, and none is configured")
                }
                let result = rnp_key_unlock(candidate.handle, passphrase)
                if result == rnp_result_t(RNP_ERROR_BAD_PASSWORD) {
                    throw DropsyncError("PGP_BAD_PASSPHRASE", "the configured passphrase does not unlock private key \(id)")
                }
                try RNP.check(result, "PGP_KEY_INVALID", "private key \(id) cannot be unlocked")
            }
        }
    }

    /// The key or subkey with this fingerprint, if the keyring holds it.
    func handle(fingerprint: String) -> PGPKeyHandle? {
        var key: rnp_key_handle_t?
        guard rnp_locate_key(ffi, "fingerprint", fingerprint, &key) == RNP.success, let key else { return nil }
        return PGPKeyHandle(key)
    }

    /// Runs librnp work on this context, one caller at a time, its diagnostics silenced.
    func withContext<T>(_ work: () throws(DropsyncError) -> T) throws(DropsyncError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try LibraryDiagnostics.silenced(work)
    }

    /// The fingerprints in `rnp_import_keys`' JSON report (`{"keys": [{"fingerprint": …}, …]}`).
    private static func importedFingerprints(_ report: String) -> [String] {
        guard case .object(let root)? = try? JSONParser.parse(report),
              case .array(let keys)? = root["keys"] else { return [] }
        return keys.compactMap { key in
            guard case .object(let fields) = key else { return nil }
            return fields["fingerprint"]?.stringValue
        }
    }
}
