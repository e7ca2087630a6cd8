import Foundation

/// The receiving end of `$NOTIFY_SOCKET` for a daemon under test: a datagram socket the test
/// binds, collecting every sd_notify message in order.
public final class NotifySocketListener: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []

    public init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.prefix(bytes.count - 1).enumerated() { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit { close(descriptor) }

    /// Every message so far (each `KEY=value` lines joined by newlines), oldest first.
    public var messages: [String] {
        drain()
        return lock.withLock { received }
    }

    /// Waits up to `timeout` for a message containing `line` (say `READY=1`) after the first
    /// `skipping` messages; returns its index, or nil.
    public func waitFor(_ line: String, after skipping: Int = 0, timeout: Duration = .seconds(30)) -> Int? {
        let deadline = ContinuousClock.now + timeout
        repeat {
            let all = messages
            if let index = all.indices.dropFirst(skipping).first(where: { all[$0].split(separator: "\n").contains { $0 == line } }) {
                return index
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 50)
        } while ContinuousClock.now < deadline
        return nil
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { return }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            lock.withLock { received.append(message) }
        }
    }
}
