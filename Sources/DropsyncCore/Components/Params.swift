import Foundation

/// A step's params, read through the component's spec: a missing param yields the spec default.
///
/// The validator has already checked every value against its declared type, so the typed getters
/// only convert; what a type cannot express (a regex, a one-character separator) the component
/// checks in its initializer and reports with `ParamError`.
public struct Params: Sendable {
    public let values: Record
    public let spec: ComponentSpec
    /// The directory of the dataflow's file: relative paths in params resolve against it.
    public let baseDirectory: String

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
        guard let text = string(name), !text.isEmpty else { throw ParamError(name, "is required") }
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
        guard let text = try template(name), !text.isEmpty else { throw ParamError(name, "is required") }
        return text
    }

    /// A path param made absolute against the dataflow file's directory.
    public func path(_ name: String) throws(ParamError) -> String {
        let text = try requiredString(name)
        return text.hasPrefix("/") ? text : baseDirectory + "/" + text
    }

    /// A single byte given as a one-character string (separators, quotes).
    public func byte(_ name: String) throws(ParamError) -> UInt8? {
        guard let text = string(name) else { return nil }
        let decoded = text == "\\t" ? "\t" : text
        guard decoded.utf8.count == 1, let byte = decoded.utf8.first else {
            throw ParamError(name, "must be a single ASCII character, got \"\(text)\"")
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
        switch value {
        case .string(let text): return text
        case .object(let record):
            guard let reference = SecretReference(record) else { throw ParamError(name, "is not a secret reference") }
            do {
                return try reference.resolve()
            } catch {
                throw ParamError(name, error.message)
            }
        default: throw ParamError(name, "expected a secret")
        }
    }
}
