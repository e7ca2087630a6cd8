import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// What `gpg --list-packets` shows of a message.
struct PacketListing {
    let text: String

    /// The tag of every packet, outermost first (`# off=… ctb=… tag=N …` lines).
    var tags: [Int] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# off="), let field = line.split(separator: " ").first(where: { $0.hasPrefix("tag=") }) else { return nil }
            return Int(field.dropFirst(4))
        }
    }

    /// The key ids of the public-key encrypted session key packets.
    var recipientKeyIDs: [String] {
        lines(starting: ":pubkey enc packet:").compactMap { $0.components(separatedBy: "keyid ").last }
    }

    /// The algorithm numbers of the compressed packets (1 zip, 2 zlib, 3 bzip2).
    var compressionAlgorithms: [Int] {
        lines(starting: ":compressed packet:").compactMap { $0.components(separatedBy: "algo=").last.flatMap { Int($0) } }
    }

    private func lines(starting prefix: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map(String.init)
    }
}

extension GnuPGInterop {
    @Suite("gpg reads what file.encrypt.pgp encrypted")
    struct EncryptionTests {
        /// Encrypts `plaintext` as `data.csv` with the step.
        private func encrypt(_ plaintext: [UInt8], _ params: Record) async throws -> (name: String, message: [UInt8]) {
            let result = try await ComponentHarness.run(
                PGPEncryptStep.self, params: params, input: packets("data.csv", plaintext, chunkSize: 10_000))
            let file = try #require(result.files.first)
            return (file.info.name, file.bytes)
        }

        @Test("a message to one recipient decrypts with gpg to the same bytes, named data.csv.pgp")
        func oneRecipient() async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let encrypted = try await encrypt(plaintext, encryptParams([keys.alice]))
            #expect(encrypted.name == "data.csv.pgp")
            let decrypted = try keys.gnupg.decrypt(encrypted.message)
            let matches = decrypted.plaintext == plaintext
            #expect(matches)
        }

        @Test("a message to several recipients holds a session key for each one's encryption subkey")
        func severalRecipients() async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let recipients = [keys.alice, keys.bob, keys.carol]
            let encrypted = try await encrypt(plaintext, encryptParams(recipients))
            let listing = PacketListing(text: try keys.gnupg.listPackets(encrypted.message))
            var expected: [String] = []
            for recipient in recipients { expected.append(try #require(keys.encryptionSubkeys(of: recipient).last).keyID) }
            #expect(Set(listing.recipientKeyIDs) == Set(expected))
            #expect(listing.recipientKeyIDs.count == 3)
            let matches = try keys.gnupg.decrypt(encrypted.message, passphrase: keys.bob.passphrase).plaintext == plaintext
            #expect(matches)
        }

        @Test("an armored message is ASCII and decrypts with gpg")
        func armored() async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let encrypted = try await encrypt(plaintext, encryptParams([keys.bob], ["armor": true]))
            let text = String(decoding: encrypted.message, as: UTF8.self)
            #expect(text.hasPrefix("-----BEGIN PGP MESSAGE-----"))
            #expect(encrypted.message.allSatisfy { $0 < 0x80 })
            let matches = try keys.gnupg.decrypt(encrypted.message, passphrase: keys.bob.passphrase).plaintext == plaintext
            #expect(matches)
        }

        /// The ciphers of `cipher`, with their OpenPGP algorithm numbers (RFC 4880 §9.2).
        static let ciphers: [(String, Int)] = [
            ("AES128", 7), ("AES192", 8), ("AES256", 9), ("TWOFISH", 10), ("CAMELLIA128", 11), ("CAMELLIA192", 12), ("CAMELLIA256", 13),
        ]

        @Test("each cipher is the one gpg decrypts with", arguments: ciphers)
        func cipher(name: String, algorithm: Int) async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload(lines: 100)
            let encrypted = try await encrypt(plaintext, encryptParams([keys.alice], ["cipher": .string(name)]))
            let decrypted = try keys.gnupg.decrypt(encrypted.message)
            let matches = decrypted.plaintext == plaintext
            #expect(matches)
            // DECRYPTION_INFO <mdc method> <cipher algorithm>: 2 is MDC.
            #expect(decrypted.status.contains("[GNUPG:] DECRYPTION_INFO 2 \(algorithm)"))
        }

        @Test("each compression is the one in the message", arguments: [("none", [Int]()), ("zip", [1]), ("zlib", [2]), ("bzip2", [3])])
        func compression(name: String, algorithms: [Int]) async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let encrypted = try await encrypt(plaintext, encryptParams([keys.alice], ["compression": .string(name)]))
            #expect(PacketListing(text: try keys.gnupg.listPackets(encrypted.message)).compressionAlgorithms == algorithms)
            let matches = try keys.gnupg.decrypt(encrypted.message).plaintext == plaintext
            #expect(matches)
        }

        @Test("a signed message shows gpg a good signature by the signing key")
        func signed() async throws {
            let keys = try TestKeys.current
            let plaintext = samplePayload()
            let params = encryptParams([keys.alice], ["signWith": .string(keys.bob.secretKey), "passphrase": .string(keys.bob.passphrase ?? "")])
            let encrypted = try await encrypt(plaintext, params)
            let decrypted = try keys.gnupg.decrypt(encrypted.message)
            let matches = decrypted.plaintext == plaintext
            #expect(matches)
            #expect(decrypted.status.contains("[GNUPG:] GOODSIG "))
            #expect(decrypted.status.contains("[GNUPG:] VALIDSIG \(keys.bob.fingerprint) "))
        }

        @Test("the message is SEIPD with MDC (tag 18), never AEAD (tag 20), as GnuPG 2.2 reads it", arguments: [false, true])
        func integrityProtected(armor: Bool) async throws {
            let keys = try TestKeys.current
            let encrypted = try await encrypt(samplePayload(), encryptParams([keys.alice, keys.bob], ["armor": .bool(armor)]))
            let tags = PacketListing(text: try keys.gnupg.listPackets(encrypted.message)).tags
            #expect(tags.contains(18))
            #expect(!tags.contains(20))
            #expect(!tags.contains(9), "no packet without integrity protection")
        }

        @Test("a key with two encryption subkeys is encrypted to the newer one")
        func newestSubkey() async throws {
            let keys = try TestKeys.current
            let subkeys = try keys.encryptionSubkeys(of: keys.carol)
            try #require(subkeys.count == 2)
            #expect(subkeys[0].created < subkeys[1].created)
            let encrypted = try await encrypt(samplePayload(lines: 10), encryptParams([keys.carol]))
            #expect(PacketListing(text: try keys.gnupg.listPackets(encrypted.message)).recipientKeyIDs == [subkeys[1].keyID])
        }
    }
}
