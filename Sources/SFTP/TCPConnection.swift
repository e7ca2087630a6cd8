import DropsyncCore
import Foundation

/// A connected TCP socket, closed when released.
final class TCPConnection {
    let descriptor: Int32

    /// Connects to `host:port` (any address the name resolves to), giving up after `timeout`.
    init(host: String, port: Int, timeout: Duration) throws(DropsyncError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw DropsyncError("CONNECTION_FAILED", "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError: Int32 = 0
        var address: UnsafeMutablePointer<addrinfo>? = first
        while let current = address {
            address = current.pointee.ai_next
            let candidate = socket(current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), current.pointee.ai_protocol)
            guard candidate >= 0 else { continue }
            if Self.connect(candidate, current.pointee.ai_addr, current.pointee.ai_addrlen, timeout: timeout, error: &lastError) {
                descriptor = candidate
                return
            }
            close(candidate)
        }
        throw DropsyncError("CONNECTION_FAILED", "cannot connect to \(host) port \(port): \(SystemError.reason(lastError))")
    }

    deinit { close(descriptor) }

    /// Ends the connection both ways, the descriptor kept open: what is still to be sent or read
    /// on it fails at once.
    func shutDown() { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// A non-blocking connect waited on with `poll`, then back to blocking mode.
    private static func connect(
        _ socket: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, timeout: Duration, error: inout Int32
    ) -> Bool {
        let flags = fcntl(socket, F_GETFL)
        _ = fcntl(socket, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(socket, F_SETFL, flags) }
        if Glibc.connect(socket, address, length) == 0 { return true }
        guard errno == EINPROGRESS else {
            error = errno
            return false
        }
        var waiter = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
        let deadline = ContinuousClock.now + timeout
        var ready: Int32
        repeat {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = Int32(clamping: max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            ready = poll(&waiter, 1, milliseconds)
        } while ready < 0 && errno == EINTR
        guard ready == 1 else {
            error = ETIMEDOUT
            return false
        }
        var result: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &result, &size)
        error = result
        return result == 0
    }
}
