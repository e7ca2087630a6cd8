import ArgumentParser
import DropsyncCore
import Foundation
import PGP

struct PGPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgp", abstract: "OpenPGP keys, as the PGP steps see them.", subcommands: [Inspect.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shows the keys in a key file: fingerprints, user ids, subkeys with their usage, algorithms, expiry.",
            discussion: "Reads armored or binary key files, public or secret; prints no key material.")

        @Argument(help: "A key file (e.g. a partner's public key, exported with gpg --export --armor).")
        var file: String

        @Flag(help: "Print the keys as a JSON array.")
        var json = false

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("\(file) cannot be read")
            }
            let keys: [PGPKeyInfo]
            do {
                keys = try PGPKeyring().importKeys([UInt8](data), source: file)
            } catch {
                throw CommandFailure("\(error.message) [\(error.code)]")
            }
            if json {
                Output.json(.array(keys.map { Self.value($0) }))
            } else {
                print(keys.map { Self.describe($0) }.joined(separator: "\n"), terminator: "")
            }
        }

        static func describe(_ key: PGPKeyInfo, now: Date = Date()) -> String {
            var lines = ["key \(key.displayID)\(key.hasSecret ? (key.isProtected ? "  (secret, protected)" : "  (secret)") : "")"]
            lines.append("  fingerprint  \(key.fingerprint)")
            for userID in key.userIDs { lines.append("  user id      \(userID)") }
            lines.append(contentsOf: summary(key, now: now).map { "  " + $0 })
            for subkey in key.subkeys {
                lines.append("  subkey \(subkey.displayID)\(subkey.hasSecret ? "  (secret)" : "")")
                lines.append(contentsOf: summary(subkey, now: now).map { "    " + $0 })
            }
            return lines.joined(separator: "\n") + "\n"
        }

        private static func summary(_ key: PGPKeyInfo, now: Date) -> [String] {
            [
                "algorithm    \(algorithm(key))",
                "usage        \(key.usages.isEmpty ? "none" : key.usages.joined(separator: ", "))",
                "created      \(day(key.created))",
                "expires      \(expiry(key, now: now))",
            ]
        }

        private static func algorithm(_ key: PGPKeyInfo) -> String {
            if let curve = key.curve { return "\(key.algorithm) \(curve)" }
            return "\(key.algorithm) \(key.bits)"
        }

        private static func expiry(_ key: PGPKeyInfo, now: Date) -> String {
            var text = key.expires.map { expires in
                let days = Int(expires.timeIntervalSince(now) / 86400)
                return expires <= now ? "\(day(expires)) (EXPIRED)" : "\(day(expires)) (in \(days) days)"
            } ?? "never"
            if key.isRevoked { text += ", REVOKED" }
            return text
        }

        private static func day(_ date: Date) -> String { UTCDateFormat.format(date, pattern: "yyyy-MM-dd") }

        static func value(_ key: PGPKeyInfo) -> Value {
            var record = Record()
            record["fingerprint"] = .string(key.fingerprint)
            record["keyId"] = .string(key.keyID)
            record["algorithm"] = .string(key.algorithm)
            record["bits"] = .int(Int64(key.bits))
            record["curve"] = key.curve.map(Value.string) ?? .null
            record["created"] = .string(UTCDateFormat.iso8601(key.created))
            record["expires"] = key.expires.map { .string(UTCDateFormat.iso8601($0)) } ?? .null
            record["revoked"] = .bool(key.isRevoked)
            record["expired"] = .bool(key.isExpired)
            record["usage"] = .array(key.usages.map(Value.string))
            record["secret"] = .bool(key.hasSecret)
            if !key.userIDs.isEmpty || !key.subkeys.isEmpty {
                record["userIds"] = .array(key.userIDs.map(Value.string))
                record["subkeys"] = .array(key.subkeys.map { value($0) })
            }
            return .object(record)
        }
    }
}
