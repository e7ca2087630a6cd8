import Curl
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// `S3Client`, the S3 `FileTransport`, against moto's S3 server on loopback with request
/// signatures checked.
@Suite struct S3TransportTests {
    func client(_ server: S3Server, secretKey: String? = nil) throws -> S3Client {
        try S3Client(bucket: S3Bucket(
            name: server.bucket, region: "us-east-1", endpoint: server.endpoint, virtualHostStyle: false,
            accessKey: server.accessKey, secretKey: secretKey ?? server.secretKey))
    }

    func names(_ client: S3Client, _ directory: String) throws -> [String] {
        var names: [String] = []
        try client.list(directory, each: { names.append($0.name) }, refused: { _ in })
        return names
    }

    @Test("a listing of 2,500 objects, more than one page, finds them all")
    func longListing() throws {
        let server = try S3Server()
        try server.call("put-many", "many/", "2500")
        let found = try names(try client(server), "many")
        #expect(found.count == 2500)
        let expected = (0..<2500).map { index in "file-" + String(String(100_000 + index).dropFirst()) + ".txt" }
        #expect(Set(found) == Set(expected))
    }

    @Test("status gives an object's size, time and ETag, and nil for a missing one")
    func status() throws {
        let server = try S3Server()
        try server.call("put-text", "in/a.csv", "hello")
        let client = try client(server)
        let entry = try #require(try client.status("in/a.csv"))
        #expect(entry.name == "a.csv" && entry.size == 5)
        #expect(entry.versionTag == "5d41402abc4b2a76b9719d911017c592")
        #expect(abs(entry.modified - Date().timeIntervalSince1970) < 300)
        #expect(try client.status("in/missing.csv") == nil)
    }

    @Test("rename copies to the target prefix and removes the source; an existing target refuses it")
    func rename() throws {
        let server = try S3Server()
        try server.call("put-text", "in/a b+c.csv", "one")
        try server.call("put-text", "in/b.csv", "two")
        try server.call("put-text", "archive/b.csv", "old")
        let client = try client(server)
        try client.rename("in/a b+c.csv", to: "archive/2026/a b+c.csv")
        #expect(try server.keys("") == ["archive/2026/a b+c.csv", "archive/b.csv", "in/b.csv"])
        #expect(throws: DropsyncError.self) { try client.rename("in/b.csv", to: "archive/b.csv") }
        #expect(try server.keys("in/") == ["in/b.csv"])
    }

    @Test("remove deletes an object; removing a missing one is no error")
    func remove() throws {
        let server = try S3Server()
        try server.call("put-text", "in/a.csv", "one")
        let client = try client(server)
        try client.remove("in/a.csv")
        try client.remove("in/a.csv")
        #expect(try server.keys("in/").isEmpty)
    }

    @Test("a download streams the object; a missing object is FILE_NOT_FOUND at open")
    func download() throws {
        let server = try S3Server()
        let scratch = TemporaryDirectory("s3-download")
        let content = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try server.call("put", "in/big.bin", scratch.write("big.bin", content))
        let client = try client(server)
        let download = try client.open("in/big.bin")
        var received: [UInt8] = []
        while case let chunk = try download.read(upTo: 100_000), !chunk.isEmpty {
            #expect(chunk.count <= 100_000)
            received += chunk
        }
        #expect(received == content)
        let error = #expect(throws: DropsyncError.self) { try client.open("in/missing.bin") }
        #expect(error?.code == "FILE_NOT_FOUND")
    }

    @Test("a wrong secret is AUTHENTICATION_FAILED naming S3's code, not the secret")
    func wrongSecret() throws {
        let server = try S3Server()
        let error = #expect(throws: DropsyncError.self) { try names(try client(server, secretKey: "not-the-secret-key"), "in") }
        #expect(error?.code == "AUTHENTICATION_FAILED")
        #expect(error?.message.contains("SignatureDoesNotMatch") == true)
        #expect(error?.message.contains("not-the-secret-key") == false)
    }

    @Test("a bucket that does not exist is named in the error")
    func missingBucket() throws {
        let server = try S3Server()
        let client = try S3Client(bucket: S3Bucket(
            name: "no-such-bucket", region: "us-east-1", endpoint: server.endpoint, virtualHostStyle: false,
            accessKey: server.accessKey, secretKey: server.secretKey))
        let error = #expect(throws: DropsyncError.self) { try names(client, "in") }
        #expect(error?.code == "BUCKET_NOT_FOUND")
        #expect(error?.message.contains("no-such-bucket") == true)
    }
}
