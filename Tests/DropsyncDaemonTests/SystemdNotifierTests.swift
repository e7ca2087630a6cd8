@testable import DropsyncDaemon
import DropsyncTesting
import Foundation
import Testing

/// sd_notify(3) messages, read back from a socket the test binds as systemd would.
@Suite struct SystemdNotifierTests {
    let scratch = TemporaryDirectory("notify")

    struct Notification: Sendable, CustomTestStringConvertible {
        let name: String
        let send: @Sendable (SystemdNotifier) -> Void
        let datagram: String
        var testDescription: String { name }
    }

    static let notifications = [
        Notification(name: "ready", send: { $0.ready() }, datagram: "READY=1"),
        Notification(name: "ready with a status", send: { $0.ready(status: "watching 3 drop zones") }, datagram: "READY=1\nSTATUS=watching 3 drop zones"),
        Notification(name: "stopping", send: { $0.stopping() }, datagram: "STOPPING=1"),
        Notification(name: "watchdog", send: { $0.watchdog() }, datagram: "WATCHDOG=1"),
        Notification(name: "a status's newlines", send: { $0.ready(status: "bad\nconfig") }, datagram: "READY=1\nSTATUS=bad config"),
    ]

    @Test("each notification is one datagram with exactly its assignments", arguments: notifications)
    func notification(_ notification: Notification) throws {
        let receiver = try DatagramReceiver(path: scratch.path + "/notify")
        notification.send(SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address]))
        #expect(receiver.receivedText() == [notification.datagram])
    }

    @Test("reloading carries the monotonic clock in microseconds")
    func reloading() throws {
        let receiver = try DatagramReceiver(path: scratch.path + "/notify")
        let before = Self.monotonicMicroseconds()
        SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address]).reloading()
        let after = Self.monotonicMicroseconds()
        let lines = try #require(receiver.receivedText().first).split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.count == 2 ? UInt64(lines[1].dropFirst("MONOTONIC_USEC=".count)) : nil)
        #expect(lines[1].hasPrefix("MONOTONIC_USEC="))
        #expect((before...after).contains(stamp))
    }

    @Test("a socket in the abstract namespace (@name) receives the notification")
    func abstractNamespace() throws {
        let receiver = try DatagramReceiver(abstractName: "dropsync-test-" + UUID().uuidString)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
        notifier.ready()
        notifier.stopping()
        #expect(receiver.receivedText() == ["READY=1", "STOPPING=1"])
    }

    @Test("without NOTIFY_SOCKET the notifier is inactive and sends nothing")
    func inactive() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isActive)
        notifier.ready()
        notifier.watchdog()
    }

    @Test("a NOTIFY_SOCKET nobody listens on is ignored")
    func nobodyListening() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": scratch.path + "/gone"])
        #expect(notifier.isActive)
        notifier.ready(status: "ready")
        notifier.stopping()
    }

    static let ownProcess = String(getpid())

    @Test("the watchdog interval is half of WATCHDOG_USEC, when the watchdog is ours", arguments: [
        (["WATCHDOG_USEC": "60000000"], Duration.seconds(30)),
        (["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": ownProcess], .seconds(30)),
        (["WATCHDOG_USEC": "3"], .microseconds(1)),
        (["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"], nil),
        (["WATCHDOG_USEC": "0"], nil),
        (["WATCHDOG_USEC": "sixty"], nil),
        (["WATCHDOG_PID": ownProcess], nil),
        ([:], nil),
    ] as [([String: String], Duration?)])
    func watchdogInterval(environment: [String: String], interval: Duration?) {
        #expect(SystemdNotifier(environment: environment).watchdogInterval == interval)
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
