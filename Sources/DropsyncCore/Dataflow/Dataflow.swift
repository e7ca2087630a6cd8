/// One step of a dataflow as written: `{id, type, params, next, error}`.
public struct StepDefinition: Sendable {
    public var id: String
    public var type: String
    public var params: Record
    public var next: [String]
    public var error: [String]

    public init(id: String, type: String, params: Record = Record(), next: [String] = [], error: [String] = []) {
        self.id = id
        self.type = type
        self.params = params
        self.next = next
        self.error = error
    }
}

/// One IdentitySync-style dataflow, as loaded from one `conf.d/*.json` file.
public struct Dataflow: Sendable {
    public var name: String
    public var description: String
    /// The IdentitySync scheduling object, kept as written.
    public var schedule: Record?
    /// Whether `dropsync serve` watches the dataflow's drop zone (`"watch": false` leaves it to
    /// `dropsync run`).
    public var watch: Bool
    public var steps: [StepDefinition]
    /// The file it was loaded from, for diagnostics and relative paths.
    public var file: String

    public init(
        name: String, description: String = "", schedule: Record? = nil, watch: Bool = true, steps: [StepDefinition], file: String
    ) {
        self.name = name
        self.description = description
        self.schedule = schedule
        self.watch = watch
        self.steps = steps
        self.file = file
    }

    public func step(_ id: String) -> StepDefinition? { steps.first { $0.id == id } }
}
