import DropsyncCore

/// `field.remove`: drops the listed fields; missing ones are ignored. Removing the last field of a
/// nested object leaves the object, empty.
public struct FieldRemove: RecordTransformer {
    public static let spec = ComponentSpec(
        type: "field.remove",
        summary: "Removes fields from every record.",
        input: .records, output: .records,
        params: [
            ParamSpec(
                "fields", .array(of: .string), required: true, constraints: [.nonEmpty, .fieldPath],
                "The field paths to remove: [\"password\", \"profile.phones\"]. Quote a segment ('a.b') to name "
                    + "a field with a dot in its name."),
        ])

    let paths: [FieldPath]

    public init(params: Params) throws(ParamError) {
        paths = try FieldList.paths(params, "fields")
    }

    public func transform(_ record: inout Record, job: JobContext) -> Bool {
        for path in paths { record.removeValue(at: path) }
        return true
    }
}
