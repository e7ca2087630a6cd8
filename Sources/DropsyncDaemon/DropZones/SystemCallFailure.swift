#if canImport(Glibc)
import Glibc
#endif

/// A failed system call's `errno`, described by `strerror`.
struct SystemCallFailure: Error, CustomStringConvertible {
    let number: Int32

    init(_ number: Int32) { self.number = number }

    var description: String { String(cString: strerror(number)) }
}
