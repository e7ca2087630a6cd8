#if canImport(Glibc)
import Glibc
#endif

/// The system's words for a failed call.
public enum SystemError {
    /// The description of `errno` value `code`, as `strerror` gives it ("No such file or directory").
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
