import DropsyncCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An open local file descriptor, closed in `deinit`. Every call retries `EINTR` and turns a
/// failure into a `DropsyncError` that names the path and the system's reason.
///
/// Not `Sendable`: one step uses it from one task.
public final class LocalFile {
    public let path: String
    private var descriptor: Int32

    /// `open(2)`s `path` with `flags` (`O_CLOEXEC` is added) and `mode` for created files.
    /// Throws `FILE_NOT_FOUND` when the path does not exist, else `errorCode`.
    public init(path: String, flags: Int32, mode: mode_t = 0o600, errorCode: String) throws(DropsyncError) {
        self.path = path
        descriptor = -1
        descriptor = try Self.retrying(errorCode, "cannot open", path) { open(path, flags | O_CLOEXEC, mode) }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// `fstat(2)` of the open file.
    public func status() throws(DropsyncError) -> stat {
        var result = stat()
        _ = try Self.retrying("FILE_UNREADABLE", "cannot stat", path) { fstat(descriptor, &result) }
        return result
    }

    /// Reads up to `count` bytes; an empty array at the end of the file.
    public func read(upTo count: Int) throws(DropsyncError) -> [UInt8] {
        var failure: DropsyncError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(DropsyncError) {
                initialized = try Self.retrying("FILE_UNREADABLE", "cannot read", path) {
                    Glibc.read(descriptor, buffer.baseAddress, count)
                }
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Writes all of `bytes`, however many `write(2)` calls it takes.
    public func write(_ bytes: [UInt8]) throws(DropsyncError) {
        var failure: DropsyncError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, failure == nil {
                do throws(DropsyncError) {
                    offset += try Self.retrying("FILE_WRITE_FAILED", "cannot write", path) {
                        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    }
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }

    /// `fsync(2)`: the bytes written are on disk.
    public func synchronize() throws(DropsyncError) {
        _ = try Self.retrying("FILE_WRITE_FAILED", "cannot sync", path) { fsync(descriptor) }
    }

    /// Closes the descriptor now, reporting a failure (`close(2)` can report a lost write).
    public func close() throws(DropsyncError) {
        let closing = descriptor
        descriptor = -1
        if Glibc.close(closing) != 0 && errno != EINTR {
            throw DropsyncError("FILE_WRITE_FAILED", "cannot close \(path): \(SystemError.reason(errno))", file: path)
        }
    }


    /// Calls `operation` until it does not fail with `EINTR`; a negative result throws `code`
    /// (`FILE_NOT_FOUND` for `ENOENT`).
    static func retrying<Result: BinaryInteger>(
        _ code: String, _ action: String, _ path: String, _ operation: () -> Result
    ) throws(DropsyncError) -> Result {
        while true {
            let result = operation()
            if result >= 0 { return result }
            let failure = errno
            if failure == EINTR { continue }
            if failure == ENOENT { throw DropsyncError("FILE_NOT_FOUND", "\(path) does not exist", file: path) }
            throw DropsyncError(code, "\(action) \(path): \(SystemError.reason(failure))", file: path)
        }
    }
}

@available(*, unavailable)
extension LocalFile: Sendable {}
