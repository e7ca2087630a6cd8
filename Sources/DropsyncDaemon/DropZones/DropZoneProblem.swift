/// Something wrong with a drop zone's directory itself (not with one of its files), for the log.
/// The monitor keeps running through all of them.
public enum DropZoneProblem: Sendable, Hashable {
    /// The directory cannot be watched or listed (missing, not a directory, no permission, the
    /// server unreachable); it is tried again (local: every second; remote: with backoff).
    case unavailable(directory: String, reason: String)
    /// The server refused us for good (login, host key, certificate): not tried again until the
    /// configuration is reloaded.
    case refused(directory: String, reason: String)
    /// Watched again after being unavailable; a full listing follows.
    case recovered(directory: String)
    /// The kernel dropped events (a burst larger than its queue); a full listing follows.
    case eventsLost(directory: String)
}
