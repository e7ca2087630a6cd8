import DropsyncCore
import Foundation
import PGP
import Testing

extension GnuPGInterop {
    /// What `pgp inspect` shows of a key is what gpg says of it.
    @Suite("PGPKeyring.importKeys tells the facts gpg lists")
    struct KeyInfoTests {
        enum Name: String, CaseIterable, Sendable { case alice, bob, carol, soon, expired, revoked }

        private func key(_ name: Name, _ keys: TestKeys) -> TestKey {
            switch name {
            case .alice: keys.alice
            case .bob: keys.bob
            case .carol: keys.carol
            case .soon: keys.soon
            case .expired: keys.expired
            case .revoked: keys.revoked
            }
        }

        /// One `pub` or `sub` of `gpg --with-colons --list-keys`.
        private struct Listed {
            var keyID: String
            var bits: Int
            var created: Date
            var expires: Date?
            var usages: Set<String>
            var fingerprint = ""
            var userIDs: [String] = []

            init(_ fields: [String]) {
                keyID = fields[4]
                bits = Int(fields[2]) ?? 0
                created = Date(timeIntervalSince1970: TimeInterval(fields[5]) ?? 0)
                expires = TimeInterval(fields[6]).map { Date(timeIntervalSince1970: $0) }
                let letters = ["s": "sign", "c": "certify", "e": "encrypt", "a": "authenticate"]
                // Lower case: the key's own capabilities (upper case sums up its subkeys').
                usages = Set(fields[11].compactMap { letters[String($0)] })
            }
        }

        private func listing(_ key: TestKey, _ keys: TestKeys) throws -> (primary: Listed, subkeys: [Listed]) {
            var primary: Listed?
            var subkeys: [Listed] = []
            for fields in try keys.gnupg.colonListing(key.fingerprint) {
                switch fields[0] {
                case "pub": primary = Listed(fields)
                case "sub": subkeys.append(Listed(fields))
                case "fpr" where subkeys.isEmpty: primary?.fingerprint = fields[9]
                case "fpr": subkeys[subkeys.count - 1].fingerprint = fields[9]
                case "uid": primary?.userIDs.append(fields[9])
                default: break
                }
            }
            return (try #require(primary), subkeys)
        }

        private func expect(_ info: PGPKeyInfo, matches listed: Listed, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(info.fingerprint == listed.fingerprint, sourceLocation: sourceLocation)
            #expect(info.keyID == listed.keyID, sourceLocation: sourceLocation)
            #expect(info.bits == listed.bits, sourceLocation: sourceLocation)
            #expect(info.created == listed.created, sourceLocation: sourceLocation)
            #expect(info.expires == listed.expires, sourceLocation: sourceLocation)
            #expect(Set(info.usages) == listed.usages, "\(info.usages)", sourceLocation: sourceLocation)
        }

        @Test("fingerprints, key ids, sizes, dates, user ids and usages match gpg's listing", arguments: Name.allCases)
        func matchesGnuPG(name: Name) throws {
            let keys = try TestKeys.current
            let key = key(name, keys)
            let listed = try listing(key, keys)
            let imported = try PGPKeyring().importKeys(Array(key.publicKey.utf8), source: "the test key")
            try #require(imported.count == 1)
            let info = imported[0]
            expect(info, matches: listed.primary)
            #expect(info.userIDs == listed.primary.userIDs)
            #expect(info.userIDs == [key.userID])
            #expect(info.subkeys.count == listed.subkeys.count)
            for subkey in listed.subkeys {
                guard let match = info.subkeys.first(where: { $0.fingerprint == subkey.fingerprint }) else {
                    Issue.record("subkey \(subkey.fingerprint) missing")
                    continue
                }
                expect(match, matches: subkey)
            }
            #expect(!info.hasSecret)
        }

        @Test("the algorithm, curve and state of each key are told")
        func algorithmsAndStates() throws {
            let keys = try TestKeys.current
            let keyring = try PGPKeyring()
            func imported(_ key: TestKey, secret: Bool = false) throws -> PGPKeyInfo {
                try #require(try keyring.importKeys(Array((secret ? key.secretKey : key.publicKey).utf8), source: "the test key").first)
            }
            let alice = try imported(keys.alice, secret: true)
            #expect(alice.algorithm == "RSA" && alice.bits == 2048)
            #expect(alice.hasSecret && !alice.isProtected)
            #expect(alice.subkeys.map(\.canEncrypt) == [true])
            let bob = try imported(keys.bob, secret: true)
            #expect(bob.curve == "Ed25519")
            #expect(bob.subkeys.first?.curve == "Curve25519")
            #expect(bob.hasSecret && bob.isProtected)
            #expect(try imported(keys.carol).subkeys.filter(\.canEncrypt).count == 2)
            let expired = try imported(keys.expired)
            #expect(expired.isExpired && !expired.isUsable)
            let revoked = try imported(keys.revoked)
            #expect(revoked.isRevoked && !revoked.isUsable)
            let soon = try imported(keys.soon)
            #expect(soon.isUsable && soon.expires != nil)
        }
    }
}
