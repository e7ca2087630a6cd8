/// The component catalog `dropsync components` prints, generated from the specs.
public enum ComponentCatalog {
    public static func jsonValue(_ registry: ComponentRegistry) -> Value {
        .array(registry.components.map { component in
            let spec = component.spec
            return .object([
                "type": .string(spec.type), "aliases": .array(spec.aliases.map(Value.string)),
                "summary": .string(spec.summary), "input": .string(spec.input.rawValue),
                "output": .string(spec.output.rawValue), "rejectsRecords": .bool(spec.rejectsRecords),
                "params": .array(spec.params.map { param in
                    .object([
                        "name": .string(param.name), "type": .string(param.type.description),
                        "required": .bool(param.required), "default": param.defaultValue ?? .null,
                        "constraints": .array(param.constraints.map { .string($0.description) }),
                        "description": .string(param.description),
                    ])
                }),
            ])
        })
    }

    public static func text(_ registry: ComponentRegistry) -> String {
        registry.components.map { component in
            let spec = component.spec
            var lines = ["\(spec.type)  (\(spec.input.rawValue) → \(spec.output.rawValue))  \(spec.summary)"]
            if !spec.aliases.isEmpty { lines.append("  aliases: " + spec.aliases.joined(separator: ", ")) }
            for param in spec.params {
                var line = "  \(param.name): \(param.type)"
                if param.required { line += ", required" }
                for constraint in param.constraints { line += ", \(constraint)" }
                if let value = param.defaultValue { line += ", default \(JSONWriter.string(value))" }
                lines.append(line + " — \(param.description)")
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
