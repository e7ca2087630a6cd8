import Foundation

/// An `errno` from a failed socket call.
struct SocketError: Error, Equatable {
    let code: Int32
}

/// The address of an AF_UNIX socket: a file system path, or `@name` for the abstract namespace
/// (the form `$NOTIFY_SOCKET` uses for both).
struct UnixSocketAddress: Sendable, Equatable {
    /// `sun_path`'s bytes: the path, or a NUL followed by the abstract name.
    let pathBytes: [UInt8]

    /// Nil when `text` is empty, not absolute and not abstract, or longer than `sun_path` holds.
    init?(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "@") {
            bytes[0] = 0
        } else if bytes.first != UInt8(ascii: "/") {
            return nil
        }
        guard bytes.count > 1, bytes.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return nil }
        pathBytes = bytes
    }

    /// Calls `body` with a `sockaddr_un` for this address and its length: the path with its
    /// terminating NUL, the abstract name without one (its length is the name's).
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: pathBytes)
        }
        let isAbstract = pathBytes.first == 0
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + pathBytes.count + (isAbstract ? 0 : 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(length)) }
        }
    }
}

/// An unbound AF_UNIX datagram socket (`socket(2)`) that sends to a peer named per message
/// (`sendto(2)`), so a peer that restarts and recreates its socket keeps receiving.
/// Sending from several threads at once is safe: each datagram is one system call.
final class UnixDatagramSocket: Sendable {
    private let descriptor: Int32

    init() throws(SocketError) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(code: errno) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends `bytes` as one datagram to `address`, retrying `EINTR`; `EMSGSIZE` means it is larger
    /// than the socket's send buffer allows.
    func send(_ bytes: [UInt8], to address: UnixSocketAddress) throws(SocketError) {
        let result = address.withSocketAddress { socketAddress, length in
            bytes.withUnsafeBytes { buffer in
                while true {
                    let sent = sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                    if sent >= 0 { return Int32(0) }
                    if errno != EINTR { return errno }
                }
            }
        }
        if result != 0 { throw SocketError(code: result) }
    }
}
