import DropsyncCore
import Foundation
import PGP

/// Reads the key params of the PGP steps into the step's keyring, once per job. Errors and
/// warnings name the param and where the key came from, never the key material.
struct PGPKeyParams {
    /// Keys expiring sooner than this get a warning from `check`.
    static let expiryWarning: TimeInterval = 30 * 24 * 3600

    let params: Params
    let keyring: PGPKeyring
    let now: Date

    /// `keyParam` is the step's main key param, blamed if librnp cannot start.
    init(_ params: Params, keyParam: String, now: Date = Date()) throws(ParamError) {
        self.params = params
        self.now = now
        do {
            keyring = try PGPKeyring()
        } catch {
            throw ParamError(keyParam, error)
        }
    }

    /// The primary keys of every key material the param gives (one or a list); nil when absent.
    func keys(_ name: String) throws(ParamError) -> [PGPKeyInfo]? {
        guard let materials = try params.secretMaterials(name) else { return nil }
        var keys: [PGPKeyInfo] = []
        for material in materials {
            do {
                keys += try keyring.importKeys(material.value, source: material.source)
            } catch {
                throw ParamError(name, error)
            }
        }
        return keys
    }

    /// Unlocks the secret keys with the `passphrase` param (validating it now).
    func unlock(_ keys: [PGPKeyInfo]) throws(ParamError) {
        let passphrase = try params.secret("passphrase")
        for key in keys {
            do {
                try keyring.unlockSecretKeys(of: key, passphrase: passphrase)
            } catch {
                throw ParamError("passphrase", error)
            }
        }
    }

    /// Warns about a key (the one used: `used`, else the primary) that expires within 30 days.
    func warnIfExpiringSoon(_ key: PGPKeyInfo, used: PGPKeyInfo? = nil, param: String) {
        let expiries = [key.expires, used?.expires].compactMap { $0 }
        guard let expiry = expiries.min(), expiry > now, expiry.timeIntervalSince(now) < Self.expiryWarning else { return }
        let days = Int(expiry.timeIntervalSince(now) / 86400)
        params.warnings.add(param, "key \(key.fingerprint) expires on \(UTCDateFormat.format(expiry, pattern: "yyyy-MM-dd")) (in \(days) days)")
    }
}
