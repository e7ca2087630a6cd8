import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

extension GnuPGInterop {
    /// Keys that cannot serve are refused when the dataflow loads (`check`), with a code, and
    /// never with the key or its passphrase in the message.
    @Suite("PGP key checks at load")
    struct KeyCheckTests {
        /// Expects making the step from `params` to fail on `param` with `code`; returns the message.
        @discardableResult
        private func expectRefusal<C: Component>(
            _ type: C.Type, _ params: Record, param: String, code expected: String, revealing key: TestKey,
            sourceLocation: SourceLocation = #_sourceLocation
        ) -> String {
            guard let error = paramError(type, params) else {
                Issue.record("expected \(expected), the step was made", sourceLocation: sourceLocation)
                return ""
            }
            #expect(code(of: error) == expected, "\(error.message)", sourceLocation: sourceLocation)
            #expect(error.param == param, sourceLocation: sourceLocation)
            #expect(revealsNothing(of: key, in: error.message), "\(error.message)", sourceLocation: sourceLocation)
            return error.message
        }

        @Test("a public key given as privateKey fails with PGP_NO_SECRET_KEY")
        func publicKeyForDecryption() throws {
            let keys = try TestKeys.current
            expectRefusal(PGPDecryptStep.self, ["privateKey": .string(keys.alice.publicKey)],
                          param: "privateKey", code: "PGP_NO_SECRET_KEY", revealing: keys.alice)
        }

        @Test("a protected key without passphrase fails with PGP_PASSPHRASE_MISSING")
        func missingPassphrase() throws {
            let keys = try TestKeys.current
            expectRefusal(PGPDecryptStep.self, ["privateKey": .string(keys.bob.secretKey)],
                          param: "passphrase", code: "PGP_PASSPHRASE_MISSING", revealing: keys.bob)
        }

        @Test("a wrong passphrase fails with PGP_BAD_PASSPHRASE, for decrypting and for signing")
        func wrongPassphrase() throws {
            let keys = try TestKeys.current
            let wrong = "not bob's phrase at all"
            let decrypting = expectRefusal(
                PGPDecryptStep.self, ["privateKey": .string(keys.bob.secretKey), "passphrase": .string(wrong)],
                param: "passphrase", code: "PGP_BAD_PASSPHRASE", revealing: keys.bob)
            let signing = expectRefusal(
                PGPEncryptStep.self, encryptParams([keys.alice], ["signWith": .string(keys.bob.secretKey), "passphrase": .string(wrong)]),
                param: "passphrase", code: "PGP_BAD_PASSPHRASE", revealing: keys.bob)
            #expect(!decrypting.contains(wrong) && !signing.contains(wrong))
        }

        @Test("an expired recipient fails with PGP_KEY_EXPIRED naming its fingerprint")
        func expiredRecipient() throws {
            let keys = try TestKeys.current
            let message = expectRefusal(PGPEncryptStep.self, encryptParams([keys.alice, keys.expired]),
                                        param: "publicKey", code: "PGP_KEY_EXPIRED", revealing: keys.expired)
            #expect(message.contains(keys.expired.fingerprint), "\(message)")
        }

        @Test("a revoked recipient fails with PGP_KEY_REVOKED naming its fingerprint")
        func revokedRecipient() throws {
            let keys = try TestKeys.current
            let message = expectRefusal(PGPEncryptStep.self, encryptParams([keys.revoked]),
                                        param: "publicKey", code: "PGP_KEY_REVOKED", revealing: keys.revoked)
            #expect(message.contains(keys.revoked.fingerprint), "\(message)")
        }

        enum NotAKey: String, CaseIterable, Sendable { case text, message, truncatedKey }

        @Test("what is not a key fails with PGP_KEY_INVALID", arguments: NotAKey.allCases)
        func notAKey(kind: NotAKey) throws {
            let keys = try TestKeys.current
            let material: String = switch kind {
            case .text: "this is not a key"
            case .message:
                String(decoding: try keys.gnupg.encrypt(samplePayload(lines: 5), to: [keys.alice.fingerprint], armor: true), as: UTF8.self)
            case .truncatedKey: String(keys.alice.publicKey.prefix(keys.alice.publicKey.count / 3))
            }
            let messages = [
                expectRefusal(PGPEncryptStep.self, ["publicKey": .string(material)],
                              param: "publicKey", code: "PGP_KEY_INVALID", revealing: keys.alice),
                expectRefusal(PGPDecryptStep.self, ["privateKey": .string(material)],
                              param: "privateKey", code: "PGP_KEY_INVALID", revealing: keys.alice),
            ]
            for message in messages {
                #expect(revealsNothing(of: material, in: message) && !message.contains(material), "\(message)")
            }
        }

        @Test("a key expiring in 10 days makes a warning naming it, for encrypting and for decrypting")
        func expiringSoon() throws {
            let keys = try TestKeys.current
            let encrypting = Params(encryptParams([keys.soon]), spec: PGPEncryptStep.spec, baseDirectory: "/")
            _ = try PGPEncryptStep(params: encrypting)
            let decrypting = Params(decryptParams(keys.soon), spec: PGPDecryptStep.spec, baseDirectory: "/")
            _ = try PGPDecryptStep(params: decrypting)
            for (params, param) in [(encrypting, "publicKey"), (decrypting, "privateKey")] {
                let warnings = params.warnings.all
                #expect(warnings.count == 1)
                let warning = try #require(warnings.first)
                #expect(warning.param == param)
                #expect(warning.message.contains(keys.soon.fingerprint), "\(warning.message)")
                #expect(warning.message.contains("in 9 days") || warning.message.contains("in 10 days"), "\(warning.message)")
                #expect(revealsNothing(of: keys.soon, in: warning.message))
            }
        }

        @Test("a key without expiry makes no warning")
        func noWarning() throws {
            let keys = try TestKeys.current
            let params = Params(encryptParams([keys.alice, keys.bob]), spec: PGPEncryptStep.spec, baseDirectory: "/")
            _ = try PGPEncryptStep(params: params)
            #expect(params.warnings.all.isEmpty)
        }
    }
}
