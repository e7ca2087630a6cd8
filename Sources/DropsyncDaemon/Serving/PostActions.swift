import DropsyncCore
import DropsyncStore
import Foundation

/// What happens to a drop-zone file after its job: archived or deleted after success,
/// quarantined after a final failure; its own done marker is removed once it left the zone. Moves keep the name (a clash gets `.1`, `.2`, … before
/// the extension) and create the target directory, whose path may hold macros.
enum PostActions {
    /// The directory a post-action's `template` names for a file of job `jobID`.
    static func directory(_ template: String, jobID: String, for path: String) throws(DropsyncError) -> String {
        do {
            return try Macros.expand(template, MacroContext(now: Date(), jobID: jobID))
        } catch {
            throw DropsyncError("POST_ACTION_FAILED", "\(template): \(error)", file: path)
        }
    }

    /// Moves `path` into `directory`; returns the new path.
    static func move(_ path: String, into directory: String) throws(DropsyncError) -> String {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let target = try freeName(for: (path as NSString).lastPathComponent, in: directory) {
                FileManager.default.fileExists(atPath: $0)
            }
            try manager.moveItem(atPath: path, toPath: target)
            return target
        } catch {
            throw DropsyncError("POST_ACTION_FAILED", "cannot move \(path) to \(directory): \(reason(error))", file: path)
        }
    }

    /// Whether the file is in the drop zone in this version (size and mtime).
    static func isPresent(_ file: DropZoneFile) -> Bool {
        var information = stat()
        guard lstat(file.path, &information) == 0, information.st_mode & S_IFMT == S_IFREG else { return false }
        return Int64(information.st_size) == file.size && information.modifiedSince1970 == file.modified
    }

    /// The path of the file's own done marker (`{name}.done`), which leaves the drop zone with the
    /// file; nil when the zone needs no marker, or one of a fixed name (it releases every file, and stays).
    static func doneMarkerPath(of path: String, readiness: ReadinessRules) -> String? {
        guard let template = readiness.doneMarker, template.contains("{name}"),
              let marker = readiness.doneMarker(for: (path as NSString).lastPathComponent) else { return nil }
        guard let slash = path.lastIndex(of: "/") else { return marker }
        return path[...slash] + marker
    }

    static func delete(_ path: String) throws(DropsyncError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw DropsyncError("POST_ACTION_FAILED", "cannot delete \(path): \(SystemError.reason(errno))", file: path)
        }
    }

    /// The first of `directory/name`, `directory/base.1.ext`, `directory/base.2.ext`, … that is
    /// not `taken`.
    static func freeName(
        for name: String, in directory: String, taken: (String) throws(DropsyncError) -> Bool
    ) throws(DropsyncError) -> String {
        let base = (name as NSString).deletingPathExtension
        let suffix = (name as NSString).pathExtension
        let separator = directory.isEmpty || directory.hasSuffix("/") ? "" : "/"
        var candidate = directory + separator + name
        var number = 1
        while try taken(candidate) {
            candidate = directory + separator + base + ".\(number)" + (suffix.isEmpty ? "" : "." + suffix)
            number += 1
        }
        return candidate
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return SystemError.reason(Int32(code))
        }
        return error.localizedDescription
    }
}
