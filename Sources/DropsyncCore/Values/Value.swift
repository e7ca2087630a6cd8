/// One JSON value as records carry it: objects keep their field order.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Value])
    case object(Record)

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }

    public var boolValue: Bool? { if case .bool(let flag) = self { flag } else { nil } }

    public var intValue: Int64? {
        switch self {
        case .int(let number): number
        case .double(let number) where number.rounded() == number && abs(number) < 9.0e18: Int64(number)
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    public var arrayValue: [Value]? { if case .array(let items) = self { items } else { nil } }

    public var objectValue: Record? { if case .object(let record) = self { record } else { nil } }

    /// The JSON type name, for messages ("string", "object", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Text for places that want a scalar as text (file names, DSV cells): strings as they are,
    /// numbers and booleans as JSON writes them, null as empty, arrays and objects as JSON.
    public var plainText: String {
        switch self {
        case .null: ""
        case .string(let text): text
        default: JSONWriter.string(self)
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(Record(elements.map { Record.Field(name: $0.0, value: $0.1) }))
    }
}
