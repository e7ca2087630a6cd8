import DropsyncCore
import Foundation
import Logging
public struct ListedFile: Sendable, Hashable { public var name: String; public var path: String; public var size: Int64; public var modified: Double }
public enum DropZoneFinding: Sendable, Hashable { case seen(ListedFile, waitingFor: String); case ready(ListedFile, reason: String); case unusable(path: String, reason: String) }
public final class DropZoneMonitor: Sendable {
    public init(settings: DropZoneSettings, reconcileInterval: Duration) {}
    public func findings() -> AsyncStream<DropZoneFinding> { AsyncStream { _ in } }
    public func rescan() {}
    public func forget(path: String) {}
    public func stop() {}
}
public struct SystemdNotifier: Sendable {
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {}
    public var isActive: Bool { false }
    public var watchdogInterval: Duration? { nil }
    public func ready(status: String? = nil) {}
    public func reloading() {}
    public func stopping() {}
    public func watchdog() {}
    public func status(_ text: String) {}
}
public enum LogFormat: String, Sendable, CaseIterable { case auto, journal, text, json }
public enum DaemonLogging { public static func bootstrap(format: LogFormat, level: Logger.Level, journalSocket: String = "") {} }
