import DropsyncCore
import DropsyncTesting
import Foundation
import SFTP

extension OpenSSHServer {
    /// A client logged in with a new key, checking the host key against `knownHosts` (this
    /// server's own lines by default).
    func connect(knownHosts: String? = nil, timeout: Duration = .seconds(10)) throws -> SFTPClient {
        let key = try [UInt8](Data(contentsOf: URL(fileURLWithPath: authorizeNewUserKey())))
        return try SFTPClient(
            host: "127.0.0.1", port: port, username: Self.username, credential: .privateKey(key, passphrase: nil),
            policy: .knownHosts((knownHosts ?? knownHostsLines).split(separator: "\n").map(String.init)), timeout: timeout)
    }
}

/// Whether `error` is a `DropsyncError` with `code` (whose message contains `text`, if given).
func isDropsyncError(_ error: any Error, code: String, containing text: String? = nil) -> Bool {
    guard let error = error as? DropsyncError else { return false }
    return error.code == code && text.map(error.message.contains) ?? true
}
