/// One param of a component (or one key of a `keyed` param's objects).
public struct ParamSpec: Sendable, Hashable {
    public let name: String
    public let type: ParamType
    public let required: Bool
    public let defaultValue: Value?
    /// Rules beyond the type (`1 to 65535`, `not empty`), checked with it.
    public let constraints: [ParamConstraint]
    public let description: String

    public init(
        _ name: String, _ type: ParamType, required: Bool = false, default defaultValue: Value? = nil,
        constraints: [ParamConstraint] = [], _ description: String
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.constraints = constraints
        self.description = description
    }

    /// Every problem of a given `value`: its type's, then the broken rules (of an array, also
    /// those of the items of the right type). A required string given empty is a problem of its
    /// own. `null` stands for absent and has none.
    public func problems(in value: Value) -> [String] {
        if value.isNull { return [] }
        let typeProblems = type.problems(value)
        guard typeProblems.isEmpty || value.arrayValue != nil else { return typeProblems }
        if required, case .string("") = value { return ["must not be empty"] }
        return typeProblems + constraints.flatMap { $0.problems(value, isSecret: type.isSecret) }
    }
}
