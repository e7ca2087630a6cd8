/// An error a job or a command reports: a stable code, a message that names where, and the cause.
///
/// Messages name the dataflow, step, file and line where known — never a secret or a record's
/// values.
public struct DropsyncError: Error, Sendable, CustomStringConvertible {
    /// A stable UPPER_SNAKE identifier (`GZIP_TRUNCATED`, `FILE_NOT_FOUND`, …).
    public var code: String
    public var message: String
    public var step: String?
    public var file: String?
    public var line: Int?

    public init(_ code: String, _ message: String, file: String? = nil, line: Int? = nil, step: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.step = step
    }

    public var description: String {
        var parts: [String] = []
        if let step { parts.append("step '\(step)'") }
        if let file { parts.append(line.map { "\(file):\($0)" } ?? file) }
        let place = parts.isEmpty ? "" : parts.joined(separator: ", ") + ": "
        return "\(place)\(message) [\(code)]"
    }

    /// The same error, about this file: a reader's error on the file it was reading names that
    /// file as the job knows it (its path in the drop zone), whatever path the failing call had.
    public func concerning(file path: String) -> DropsyncError {
        var copy = self
        copy.file = path
        return copy
    }

    /// Codes that say a server refused us (a login, a host key, a certificate): trying again
    /// cannot help until the configuration or the server changes.
    public static let refusalCodes: Set = [
        "AUTHENTICATION_FAILED", "HOST_KEY_MISMATCH", "HOST_KEY_REVOKED", "HOST_KEY_UNKNOWN", "TLS_VERIFICATION_FAILED",
        "TLS_NOT_OFFERED",
    ]

    /// Codes that say a server, or the way to it, failed rather than the file being read.
    public static let serverCodes = refusalCodes.union(["CONNECTION_FAILED", "BUCKET_NOT_FOUND"])

    public var isAboutTheServer: Bool { Self.serverCodes.contains(code) }

    /// The error as a reader reports it while reading the file at `path`: about that file, unless
    /// the server or the way to it failed (a refused login must not be blamed on one file after another).
    public func whileReading(_ path: String) -> DropsyncError { isAboutTheServer ? self : concerning(file: path) }

    /// The same error, attributed to a step unless it already names one.
    public func inStep(_ id: String) -> DropsyncError {
        var copy = self
        if copy.step == nil { copy.step = id }
        return copy
    }
}

/// One configuration problem, located by file, step and param.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var step: String?
    public var param: String?
    public var message: String
    /// Worth knowing, but the configuration is valid (a key that expires soon).
    public var isWarning: Bool

    public init(file: String, step: String? = nil, param: String? = nil, message: String, isWarning: Bool = false) {
        self.file = file
        self.step = step
        self.param = param
        self.message = message
        self.isWarning = isWarning
    }

    public var description: String {
        var place = (isWarning ? "warning: " : "") + file
        if let step { place += ": step '\(step)'" }
        if let param { place += " param '\(param)'" }
        return "\(place): \(message)"
    }
}

/// A problem with one param value that the spec's type check cannot see (a bad regex, …).
public struct ParamError: Error, Sendable {
    public var param: String
    public var message: String
    public init(_ param: String, _ message: String) {
        self.param = param
        self.message = message
    }

    /// The param's value failed a check that has its own error code (a key that expired, …).
    public init(_ param: String, _ error: DropsyncError) {
        self.init(param, "\(error.message) [\(error.code)]")
    }
}
