import Foundation

/// A secret given by reference instead of by value.
public enum SecretReference: Sendable, Hashable {
    case environment(String)
    case file(String)
    /// A systemd credential (`LoadCredential=`), read from `$CREDENTIALS_DIRECTORY`.
    case credential(String)

    public init?(_ record: Record) {
        guard record.count == 1, let field = record.fields.first, case .string(let name) = field.value else { return nil }
        switch field.name {
        case "env": self = .environment(name)
        case "file": self = .file(name)
        case "credential": self = .credential(name)
        default: return nil
        }
    }

    /// Resolves the secret as text (a trailing newline of a file dropped); the error names the
    /// reference, never a value.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DropsyncError) -> String {
        var text = String(decoding: try resolveBytes(environment: environment), as: UTF8.self)
        if case .environment = self { return text }
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Resolves the secret as bytes, exactly as stored (binary key material).
    public func resolveBytes(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DropsyncError) -> [UInt8] {
        switch self {
        case .environment(let name):
            guard let value = environment[name] else {
                throw DropsyncError("SECRET_NOT_FOUND", "environment variable \(name) is not set")
            }
            return Array(value.utf8)
        case .file(let path):
            return try Self.read(path, what: "secret file \(path)")
        case .credential(let name):
            guard let directory = environment["CREDENTIALS_DIRECTORY"] else {
                throw DropsyncError("SECRET_NOT_FOUND", "credential \(name): CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit)")
            }
            return try Self.read(directory + "/" + name, what: "credential \(name)")
        }
    }

    /// What the reference points at, for messages: `environment variable X`, `secret file /p`, ….
    public var source: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "secret file \(path)"
        case .credential(let name): "credential \(name)"
        }
    }

    /// Why `path` cannot be read, as the system says it: "No such file or directory" (a dangling
    /// symlink too), "Is a directory", "Permission denied".
    private static func unreadableReason(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return SystemError.reason(errno) }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        return Glibc.read(descriptor, &byte, 1) < 0 ? SystemError.reason(errno) : "unknown reason"
    }

    private static func read(_ path: String, what: String) throws(DropsyncError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DropsyncError("SECRET_NOT_FOUND", "\(what) cannot be read: \(unreadableReason(path))")
        }
        return [UInt8](data)
    }
}
