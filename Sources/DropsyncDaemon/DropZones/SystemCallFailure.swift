import DropsyncCore

/// A failed system call's `errno`, described as the system does.
struct SystemCallFailure: Error, CustomStringConvertible {
    let number: Int32

    init(_ number: Int32) { self.number = number }

    var description: String { SystemError.reason(number) }
}
