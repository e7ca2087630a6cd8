/// The JSON type a param takes.
public indirect enum ParamType: Sendable, Hashable, CustomStringConvertible {
    case string, integer, number, boolean, object, any
    case array(of: ParamType)
    /// One value of the type, or a non-empty array of them.
    case oneOrMore(ParamType)
    case oneOf([String])
    /// A secret: a literal string or a reference `{"env"|"file"|"credential": …}`. Messages
    /// never quote its value.
    case secret
    /// An object with these keys and no others (the items of `fields: [{sourceField, targetField}]`).
    case keyed([ParamSpec])

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
        case .keyed(let keys): "object {" + keys.map { $0.name + ($0.required ? "" : "?") }.joined(separator: ", ") + "}"
        }
    }

    /// Whether values of this type (or its items) are secrets.
    public var isSecret: Bool {
        switch self {
        case .secret: true
        case .array(let element), .oneOrMore(let element): element.isSecret
        default: false
        }
    }

    /// Every way `value` does not fit this type (each array item checked); empty when it fits.
    public func problems(_ value: Value) -> [String] {
        switch (self, value) {
        case (.any, _), (.string, .string), (.integer, .int), (.number, .int), (.number, .double),
             (.boolean, .bool), (.object, .object), (.secret, .string):
            return []
        case (.integer, .double(let number)) where number.rounded() == number:
            return []
        case (.oneOf(let choices), .string(let text)):
            if choices.contains(text) { return [] }
            if let match = choices.first(where: { $0.lowercased() == text.lowercased() }) {
                return ["\"\(text)\" is not allowed; did you mean \"\(match)\"?"]
            }
            return ["\(value.quoted) is not \(self)"]
        case (.array(let element), .array(let items)):
            return items.enumerated().flatMap { position, item in element.problems(item).map { "item \(position): \($0)" } }
        case (.oneOrMore(let element), .array(let items)):
            return items.isEmpty ? ["expected at least one \(element)"] : ParamType.array(of: element).problems(value)
        case (.oneOrMore(let element), _):
            return element.problems(value)
        case (.secret, .object(let reference)):
            return SecretReference(reference) == nil
                ? ["expected a string or one of {\"env\": …}, {\"file\": …}, {\"credential\": …}"] : []
        case (.keyed(let keys), .object(let object)):
            return Self.problems(object, keys)
        case (.secret, _):
            return ["expected \(self), got \(value.typeName)"]
        default:
            return ["expected \(self), got \(value.typeName) \(value.quoted)"]
        }
    }

    /// Unknown keys, problems of the values and missing required keys of a `keyed` object. A key
    /// present with `null` counts as given.
    private static func problems(_ object: Record, _ keys: [ParamSpec]) -> [String] {
        let names = keys.map(\.name)
        var problems: [String] = []
        for name in object.names where !names.contains(name) {
            let hint = EditDistance.nearest(to: name, among: names).map { "; did you mean '\($0)'?" } ?? ""
            problems.append("unknown key '\(name)' (expected \(names.joined(separator: ", ")))\(hint)")
        }
        for key in keys {
            if let value = object[key.name] {
                problems += key.problems(in: value).map { "'\(key.name)' \($0)" }
            } else if key.required {
                problems.append("needs '\(key.name)'")
            }
        }
        return problems
    }
}
