import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// The remote writers against real servers, their job cancelled (as Ctrl-C or the daemon's
/// shutdown cancels one) after a file's last bytes reached the writer, while it waits for the
/// server to store them: the file never appears under its name, and nothing of it stays.
@Suite struct RemoteWriterCancellationTests {
    let scratch = TemporaryDirectory("writer-cancellation")

    /// Feeds `writer` a file of `size` bytes but its end, stalls the server (`suspend`), ends the
    /// file, cancels the job once the writer has taken the end, lets the server go on (`resume`),
    /// and returns what the writer ended with.
    func cancelWhileFinishing(_ writer: any Component, size: Int, suspend: () -> Void, resume: () -> Void) async throws -> (any Error)? {
        let running = FedComponent(writer)
        let content = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        try await running.send(filePackets("huge.bin", content, endsFile: false))
        suspend()
        // The next file's start finds room only once the writer has taken the end of this one.
        try await running.send([.fileEnd, .fileStart(FileInfo(name: "next.bin", path: "/in/next.bin", location: "test:"))])
        running.cancel()
        resume()
        return await running.end()
    }

    @Test("S3: a job cancelled while the last parts go up never completes the multipart upload, and aborts it")
    func s3() async throws {
        let server = try S3Server()
        let writer = try ComponentHarness.make(S3WriteStep.self, [
            "bucketName": .string(server.bucket), "accessKey": .string(server.accessKey), "secretKey": .string(server.secretKey),
            "endpoint": .string(server.endpoint), "objectKeyPrefix": "out", "partSize": 5,
        ])
        // Two chunks past the first part: once the writer took the second to last, the upload
        // exists and its first part is on its way.
        let ending = try await cancelWhileFinishing(writer, size: (5 << 20) + (128 << 10), suspend: server.suspend, resume: server.resume)
        #expect(ending is CancellationError, "\(String(describing: ending))")
        #expect(try server.keys("out/").isEmpty)
        #expect(try server.pendingUploads().isEmpty)
    }

    @Test("SFTP: a job cancelled while the last bytes are stored never renames the upload into place, and removes it")
    func sftp() async throws {
        let server = try OpenSSHServer()
        try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: true)
        var params = try sftpParams(server, scratch)
        params["remotePath"] = .string(scratch.path + "/out")
        let writer = try ComponentHarness.make(SFTPWriteStep.self, params)
        // Past the 2 MiB the writer gathers before a write: the temporary file has bytes.
        let ending = try await cancelWhileFinishing(writer, size: 3 << 20, suspend: server.suspend, resume: server.resume)
        #expect(ending is CancellationError, "\(String(describing: ending))")
        #expect(scratch.list("out").isEmpty)
    }

    @Test("FTP: a job cancelled while the transfer completes never renames the upload into place, and removes it")
    func ftp() async throws {
        let server = try FTPServer(home: scratch.path + "/home")
        try FileManager.default.createDirectory(atPath: scratch.path + "/home/out", withIntermediateDirectories: true)
        let writer = try ComponentHarness.make(FTPWriteStep.self, [
            "host": "127.0.0.1", "port": .int(Int64(server.port)), "username": .string(FTPServer.username),
            "password": .string(FTPServer.password), "remotePath": "out",
        ])
        let ending = try await cancelWhileFinishing(writer, size: 1 << 20, suspend: server.suspend, resume: server.resume)
        #expect(ending is CancellationError, "\(String(describing: ending))")
        #expect(scratch.list("home/out").isEmpty)
    }
}
