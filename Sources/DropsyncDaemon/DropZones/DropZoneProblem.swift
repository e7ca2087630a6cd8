/// Something wrong with a drop zone's directory itself (not with one of its files), for the log.
/// The monitor keeps running through all of them.
public enum DropZoneProblem: Sendable, Hashable {
    /// The directory cannot be watched (missing, not a directory, no permission); it is tried
    /// again every second.
    case unavailable(directory: String, reason: String)
    /// Watched again after being unavailable; a full listing follows.
    case recovered(directory: String)
    /// The kernel dropped events (a burst larger than its queue); a full listing follows.
    case eventsLost(directory: String)
}
