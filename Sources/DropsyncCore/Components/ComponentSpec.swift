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

extension ComponentSpec {
    /// Every problem the spec alone can see in a step's `params`: unknown params, values of the
    /// wrong type or breaking a declared rule (every array item checked), required params missing.
    /// The component's initializer runs only when there is none.
    public func problems(in values: Record) -> [ParamError] {
        var problems: [ParamError] = []
        for field in values.fields {
            guard let param = param(field.name) else {
                problems.append(ParamError(field.name, unknownParamMessage(field.name)))
                continue
            }
            problems += param.problems(in: field.value).map { ParamError(field.name, $0) }
        }
        for param in params where param.required && (values[param.name] ?? .null).isNull {
            problems.append(ParamError(param.name, "is required (\(param.type))"))
        }
        return problems
    }

    private func unknownParamMessage(_ name: String) -> String {
        if IdentitySyncCatalog.params(of: [type] + aliases).contains(name) {
            return "IdentitySync param '\(name)' is not supported by dropsync"
        }
        let hint = EditDistance.nearest(to: name, among: params.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
        return "unknown param for \(type)\(hint)"
    }
}
