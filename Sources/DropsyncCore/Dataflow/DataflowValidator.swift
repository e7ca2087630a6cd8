/// Checks a dataflow against the registry and compiles its steps, collecting every problem.
public struct DataflowValidator {
    public let registry: ComponentRegistry

    public init(registry: ComponentRegistry) { self.registry = registry }

    /// The compiled dataflow, or nil when any problem was found (all of them appended).
    public func compile(_ dataflow: Dataflow, into diagnostics: inout [Diagnostic]) -> CompiledDataflow? {
        let before = diagnostics.count
        let file = dataflow.file
        func report(_ step: String?, _ param: String?, _ message: String) {
            diagnostics.append(Diagnostic(file: file, step: step, param: param, message: message))
        }

        var seen: Set<String> = []
        for step in dataflow.steps where !seen.insert(step.id).inserted {
            report(step.id, nil, "duplicate step id")
        }

        // Graph checks need only each step's spec, so they run whatever its params say. Every
        // step's params are checked, a duplicate's too; the graph has the first step of an id.
        var specs: [String: ComponentSpec] = [:]
        var compiled: [String: CompiledStep] = [:]
        for step in dataflow.steps {
            guard let component = registry.component(named: step.type) else {
                report(step.id, nil, unknownTypeMessage(step.type))
                continue
            }
            let warn = { (warning: Diagnostic) in
                var warning = warning
                warning.file = file
                diagnostics.append(warning)
            }
            let instance = compileParams(step, component, baseDirectory: directory(of: file), report: report, warn: warn)
            guard specs[step.id] == nil else { continue }
            specs[step.id] = component.spec
            if let instance { compiled[step.id] = CompiledStep(definition: step, spec: component.spec, component: instance) }
        }

        checkEdges(dataflow, specs, report: report)
        checkEntryPointsAndCycles(dataflow, specs, report: report)

        // Steps that share an id would otherwise each repeat the graph's word about it.
        var reported: Set<Diagnostic> = []
        let found = diagnostics[before...].filter { reported.insert($0).inserted }
        diagnostics.replaceSubrange(before..., with: found)
        guard !found.contains(where: { !$0.isWarning }) else { return nil }
        return CompiledDataflow(dataflow: dataflow, steps: dataflow.steps.compactMap { compiled[$0.id] })
    }

    private func unknownTypeMessage(_ type: String) -> String {
        let unsupported = IdentitySyncCatalog.unsupported
        if unsupported.contains(type) {
            return "type '\(type)' is an IdentitySync component that dropsync does not support"
        }
        guard let nearest = EditDistance.nearest(to: type, among: registry.names + unsupported) else {
            return "unknown type '\(type)' (see `dropsync components`)"
        }
        let note = unsupported.contains(nearest) ? " (an IdentitySync component that dropsync does not support)" : ""
        return "unknown type '\(type)'; did you mean '\(nearest)'?\(note)"
    }

    /// The step's component, or nil after reporting every problem of its params: all that the
    /// spec sees, else the first the component's initializer finds.
    private func compileParams(
        _ step: StepDefinition, _ component: any Component.Type, baseDirectory: String,
        report: (String?, String?, String) -> Void, warn: (Diagnostic) -> Void
    ) -> (any Component)? {
        let problems = component.spec.problems(in: step.params)
        for problem in problems { report(step.id, problem.param, problem.message) }
        guard problems.isEmpty else { return nil }
        let params = Params(step.params, spec: component.spec, baseDirectory: baseDirectory)
        defer {
            for warning in params.warnings.all {
                warn(Diagnostic(file: "", step: step.id, param: warning.param, message: warning.message, isWarning: true))
            }
        }
        do {
            return try component.init(params: params)
        } catch {
            report(step.id, error.param, error.message)
            return nil
        }
    }

    private func checkEdges(_ dataflow: Dataflow, _ specs: [String: ComponentSpec], report: (String?, String?, String) -> Void) {
        var fileInputs: [String: Int] = [:]
        for step in dataflow.steps {
            for (links, isError) in [(step.next, false), (step.error, true)] {
                let field = isError ? "error" : "next"
                var named: Set<String> = []
                for target in links {
                    guard named.insert(target).inserted else {
                        report(step.id, nil, "'\(field)' names step '\(target)' more than once")
                        continue
                    }
                    guard dataflow.step(target) != nil else {
                        report(step.id, nil, "'\(field)' names step '\(target)', which does not exist")
                        continue
                    }
                    guard let source = specs[step.id], let destination = specs[target] else { continue }
                    let carried: PortKind = isError ? .records : source.output
                    if isError && !source.rejectsRecords {
                        report(step.id, nil, "\(source.type) rejects no records, so it cannot have an 'error' path")
                    } else if carried == .nothing {
                        report(step.id, nil, "\(source.type) produces nothing, so it cannot lead to '\(target)'")
                    } else if destination.input == .nothing {
                        continue  // reported once, on the reader
                    } else if destination.input != carried {
                        report(step.id, nil, "'\(field)' sends \(describe(carried)) to '\(target)', but \(destination.type) takes \(describe(destination.input))")
                    } else if carried == .file {
                        fileInputs[target, default: 0] += 1
                    }
                }
            }
        }
        for (target, count) in fileInputs.sorted(by: { $0.key < $1.key }) where count > 1 {
            report(target, nil, "a file step takes files from one step only; \(count) steps lead to it")
        }
    }

    private func checkEntryPointsAndCycles(_ dataflow: Dataflow, _ specs: [String: ComponentSpec], report: (String?, String?, String) -> Void) {
        let targets = Set(dataflow.steps.flatMap { $0.next + $0.error })
        let entries = dataflow.steps.filter { !targets.contains($0.id) }
        if entries.isEmpty {
            report(nil, nil, "no entry point: every step is named in some 'next' or 'error'")
        }
        for entry in entries {
            if let spec = specs[entry.id], spec.input != .nothing {
                report(entry.id, nil, "nothing leads to this step, but \(spec.type) needs \(describe(spec.input)) as input")
            }
        }
        for step in dataflow.steps where targets.contains(step.id) {
            if let spec = specs[step.id], spec.input == .nothing {
                let leading = dataflow.steps.filter { ($0.next + $0.error).contains(step.id) }.map { "'\($0.id)'" }
                report(step.id, nil, "\(spec.type) reads from its own source; no step may lead to it (led to from \(leading.joined(separator: ", ")))")
            }
        }
        if let cycle = findCycle(dataflow) {
            report(cycle.first, nil, "the steps form a cycle: " + cycle.joined(separator: " → "))
        }
    }

    private func findCycle(_ dataflow: Dataflow) -> [String]? {
        var state: [String: Bool] = [:]  // false = on the path, true = finished
        var path: [String] = []
        func visit(_ id: String) -> [String]? {
            if let finished = state[id] {
                if finished { return nil }
                let start = path.firstIndex(of: id) ?? 0
                return Array(path[start...]) + [id]
            }
            guard let step = dataflow.step(id) else { return nil }
            state[id] = false
            path.append(id)
            for target in step.next + step.error {
                if let cycle = visit(target) { return cycle }
            }
            path.removeLast()
            state[id] = true
            return nil
        }
        for step in dataflow.steps {
            if let cycle = visit(step.id) { return cycle }
        }
        return nil
    }

    private func describe(_ kind: PortKind) -> String {
        switch kind {
        case .nothing: "no input"
        case .file: "files"
        case .records: "records"
        }
    }

    private func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return String(file[..<slash])
    }
}
