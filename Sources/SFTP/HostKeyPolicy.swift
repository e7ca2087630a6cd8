import DropsyncCore
import Foundation

/// How a server's host key is checked; there is no way to skip the check. Messages show the
/// fingerprint the server offered, so an operator can compare it with the partner's.
public enum HostKeyPolicy: Sendable, Equatable {
    /// Lines of a known_hosts file: host names plain or hashed (`|1|salt|hash`), `[host]:port` for
    /// other ports than 22; `@revoked` keys are refused, `@cert-authority` lines passed over.
    case knownHosts([String])
    /// One pinned fingerprint, `SHA256:…` as OpenSSH shows it.
    case fingerprint(String)

    /// The host key algorithms to ask the server for: those the known_hosts file has for this
    /// host, so that the server presents a key we can check; else the strongest first.
    func algorithms(host: String, port: Int) -> String {
        let types = Set(entries(host: host, port: port).map(\.type))
        let known = HostKeyScan.algorithms.filter(types.contains)
        return (known.isEmpty ? HostKeyScan.algorithms : known).joined(separator: ",")
    }

    /// Throws `HOST_KEY_UNKNOWN` or `HOST_KEY_MISMATCH` unless `key` is the expected one.
    func verify(_ key: SSHHostKey, host: String, port: Int) throws(DropsyncError) {
        let offered = "\(host) port \(port) offered the \(key.type) key \(key.fingerprint)"
        switch self {
        case .fingerprint(let pinned):
            let expected = pinned.hasPrefix("SHA256:") ? pinned : "SHA256:" + pinned
            guard key.fingerprint == expected else {
                throw DropsyncError("HOST_KEY_MISMATCH", "\(offered), not the pinned \(expected): connection refused")
            }
        case .knownHosts:
            if revoked(host: host, port: port).contains(where: { $0.type == key.type && $0.base64 == key.base64 }) {
                throw DropsyncError("HOST_KEY_REVOKED", "\(offered), which knownHosts marks @revoked: connection refused")
            }
            let known = entries(host: host, port: port)
            if known.contains(where: { $0.type == key.type && $0.base64 == key.base64 }) { return }
            if known.isEmpty {
                throw DropsyncError(
                    "HOST_KEY_UNKNOWN",
                    "\(offered), which knownHosts does not list under \(SSHHostKey.knownHostsName(host: host, port: port)) "
                        + "(plain or hashed): connection refused. If the partner confirms the fingerprint, "
                        + "add: \(key.knownHostsLine(host: host, port: port))")
            }
            throw DropsyncError("HOST_KEY_MISMATCH", "\(offered), which differs from the key knownHosts lists for it: connection refused")
        }
    }

    /// The keys listed for the host (names compared without case, as OpenSSH does).
    private func entries(host: String, port: Int) -> [(type: String, base64: String)] {
        lines(host: host, port: port, marker: nil)
    }

    private func revoked(host: String, port: Int) -> [(type: String, base64: String)] {
        lines(host: host, port: port, marker: "@revoked")
    }

    private func lines(host: String, port: Int, marker: String?) -> [(type: String, base64: String)] {
        guard case .knownHosts(let lines) = self else { return [] }
        let name = SSHHostKey.knownHostsName(host: host, port: port).lowercased()
        return lines.compactMap { line in
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !line.hasPrefix("#") else { return nil }
            if fields.first?.hasPrefix("@") == true {
                guard fields.first.map(String.init) == marker else { return nil }
                fields.removeFirst()
            } else if marker != nil {
                return nil
            }
            guard fields.count >= 3, KnownHostsName.field(fields[0], matches: name) else { return nil }
            return (String(fields[1]), String(fields[2]))
        }
    }
}

extension SSHHostKey {
    var base64: String { Data(blob).base64EncodedString() }
}
