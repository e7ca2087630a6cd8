import DropsyncCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `datasource.read.local`: reads the files of a local directory (a local drop zone).
///
/// Lists the directory's regular files whose whole name matches `fileNameRegex`, in the chosen
/// order, skipping names that match `ignorePatterns` (by default dotfiles and upload temp names:
/// `.part`, `.tmp`, `.filepart`, `.uploading`) and symlinks that lead out of the directory. When the job names files (`run --file`), reads exactly
/// those instead. Each file goes downstream as `fileStart`, 128 KiB `bytes` chunks, `fileEnd`.
public struct LocalReadStep: DropZoneReader {
    public static let spec = ComponentSpec(
        type: "datasource.read.local",
        summary: "Reads the files of a local directory.",
        input: .nothing, output: .file,
        params: [
            ParamSpec("path", .string, required: true,
                      "The directory to read; a relative path is relative to the dataflow file's directory."),
        ] + SourceFiles.specs + DropZoneParams.specs)

    static let chunkSize = 128 * 1024

    let directory: String
    let order: SourceFiles
    public let dropZone: DropZoneSettings

    public init(params: Params) throws(ParamError) {
        directory = URL(fileURLWithPath: try params.path("path")).standardized.path
        order = try SourceFiles(params)
        dropZone = try DropZoneParams.settings(params, directory: directory, fileNamePattern: order.fileNamePattern)
    }

    /// A file to read: its name, where downstream will say it is, and what to open.
    struct Source {
        var name: String
        var path: String
        var location: String
        var size: Int64
        var modified: Double
        /// What `open` gets: the path itself, or the target of a symlink inside the directory.
        var openPath: String
        /// Whether a vanished file fails the job (a file the operator named) or is passed over.
        var mustExist: Bool
        /// Whether `openPath` may be a symlink: only for files named outside the drop zone.
        var followsSymlinks = false
    }

    public func run(_ step: StepRun) async throws {
        do {
            let sources = try step.job.explicitFiles.map(explicitSources) ?? listDirectory()
            for source in sources {
                if step.job.limit.isExhausted { return }
                guard try await send(source, step) else { return }
            }
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }

    /// The files of the directory that qualify, in the configured order.
    func listDirectory() throws(DropsyncError) -> [Source] {
        var information = try Self.status(of: directory, named: "directory \(directory)")
        guard information.st_mode & S_IFMT == S_IFDIR else {
            throw DropsyncError("FILE_NOT_FOUND", "\(directory) is not a directory", file: directory)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw DropsyncError("FILE_UNREADABLE", "cannot list directory \(directory)", file: directory)
        }
        let realDirectory = Self.realPath(directory) ?? directory
        var sources: [Source] = []
        // A name with control characters would reach logs and messages: such files are passed over.
        for name in order.chosen(names, readiness: dropZone.readiness, refused: { _ in }) {
            let path = directory + "/" + name
            guard lstat(path, &information) == 0 else { continue }
            var openPath = path
            if information.st_mode & S_IFMT == S_IFLNK {
                guard let target = Self.realPath(path), target.hasPrefix(realDirectory + "/"),
                      stat(target, &information) == 0 else { continue }
                openPath = target
            }
            guard information.st_mode & S_IFMT == S_IFREG else { continue }
            sources.append(Source(name: name, path: path, location: "local:" + directory, size: Int64(information.st_size),
                                  modified: Self.seconds(information.st_mtim), openPath: openPath, mustExist: false))
        }
        return order.ordered(sources, name: \.name, modified: \.modified)
    }

    /// The files the job names, each checked before any is read. A file of this reader's own
    /// directory (the daemon's jobs) gets the listing's rule: a symlink must stay inside it.
    func explicitSources(_ paths: [String]) throws(DropsyncError) -> [Source] {
        var sources: [Source] = []
        for given in paths {
            let path = URL(fileURLWithPath: given).standardized.path
            let inDropZone = (path as NSString).deletingLastPathComponent == directory
            var openPath = path
            var link = stat()
            if inDropZone, lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
                let realDirectory = Self.realPath(directory) ?? directory
                guard let target = Self.realPath(path), target.hasPrefix(realDirectory + "/") else {
                    throw DropsyncError("FILE_UNREADABLE", "\(path) is a symlink pointing out of the drop zone", file: path)
                }
                openPath = target
            }
            let information = try Self.status(of: openPath, named: path)
            guard information.st_mode & S_IFMT == S_IFREG else {
                throw DropsyncError("FILE_UNREADABLE", "\(path) is not a regular file", file: path)
            }
            let url = URL(fileURLWithPath: path)
            sources.append(Source(name: url.lastPathComponent, path: path, location: "local:" + url.deletingLastPathComponent().path,
                                  size: Int64(information.st_size), modified: Self.seconds(information.st_mtim), openPath: openPath,
                                  mustExist: true,
                                  followsSymlinks: !inDropZone))
        }
        return sources
    }

    /// Sends one file downstream; false when the reader should stop (after the end of the
    /// dataflow's wanted input, or at a file it cannot open: `SourceFiles.unreadable`).
    private func send(_ source: Source, _ step: StepRun) async throws -> Bool {
        let file: LocalFile
        do {
            guard let opened = try open(source, step) else { return true }
            file = opened
        } catch {
            let info = FileInfo(name: source.name, path: source.path, location: source.location, size: source.size, modified: source.modified)
            return SourceFiles.unreadable(info, error, step)
        }
        let information: stat
        do {
            information = try file.status()
        } catch {
            throw error.concerning(file: source.path)
        }
        let info = FileInfo(name: source.name, path: source.path, location: source.location,
                            size: Int64(information.st_size), modified: Self.seconds(information.st_mtim))
        return try await SourceFiles.send(info, step) { try file.read(upTo: Self.chunkSize) }
    }

    /// Opens a source; nil for a listed file that vanished since the listing.
    private func open(_ source: Source, _ step: StepRun) throws(DropsyncError) -> LocalFile? {
        do {
            return try LocalFile(path: source.openPath, flags: O_RDONLY | (source.followsSymlinks ? 0 : O_NOFOLLOW), errorCode: "FILE_UNREADABLE")
        } catch {
            guard error.code == "FILE_NOT_FOUND", !source.mustExist else { throw error }
            step.job.trace(.warning, "\(source.path) vanished before it was read", step: step.id)
            return nil
        }
    }

    /// `stat(2)` of a path the job needs; a missing one is `FILE_NOT_FOUND`, else `FILE_UNREADABLE`.
    private static func status(of path: String, named description: String) throws(DropsyncError) -> stat {
        var information = stat()
        guard stat(path, &information) == 0 else {
            let failure = errno
            throw failure == ENOENT || failure == ENOTDIR
                ? DropsyncError("FILE_NOT_FOUND", "\(description) does not exist", file: path)
                : DropsyncError("FILE_UNREADABLE", "cannot read \(description): \(SystemError.reason(failure))", file: path)
        }
        return information
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }
}
