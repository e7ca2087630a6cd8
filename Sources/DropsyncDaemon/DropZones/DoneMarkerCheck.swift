/// Whether a file's done marker releases it: the marker must be there and at least as new as the
/// file. A marker older than the file was left from an earlier delivery under the same name (a
/// new upload of `app.csv.gz` must not be taken at its first close because `app.csv.gz.done`
/// of the previous one is still around).
enum DoneMarkerCheck {
    /// What the file still waits for; nil when `marker` releases it.
    /// - Parameters:
    ///   - markerModified: the marker's mtime (seconds since 1970), nil when it is not there.
    ///   - fileModified: the file's mtime.
    static func waiting(for marker: String, markerModified: Double?, fileModified: Double) -> String? {
        guard let markerModified else { return "done marker \(marker)" }
        return markerModified >= fileModified ? nil : "a done marker \(marker) newer than the file"
    }
}
