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
