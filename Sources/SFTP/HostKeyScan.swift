import DropsyncCore

/// Every host key a server offers, one key exchange per algorithm: what `dropsync sftp trust`
/// shows when a partner integration is set up.
public enum HostKeyScan {
    /// libssh2's host key algorithms, strongest first. (libssh2 1.10 checks RSA host keys only with
    /// SHA-1 signatures, `ssh-rsa`, which OpenSSH 9 servers no longer offer by default.)
    static let algorithms = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]

    /// The keys, distinct, in the order above; throws when the server cannot be reached at all.
    public static func keys(host: String, port: Int, timeout: Duration = .seconds(30)) throws(DropsyncError) -> [SSHHostKey] {
        var keys: [SSHHostKey] = []
        var firstFailure: DropsyncError?
        for algorithm in algorithms {
            do {
                let key = try SSHSession(host: host, port: port, timeout: timeout, hostKeyTypes: algorithm).hostKey
                if !keys.contains(key) { keys.append(key) }
            } catch {
                if error.code == "CONNECTION_FAILED" { throw error }
                firstFailure = firstFailure ?? error
            }
        }
        if keys.isEmpty, let firstFailure { throw firstFailure }
        return keys
    }
}
