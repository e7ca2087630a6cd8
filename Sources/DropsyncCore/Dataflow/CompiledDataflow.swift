/// A step whose params were parsed into a component instance.
public struct CompiledStep: Sendable {
    public let definition: StepDefinition
    public let spec: ComponentSpec
    public let component: any Component

    public var id: String { definition.id }
}

/// A dataflow that passed validation: every step compiled, every edge's kinds matched.
public struct CompiledDataflow: Sendable {
    public let dataflow: Dataflow
    public let steps: [CompiledStep]

    public var name: String { dataflow.name }

    public func step(_ id: String) -> CompiledStep? { steps.first { $0.id == id } }

    /// Steps nobody names in `next` or `error`.
    public var entryPoints: [CompiledStep] {
        let targets = Set(steps.flatMap { $0.definition.next + $0.definition.error })
        return steps.filter { !targets.contains($0.id) }
    }

    /// How many edges lead into each step.
    public var incomingEdges: [String: Int] {
        var counts: [String: Int] = [:]
        for step in steps { for target in step.definition.next + step.definition.error { counts[target, default: 0] += 1 } }
        return counts
    }
}
