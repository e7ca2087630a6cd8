/// What flows along an edge into or out of a step.
public enum PortKind: String, Sendable, Hashable {
    case nothing, file, records
}

/// The declared shape of a component: its `type` names, ports and params. One spec drives
/// `check`, typed param parsing, `dropsync components` and the documentation test.
public struct ComponentSpec: Sendable {
    public let type: String
    public let aliases: [String]
    public let summary: String
    public let input: PortKind
    public let output: PortKind
    /// Whether the component rejects records (and so may have an `error` path).
    public let rejectsRecords: Bool
    public let params: [ParamSpec]

    public init(
        type: String, aliases: [String] = [], summary: String, input: PortKind, output: PortKind,
        rejectsRecords: Bool = false, params: [ParamSpec]
    ) {
        self.type = type
        self.aliases = aliases
        self.summary = summary
        self.input = input
        self.output = output
        self.rejectsRecords = rejectsRecords
        self.params = params
    }

    public func param(_ name: String) -> ParamSpec? { params.first { $0.name == name } }
}

/// The JSON type a param takes.
public indirect enum ParamType: Sendable, Hashable, CustomStringConvertible {
    case string, integer, number, boolean, object, any
    case array(of: ParamType)
    /// One value of the type, or a non-empty array of them.
    case oneOrMore(ParamType)
    case oneOf([String])
    /// A secret: a literal string or a reference `{"env"|"file"|"credential": …}`.
    case secret

    public var description: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .object: "object"
        case .any: "any"
        case .array(let element): "array of \(element)"
        case .oneOrMore(let element): "\(element), or an array of them"
        case .oneOf(let choices): "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
        case .secret: "secret (string or {\"env\"|\"file\"|\"credential\": name})"
        }
    }

    /// Why `value` does not fit this type, or nil when it does.
    public func mismatch(_ value: Value) -> String? {
        switch (self, value) {
        case (.any, _), (.string, .string), (.integer, .int), (.number, .int), (.number, .double),
             (.boolean, .bool), (.object, .object):
            return nil
        case (.integer, .double(let number)) where number.rounded() == number:
            return nil
        case (.oneOf(let choices), .string(let text)):
            if choices.contains(text) { return nil }
            if let match = choices.first(where: { $0.lowercased() == text.lowercased() }) {
                return "\"\(text)\" is not allowed; did you mean \"\(match)\"?"
            }
            return "\"\(text)\" is not \(self)"
        case (.array(let element), .array(let items)):
            for (position, item) in items.enumerated() {
                if let problem = element.mismatch(item) { return "item \(position): \(problem)" }
            }
            return nil
        case (.oneOrMore(let element), .array(let items)):
            if items.isEmpty { return "expected at least one \(element)" }
            return ParamType.array(of: element).mismatch(value)
        case (.oneOrMore(let element), _):
            return element.mismatch(value)
        case (.secret, .string):
            return nil
        case (.secret, .object(let reference)):
            return SecretReference(reference) == nil
                ? "expected a string or one of {\"env\": …}, {\"file\": …}, {\"credential\": …}" : nil
        default:
            return "expected \(self), got \(value.typeName)"
        }
    }
}

/// One param of a component.
public struct ParamSpec: Sendable {
    public let name: String
    public let type: ParamType
    public let required: Bool
    public let defaultValue: Value?
    public let description: String

    public init(_ name: String, _ type: ParamType, required: Bool = false, default defaultValue: Value? = nil, _ description: String) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.description = description
    }
}
