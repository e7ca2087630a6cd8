import DropsyncCore

/// `field.select`: keeps only the listed fields, in the order listed; a nested path keeps its
/// nesting (`profile.email` → `{"profile": {"email": …}}`). Missing fields are left out.
public struct FieldSelect: RecordTransformer {
    public static let spec = ComponentSpec(
        type: "field.select",
        summary: "Keeps only the listed fields, in the order listed.",
        input: .records, output: .records,
        params: [
            ParamSpec(
                "fields", .array(of: .string), required: true, constraints: [.nonEmpty, .fieldPath],
                "The field paths to keep, in output order: [\"UID\", \"profile.email\"]. Quote a segment ('a.b') "
                    + "to name a field with a dot in its name."),
        ])

    let paths: [FieldPath]

    public init(params: Params) throws(ParamError) {
        paths = try FieldList.paths(params, "fields")
    }

    public func transform(_ record: inout Record, job: JobContext) -> Bool {
        var selected = Record(reservingCapacity: paths.count)
        for path in paths {
            if let value = record.value(at: path) { selected.setValue(value, at: path) }
        }
        record = selected
        return true
    }
}
