import CCrypto
import Foundation

/// The host name field of a known_hosts line, as OpenSSH matches it: comma-separated plain names
/// compared without case, or one hashed name, `|1|salt|hash` (both base64), as `HashKnownHosts yes`
/// and `ssh-keygen -H` write it, where the hash is the HMAC-SHA1 of the name keyed with the salt.
enum KnownHostsName {
    /// Whether `field` names `name` (a host, or `[host]:port` for another port than 22, lowercased).
    static func field(_ field: Substring, matches name: String) -> Bool {
        guard field.hasPrefix("|1|") else {
            return field.lowercased().split(separator: ",").contains { $0 == name }
        }
        let parts = field.dropFirst(3).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, let salt = Data(base64Encoded: String(parts[0])), let hash = Data(base64Encoded: String(parts[1]))
        else { return false }
        return hmacSHA1(key: [UInt8](salt), message: Array(name.utf8)) == [UInt8](hash)
    }

    /// OpenSSL's one-shot `HMAC` with SHA-1.
    private static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard HMAC(EVP_sha1(), key, Int32(key.count), message, message.count, &digest, &length) != nil else { return [] }
        return Array(digest.prefix(Int(length)))
    }
}
