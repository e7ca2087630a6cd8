import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

extension GnuPGInterop {
    @Suite("file.decrypt.pgp reads what gpg encrypted")
    struct DecryptionTests {
        /// A message gpg encrypted, as `file.decrypt.pgp` must read it.
        struct Message: Sendable, CustomTestStringConvertible {
            enum Recipient: String, Sendable { case rsa, ed25519 }
            var recipient: Recipient
            var cipher: String
            var compression: String
            var armor: Bool
            /// The size of the pieces the step is fed.
            var chunkSize: Int

            var testDescription: String {
                "\(recipient) \(cipher) \(compression) \(armor ? "armored" : "binary"), \(chunkSize)-byte chunks"
            }

            func key(_ keys: TestKeys) -> TestKey { recipient == .rsa ? keys.alice : keys.bob }
        }

        /// Every key type, cipher, compression and armoring at least once each, paired up.
        static let messages: [Message] = [
            Message(recipient: .rsa, cipher: "AES128", compression: "none", armor: false, chunkSize: 64 * 1024),
            Message(recipient: .rsa, cipher: "AES192", compression: "zip", armor: true, chunkSize: 1000),
            Message(recipient: .rsa, cipher: "AES256", compression: "zlib", armor: false, chunkSize: 7),
            Message(recipient: .rsa, cipher: "AES128", compression: "bzip2", armor: true, chunkSize: 64 * 1024),
            Message(recipient: .rsa, cipher: "AES256", compression: "none", armor: true, chunkSize: 333),
            Message(recipient: .rsa, cipher: "AES192", compression: "bzip2", armor: false, chunkSize: 4096),
            Message(recipient: .rsa, cipher: "AES128", compression: "zip", armor: false, chunkSize: 1),
            Message(recipient: .ed25519, cipher: "AES128", compression: "zlib", armor: true, chunkSize: 64 * 1024),
            Message(recipient: .ed25519, cipher: "AES192", compression: "none", armor: false, chunkSize: 13),
            Message(recipient: .ed25519, cipher: "AES256", compression: "zip", armor: true, chunkSize: 64 * 1024),
            Message(recipient: .ed25519, cipher: "AES256", compression: "bzip2", armor: false, chunkSize: 500),
            Message(recipient: .ed25519, cipher: "AES128", compression: "none", armor: true, chunkSize: 2),
            Message(recipient: .ed25519, cipher: "AES192", compression: "zlib", armor: false, chunkSize: 64 * 1024),
            Message(recipient: .ed25519, cipher: "AES256", compression: "zlib", armor: true, chunkSize: 8191),
        ]

        @Test("a message gpg encrypted decrypts byte for byte", arguments: messages)
        func decryptsWhatGnuPGEncrypted(message: Message) async throws {
            let keys = try TestKeys.current
            let key = message.key(keys)
            let plaintext = samplePayload(lines: message.chunkSize < 10 ? 300 : 2000)
            let encrypted = try keys.gnupg.encrypt(
                plaintext, to: [key.fingerprint], cipher: message.cipher, compression: message.compression, armor: message.armor)
            let name = message.armor ? "data.csv.asc" : "data.csv.gpg"
            let result = try await ComponentHarness.run(
                PGPDecryptStep.self, params: decryptParams(key), input: packets(name, encrypted, chunkSize: message.chunkSize))
            #expect(result.files.map(\.info.name) == ["data.csv"])
            let matches = result.files.first?.bytes == plaintext
            #expect(matches)
        }

        @Test("a message to several recipients decrypts with our key among them")
        func severalRecipients() async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let encrypted = try keys.gnupg.encrypt(plaintext, to: [keys.carol.fingerprint, keys.alice.fingerprint, keys.bob.fingerprint])
            for key in [keys.alice, keys.bob] {
                let result = try await ComponentHarness.run(
                    PGPDecryptStep.self, params: decryptParams(key), input: packets("data.csv.pgp", encrypted))
                let matches = result.files.first?.bytes == plaintext
                #expect(matches, "decrypted with \(key.userID)")
            }
        }

        enum KeyForm: String, CaseIterable, Sendable { case inlineArmored, armoredFile, binaryFile }

        @Test("a passphrase-protected key works inline, from an armored file and from a binary file", arguments: KeyForm.allCases)
        func protectedKey(form: KeyForm) async throws {
            let keys = try TestKeys.current
            let directory = TemporaryDirectory("pgp-key")
            let privateKey: Value = switch form {
            case .inlineArmored: .string(keys.bob.secretKey)
            case .armoredFile: ["file": .string(directory.write("bob.asc", keys.bob.secretKey))]
            case .binaryFile:
                ["file": .string(directory.write("bob.gpg", try keys.gnupg.exportSecretKey(
                    keys.bob.fingerprint, passphrase: keys.bob.passphrase, armor: false)))]
            }
            let plaintext = samplePayload()
            let encrypted = try keys.gnupg.encrypt(plaintext, to: [keys.bob.fingerprint])
            let params: Record = ["privateKey": privateKey, "passphrase": .string(keys.bob.passphrase ?? "")]
            let result = try await ComponentHarness.run(PGPDecryptStep.self, params: params, input: packets("data.csv.pgp", encrypted))
            let matches = result.files.first?.bytes == plaintext
            #expect(matches)
        }

        @Test("a multi-megabyte file decrypts whole from 64 KiB chunks")
        func largeFile() async throws {
            let keys = try TestKeys.current
            let plaintext = incompressiblePayload(6 * 1024 * 1024 + 12345)
            let encrypted = try keys.gnupg.encrypt(plaintext, to: [keys.alice.fingerprint], compression: "none")
            let result = try await ComponentHarness.run(
                PGPDecryptStep.self, params: decryptParams(keys.alice), input: packets("data.csv.gz.pgp", encrypted))
            #expect(result.files.map(\.info.name) == ["data.csv.gz"])
            #expect(result.files.first?.bytes.count == plaintext.count)
            let matches = result.files.first?.bytes == plaintext
            #expect(matches)
            #expect(result.metrics.bytesIn.value == encrypted.count)
        }
    }
}
