import Foundation

/// sd_notify(3) without libsystemd: datagrams to $NOTIFY_SOCKET (a path, or '@' for the abstract namespace).
///
/// Each message opens its own socket and closes it after sending, as libsystemd does: the daemon
/// sends a handful of messages a minute, a value type stays trivially `Sendable`, and no descriptor
/// is held open (or leaked into children) for the process's lifetime. Sending failures are ignored:
/// a lost notification must never take the daemon down (systemd's timeouts catch a real problem).
public struct SystemdNotifier: Sendable {
    private let address: UnixSocketAddress?

    /// Half of WATCHDOG_USEC when WATCHDOG_USEC is set and WATCHDOG_PID is unset or ours; nil otherwise.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = environment["NOTIFY_SOCKET"].flatMap(UnixSocketAddress.init)
        watchdogInterval = Self.watchdogInterval(environment: environment, processID: getpid())
    }

    /// Whether $NOTIFY_SOCKET names a socket, i.e. a service manager listens.
    public var isActive: Bool { address != nil }

    /// "READY=1", with "STATUS=…" when `status` is given.
    public func ready(status: String? = nil) {
        send(["READY=1"] + (status.map { ["STATUS=" + Self.singleLine($0)] } ?? []))
    }

    /// "RELOADING=1" with "MONOTONIC_USEC=…", CLOCK_MONOTONIC in microseconds (systemd 253+ wants it
    /// to match the reload to the READY=1 that ends it; older versions ignore it).
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    /// "STOPPING=1".
    public func stopping() { send(["STOPPING=1"]) }

    /// "WATCHDOG=1": call at least every `watchdogInterval`.
    public func watchdog() { send(["WATCHDOG=1"]) }

    private func send(_ assignments: [String]) {
        guard let address, let socket = try? UnixDatagramSocket() else { return }
        try? socket.send(Array(assignments.joined(separator: "\n").utf8), to: address)
    }

    static func watchdogInterval(environment: [String: String], processID: pid_t) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], owner != String(processID) { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    /// A notification is newline-separated assignments, so a value must stay on one line.
    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
