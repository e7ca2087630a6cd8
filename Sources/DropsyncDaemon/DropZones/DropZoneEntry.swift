#if canImport(Glibc)
import Glibc
#endif

/// What one name of a drop zone is right now (`lstat`, then `stat` of a symlink's target).
enum DropZoneEntry: Equatable {
    case file(ListedFile)
    /// There, but never readable as it is.
    case unusable(reason: String)
    /// Not there (any more).
    case gone

    /// Looks at `name` in `directory`; `realDirectory` is the directory with symlinks resolved, which
    /// a symlink's target must be inside.
    init(name: DropZoneName, directory: String, realDirectory: String) {
        let path = directory + "/" + name.shown
        var information = stat()
        let found = (Array(directory.utf8) + [UInt8(ascii: "/")] + name.bytes + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &information) }
        }
        guard found == 0 else {
            let failure = errno
            self = failure == ENOENT || failure == ENOTDIR
                ? .gone : .unusable(reason: "cannot look at it: \(SystemCallFailure(failure))")
            return
        }
        if let problem = name.problem {
            self = .unusable(reason: problem)
            return
        }
        if information.st_mode & S_IFMT == S_IFLNK {
            guard let target = Self.realPath(path) else {
                self = .unusable(reason: "a symlink to nothing")
                return
            }
            guard target.hasPrefix(realDirectory + "/") else {
                self = .unusable(reason: "a symlink pointing out of the drop zone")
                return
            }
            guard stat(target, &information) == 0 else {
                self = errno == ENOENT ? .gone : .unusable(reason: "cannot look at its target: \(SystemCallFailure(errno))")
                return
            }
        }
        switch information.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            self = .unusable(reason: "a directory, not a file")
            return
        default:
            self = .unusable(reason: "not a regular file")
            return
        }
        guard access(path, R_OK) == 0 else {
            self = errno == ENOENT ? .gone : .unusable(reason: "no read permission")
            return
        }
        self = .file(ListedFile(name: name.shown, path: path, size: Int64(information.st_size), modified: information.modifiedSince1970))
    }

    /// `realpath(3)`: the path with every symlink resolved; nil when it leads nowhere.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
