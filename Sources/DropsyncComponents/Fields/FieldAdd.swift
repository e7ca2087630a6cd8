import DropsyncCore

/// `field.add`: sets each `field` to its `value`, overwriting a field that exists. Strings in the
/// value (also inside arrays and objects) expand `${now}`, `${now:yyyyMMdd}` and `${jobId}` with
/// the job's start time and id.
public struct FieldAdd: RecordTransformer {
    public static let spec = ComponentSpec(
        type: "field.add",
        summary: "Adds fields with fixed values; strings may use ${now}, ${now:<pattern>} and ${jobId}.",
        input: .records, output: .records,
        params: [
            ParamSpec(
                "fields",
                .array(of: .keyed([
                    ParamSpec("field", .string, required: true, constraints: [.fieldPath], "The field to set."),
                    ParamSpec("value", .any, required: true, "Its value, any JSON; strings may use macros."),
                ])),
                required: true, constraints: [.nonEmpty],
                "The fields to set: [{\"field\": \"data.source\", \"value\": \"import ${now:yyyyMMdd}\"}]. "
                    + "`value` is any JSON; a dotted field creates nesting; an existing field is overwritten."),
        ])

    struct Addition {
        let path: FieldPath
        let value: Value
        /// Whether `value` holds a macro to expand per job.
        let hasMacros: Bool
    }

    let additions: [Addition]

    public init(params: Params) throws(ParamError) {
        additions = try FieldList.objects(params, "fields") { item throws(ParamError) in
            let value = item.object["value"] ?? .null
            var hasMacros = false
            do throws(Macros.UnknownMacro) {
                try Self.forEachString(in: value) { text throws(Macros.UnknownMacro) in
                    guard text.contains("${") else { return }
                    hasMacros = true
                    try Macros.validate(text)
                }
            } catch {
                throw item.problem("value uses an \(error)")
            }
            return Addition(path: try item.path("field"), value: value, hasMacros: hasMacros)
        }
    }

    public func transform(_ record: inout Record, job: JobContext) -> Bool {
        for addition in additions {
            record.setValue(addition.hasMacros ? Self.expand(addition.value, job.macros) : addition.value, at: addition.path)
        }
        return true
    }

    /// The value with macros expanded in every string; init has validated them, so none fails.
    private static func expand(_ value: Value, _ context: MacroContext) -> Value {
        switch value {
        case .string(let text): .string((try? Macros.expand(text, context)) ?? text)
        case .array(let items): .array(items.map { expand($0, context) })
        case .object(let object): .object(Record(object.fields.map { Record.Field(name: $0.name, value: expand($0.value, context)) }))
        case .null, .bool, .int, .double: value
        }
    }

    private static func forEachString<E: Error>(in value: Value, _ body: (String) throws(E) -> Void) throws(E) {
        switch value {
        case .string(let text): try body(text)
        case .array(let items): for item in items { try forEachString(in: item, body) }
        case .object(let object): for field in object.fields { try forEachString(in: field.value, body) }
        case .null, .bool, .int, .double: break
        }
    }
}
