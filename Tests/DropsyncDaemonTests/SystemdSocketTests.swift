@testable import DropsyncDaemon
import DropsyncTesting
import Foundation
import Testing

/// A datagram socket a test binds and reads: the real peer the notifier and the journal handler
/// send to. Its address is built here, independently of the code under test.
final class DatagramReceiver {
    /// The address as `$NOTIFY_SOCKET` gives it: a path, or `@name` for the abstract namespace.
    let address: String
    private let descriptor: Int32
    private let path: String?

    /// Binds a socket file at `path`.
    convenience init(path: String) throws {
        try self.init(address: path, sunPath: Array(path.utf8) + [0], path: path)
    }

    /// Binds `name` in the abstract namespace (a leading NUL, no terminator).
    convenience init(abstractName name: String) throws {
        try self.init(address: "@" + name, sunPath: [0] + Array(name.utf8), path: nil)
    }

    private init(address: String, sunPath: [UInt8], path: String?) throws {
        self.address = address
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: sunPath) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + sunPath.count)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }

    /// The datagrams queued so far, oldest first. It never waits: a sender's call returns only
    /// once its datagram is queued here.
    func received() -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 512 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count >= 0 else { return datagrams }
            datagrams.append(Array(buffer[..<count]))
        }
    }

    /// The datagrams as text.
    func receivedText() -> [String] { received().map { String(decoding: $0, as: UTF8.self) } }
}

/// Socket addresses as `$NOTIFY_SOCKET` and the journal give them.
@Suite struct SystemdSocketTests {
    @Test("a path and an @name are addresses; an empty, relative or over-long one is not", arguments: [
        ("/run/systemd/notify", true),
        ("@/org/freedesktop/systemd1/notify", true),
        ("", false),
        ("@", false),
        ("notify", false),
        ("/" + String(repeating: "a", count: 120), false),
    ])
    func addresses(text: String, isValid: Bool) {
        #expect((UnixSocketAddress(text) != nil) == isValid)
    }

    @Test("the abstract form starts with a NUL in place of the @")
    func abstractBytes() throws {
        let address = try #require(UnixSocketAddress("@dropsync"))
        #expect(address.pathBytes == [0] + Array("dropsync".utf8))
    }

    @Test("a datagram to a socket nobody bound fails with the errno, it does not trap")
    func missingPeer() throws {
        let scratch = TemporaryDirectory("socket")
        let socket = try UnixDatagramSocket()
        #expect(throws: SocketError(code: ENOENT)) {
            try socket.send([1, 2, 3], to: #require(UnixSocketAddress(scratch.path + "/absent")))
        }
    }
}
