import Foundation
import Synchronization

/// A step's params, read through the component's spec: a missing param yields the spec default.
///
/// The validator has already checked every value against its declared type and constraints
/// (`ComponentSpec.problems(in:)`), so the typed getters only convert; what neither can express
/// (a regex, two params that must differ) the component checks in its initializer and reports
/// with `ParamError`.
public struct Params: Sendable {
    public let values: Record
    public let spec: ComponentSpec
    /// The directory of the dataflow's file: relative paths in params resolve against it.
    public let baseDirectory: String
    /// What the component found worth a warning while reading its params; `check` shows them.
    public let warnings = ParamWarnings()

    public init(_ values: Record, spec: ComponentSpec, baseDirectory: String = FileManager.default.currentDirectoryPath) {
        self.values = values
        self.spec = spec
        self.baseDirectory = baseDirectory
    }

    public subscript(name: String) -> Value? {
        if let value = values[name], !value.isNull { return value }
        return spec.param(name)?.defaultValue
    }

    public func string(_ name: String) -> String? { self[name]?.stringValue }

    public func bool(_ name: String) -> Bool? { self[name]?.boolValue }

    public func int(_ name: String) -> Int? { self[name]?.intValue.map { Int($0) } }

    public func double(_ name: String) -> Double? { self[name]?.doubleValue }

    public func array(_ name: String) -> [Value]? { self[name]?.arrayValue }

    public func strings(_ name: String) -> [String]? { array(name)?.compactMap(\.stringValue) }

    public func requiredString(_ name: String) throws(ParamError) -> String {
        guard let text = string(name) else { throw ParamError(name, "is required") }
        guard !text.isEmpty else { throw ParamError(name, "must not be empty") }
        return text
    }

    /// A string param that may hold macros (`${now:yyyyMMdd}`, `${jobId}`), checked now so an
    /// unknown macro is a `check` error rather than a failed job. Nil when absent.
    public func template(_ name: String) throws(ParamError) -> String? {
        guard let text = string(name) else { return nil }
        do {
            try Macros.validate(text)
        } catch {
            throw ParamError(name, error.description)
        }
        return text
    }

    /// A required, non-empty `template`.
    public func requiredTemplate(_ name: String) throws(ParamError) -> String {
        guard let text = try template(name) else { throw ParamError(name, "is required") }
        guard !text.isEmpty else { throw ParamError(name, "must not be empty") }
        return text
    }

    /// A path param made absolute against the dataflow file's directory.
    public func path(_ name: String) throws(ParamError) -> String {
        let text = try requiredString(name)
        return text.hasPrefix("/") ? text : baseDirectory + "/" + text
    }

    /// A single byte given as a one-character string (separators, quotes): a param declared
    /// `.singleCharacter`, which `check` has enforced.
    public func byte(_ name: String) throws(ParamError) -> UInt8? {
        guard let text = string(name) else { return nil }
        guard let byte = ParamConstraint.singleByte(text) else {
            throw ParamError(name, "must be one ASCII character other than a line break, got \"\(text)\"")
        }
        return byte
    }

    /// A regular expression param, compiled; the error quotes the pattern's problem.
    public func regex(_ name: String) throws(ParamError) -> Regex<AnyRegexOutput>? {
        guard let pattern = string(name) else { return nil }
        do {
            return try Regex(pattern)
        } catch {
            throw ParamError(name, "is not a valid regular expression: \(error)")
        }
    }

    /// A secret param (literal or reference), resolved now.
    public func secret(_ name: String) throws(ParamError) -> String? {
        guard let value = self[name] else { return nil }
        return try secret(value, name) { reference throws(DropsyncError) in try reference.resolve() }?.value
    }

    /// Secret material as bytes, with what it came from for messages (`the value of privateKey`,
    /// `secret file /etc/…`), for a param that takes one secret or a list of them. Nil when absent.
    public func secretMaterials(_ name: String) throws(ParamError) -> [(value: [UInt8], source: String)]? {
        guard let value = self[name] else { return nil }
        let items = value.arrayValue ?? [value]
        var materials: [(value: [UInt8], source: String)] = []
        for item in items {
            if let material = try secret(item, name, { reference throws(DropsyncError) in try reference.resolveBytes() }) {
                materials.append(material)
            }
        }
        return materials
    }

    /// A secret param's value resolved by `resolve`; a relative `{"file": …}` is taken from the
    /// dataflow file's directory.
    private func secret<T>(
        _ value: Value, _ name: String, _ resolve: (SecretReference) throws(DropsyncError) -> T
    ) throws(ParamError) -> (value: T, source: String)? where T: SecretText {
        switch value {
        case .null: return nil
        case .string(let text): return (T(literal: text), "the value of \(name)")
        case .object(let record):
            guard var reference = SecretReference(record) else { throw ParamError(name, "is not a secret reference") }
            if case .file(let path) = reference, !path.hasPrefix("/") { reference = .file(baseDirectory + "/" + path) }
            do {
                return (try resolve(reference), reference.source)
            } catch {
                throw ParamError(name, error.message)
            }
        default: throw ParamError(name, "expected a secret")
        }
    }
}

/// What a secret resolves to: text or bytes.
protocol SecretText {
    init(literal: String)
}

extension String: SecretText {
    init(literal: String) { self = literal }
}

extension Array: SecretText where Element == UInt8 {
    init(literal: String) { self = Array(literal.utf8) }
}

/// Warnings about a step's params (a key that expires soon): the configuration stays valid.
public final class ParamWarnings: Sendable {
    private let collected = Mutex<[(param: String?, message: String)]>([])

    public init() {}

    public func add(_ param: String?, _ message: String) { collected.withLock { $0.append((param, message)) } }

    public var all: [(param: String?, message: String)] { collected.withLock { $0 } }
}
