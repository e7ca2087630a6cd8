/// Turns a parsed JSON document into a `Dataflow`, noting every structural problem.
enum DataflowDecoder {
    /// The dataflow, or nil when its steps cannot be read. Its name is empty when it has none
    /// (already reported): such a dataflow is checked but never loaded.
    static func decode(_ document: Value, file: String, into diagnostics: inout [Diagnostic]) -> Dataflow? {
        guard case .object(let object) = document else {
            diagnostics.append(Diagnostic(file: file, message: "a dataflow must be a JSON object, got \(document.typeName)"))
            return nil
        }
        let known: Set = ["name", "description", "schedule", "watch", "steps", "id", "lastRuntime", "status", "version"]
        for name in object.names where !known.contains(name) {
            diagnostics.append(Diagnostic(file: file, message: "unknown dataflow field '\(name)'"))
        }
        var name: String?
        switch object["name"] {
        case .string(let text)? where !text.isEmpty: name = text
        case .string?: diagnostics.append(Diagnostic(file: file, message: "the dataflow's 'name' must not be empty"))
        case nil, .null?: diagnostics.append(Diagnostic(file: file, message: "the dataflow needs a non-empty string 'name'"))
        case let other?:
            diagnostics.append(Diagnostic(file: file, message: "the dataflow's 'name' must be a string, got \(other.typeName) \(other.quoted)"))
        }
        var schedule: Record?
        if let value = object["schedule"], !value.isNull {
            if case .object(let record) = value { schedule = record } else {
                diagnostics.append(Diagnostic(file: file, message: "'schedule' must be an object"))
            }
        }
        var watch = true
        if let value = object["watch"], !value.isNull {
            if case .bool(let flag) = value { watch = flag } else {
                diagnostics.append(Diagnostic(file: file, message: "'watch' must be true or false"))
            }
        }
        guard case .array(let items)? = object["steps"], !items.isEmpty else {
            // Only the type: an object here may hold a step's params, secrets among them.
            let got = object["steps"].map { ", got \($0.typeName)" } ?? ""
            diagnostics.append(Diagnostic(file: file, message: "the dataflow needs a non-empty 'steps' array\(got)"))
            return nil
        }
        var steps: [StepDefinition] = []
        for (position, item) in items.enumerated() {
            if let step = decodeStep(item, position: position, file: file, into: &diagnostics) { steps.append(step) }
        }
        // A step that could not be read would make the graph checks report misleading problems
        // ("names step 'x', which does not exist", "no entry point"); its own diagnostic is enough.
        guard steps.count == items.count else { return nil }
        // A dataflow without a valid name is still checked, so that all its problems show.
        return Dataflow(
            name: name ?? "", description: object["description"]?.stringValue ?? "", schedule: schedule, watch: watch,
            steps: steps, file: file)
    }

    private static func decodeStep(_ item: Value, position: Int, file: String, into diagnostics: inout [Diagnostic]) -> StepDefinition? {
        guard case .object(let object) = item else {
            diagnostics.append(Diagnostic(file: file, message: "steps[\(position)] must be an object"))
            return nil
        }
        guard case .string(let id)? = object["id"], !id.isEmpty else {
            diagnostics.append(Diagnostic(file: file, message: "steps[\(position)] needs a non-empty string 'id'"))
            return nil
        }
        for name in object.names where !["id", "type", "params", "next", "error"].contains(name) {
            diagnostics.append(Diagnostic(file: file, step: id, message: "unknown step field '\(name)'"))
        }
        guard case .string(let type)? = object["type"], !type.isEmpty else {
            diagnostics.append(Diagnostic(file: file, step: id, message: "the step needs a non-empty string 'type'"))
            return nil
        }
        var params = Record()
        switch object["params"] {
        case nil, .null?: break
        case .object(let record)?: params = record
        case let other?:
            diagnostics.append(Diagnostic(file: file, step: id, message: "'params' must be an object, got \(other.typeName)"))
        }
        return StepDefinition(
            id: id, type: type, params: params,
            next: links(object["next"], "next", step: id, file: file, into: &diagnostics),
            error: links(object["error"], "error", step: id, file: file, into: &diagnostics))
    }

    private static func links(_ value: Value?, _ field: String, step: String, file: String, into diagnostics: inout [Diagnostic]) -> [String] {
        switch value {
        case nil, .null?: return []
        case .string(let single)?: return [single]
        case .array(let items)?:
            let ids = items.compactMap(\.stringValue)
            if ids.count != items.count {
                diagnostics.append(Diagnostic(file: file, step: step, message: "'\(field)' must list step ids as strings"))
            }
            return ids
        case let other?:
            diagnostics.append(Diagnostic(file: file, step: step, message: "'\(field)' must be an array of step ids, got \(other.typeName)"))
            return []
        }
    }
}
