import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

extension GnuPGInterop {
    /// Each way a message can be wrong fails the file with its own code, and never passes a file
    /// on as complete.
    @Suite("file.decrypt.pgp refuses bad messages")
    struct BadMessageTests {
        /// Decrypts `message` with `params` (alice's key by default) and expects the file to fail
        /// with `code`; returns the error.
        @discardableResult
        private func expectFailure(
            _ code: String, _ message: [UInt8], params: Record? = nil, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> DropsyncError? {
            let keys = try TestKeys.current
            let outcome = try await runKeepingOutput(
                PGPDecryptStep.self, params: params ?? decryptParams(keys.alice), input: packets("data.csv.pgp", message))
            #expect(outcome.error?.code == code, "\(outcome.error.map { "\($0)" } ?? "no error")", sourceLocation: sourceLocation)
            #expect(outcome.error?.file == "/in/data.csv.pgp", sourceLocation: sourceLocation)
            #expect(!outcome.completedAFile, "a failed file must not be passed on whole", sourceLocation: sourceLocation)
            #expect(revealsNothing(of: keys.alice, in: outcome.error?.message ?? ""), sourceLocation: sourceLocation)
            return outcome.error
        }

        @Test("a message for another key fails with PGP_WRONG_KEY naming the key it is for")
        func wrongKey() async throws {
            let keys = try TestKeys.current
            let message = try keys.gnupg.encrypt(samplePayload(), to: [keys.carol.fingerprint])
            let error = try await expectFailure("PGP_WRONG_KEY", message)
            let carolsKey = try #require(keys.encryptionSubkeys(of: keys.carol).last).keyID
            #expect(error?.message.uppercased().contains("0X" + carolsKey.uppercased()) == true, "\(error?.message ?? "")")
        }

        @Test("a message encrypted with a password fails with PGP_WRONG_KEY")
        func passwordEncrypted() async throws {
            let keys = try TestKeys.current
            try await expectFailure("PGP_WRONG_KEY", try keys.gnupg.encryptSymmetrically(samplePayload(), password: "shared secret"))
        }

        @Test("literal data (gpg --store) fails with PGP_NOT_ENCRYPTED")
        func literal() async throws {
            let keys = try TestKeys.current
            try await expectFailure("PGP_NOT_ENCRYPTED", try keys.gnupg.store(samplePayload()))
        }

        @Test("a file that is not OpenPGP fails with PGP_NOT_PGP")
        func notPGP() async throws {
            try await expectFailure("PGP_NOT_PGP", Array("id;name\n1;Ann\n2;Bob\n".utf8))
        }

        @Test("an empty file fails with PGP_EMPTY")
        func empty() async throws {
            try await expectFailure("PGP_EMPTY", [])
        }

        @Test("a message cut in half fails with PGP_TRUNCATED")
        func truncated() async throws {
            let keys = try TestKeys.current
            let message = try keys.gnupg.encrypt(incompressiblePayload(3 * 1024 * 1024), to: [keys.alice.fingerprint], compression: "none")
            try await expectFailure("PGP_TRUNCATED", Array(message.prefix(message.count / 2)))
        }

        @Test("a message with a byte changed in the middle fails with PGP_INTEGRITY")
        func tampered() async throws {
            let keys = try TestKeys.current
            var message = try keys.gnupg.encrypt(incompressiblePayload(1024 * 1024), to: [keys.alice.fingerprint], compression: "none")
            message[message.count / 2] ^= 0x01
            try await expectFailure("PGP_INTEGRITY", message)
        }

        enum Damage: String, CaseIterable, Sendable { case sessionKey, armoredBody }

        @Test("a damaged message fails with PGP_CORRUPT", arguments: Damage.allCases)
        func corrupt(damage: Damage) async throws {
            let keys = try TestKeys.current
            var message = try keys.gnupg.encrypt(samplePayload(), to: [keys.alice.fingerprint], armor: damage == .armoredBody)
            switch damage {
            case .sessionKey:
                // Inside the RSA-encrypted session key of the first packet.
                for offset in 20..<40 { message[offset] ^= 0xFF }
            case .armoredBody:
                // Base64 letters swapped for others over a line in the middle: still armor, no longer the message.
                let middle = message.count / 2
                for offset in middle..<(middle + 60) where message[offset] != UInt8(ascii: "\n") {
                    message[offset] = message[offset] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                }
            }
            try await expectFailure("PGP_CORRUPT", message)
        }

        // MARK: verifySignature

        private func verifyingParams(sender: TestKey) throws -> Record {
            var params = decryptParams(try TestKeys.current.alice)
            params["verifySignature"] = true
            params["publicKey"] = .string(sender.publicKey)
            return params
        }

        @Test("with verifySignature, an unsigned message fails with PGP_UNSIGNED")
        func unsigned() async throws {
            let keys = try TestKeys.current
            let message = try keys.gnupg.encrypt(samplePayload(), to: [keys.alice.fingerprint])
            try await expectFailure("PGP_UNSIGNED", message, params: try verifyingParams(sender: keys.bob))
        }

        @Test("with verifySignature, a message signed by another key fails with PGP_BAD_SIGNATURE")
        func signedByAnother() async throws {
            let keys = try TestKeys.current
            let message = try keys.gnupg.encrypt(samplePayload(), to: [keys.alice.fingerprint], signer: (keys.carol.fingerprint, nil))
            try await expectFailure("PGP_BAD_SIGNATURE", message, params: try verifyingParams(sender: keys.bob))
        }

        @Test("with verifySignature, a message signed by the sender decrypts")
        func signedBySender() async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let message = try keys.gnupg.encrypt(plaintext, to: [keys.alice.fingerprint], signer: (keys.bob.fingerprint, keys.bob.passphrase))
            let result = try await ComponentHarness.run(
                PGPDecryptStep.self, params: try verifyingParams(sender: keys.bob), input: packets("data.csv.pgp", message))
            let matches = result.files.first?.bytes == plaintext
            #expect(matches)
        }
    }
}
