import DropsyncCore

/// `field.rename`: moves each `sourceField` to its `targetField`, in the order listed.
///
/// A dotted target creates nesting (`email` → `profile.email`); `'a.b'` in quotes names one field
/// with a dot in its name. A record without the source passes unchanged. A renamed top-level field
/// keeps its place among the record's fields, so formatted columns keep their order.
public struct FieldRename: RecordTransformer {
    public static let spec = ComponentSpec(
        type: "field.rename",
        summary: "Renames fields; a dotted target moves the value into a nested object.",
        input: .records, output: .records,
        params: [
            ParamSpec(
                "fields",
                .array(of: .keyed([
                    ParamSpec("sourceField", .string, required: true, constraints: [.fieldPath], "The field to rename."),
                    ParamSpec("targetField", .string, required: true, constraints: [.fieldPath], "Its new name or path."),
                ])),
                required: true, constraints: [.nonEmpty],
                "The renames, applied in order: [{\"sourceField\": \"mail\", \"targetField\": \"profile.email\"}]. "
                    + "Paths are dotted; quote a segment ('a.b') to name a field with a dot in its name."),
        ])

    struct Rename {
        let source: FieldPath
        let target: FieldPath
    }

    let renames: [Rename]
    let singlePass: SinglePassRename?

    public init(params: Params) throws(ParamError) {
        renames = try FieldList.objects(params, "fields") { item throws(ParamError) in
            Rename(source: try item.path("sourceField"), target: try item.path("targetField"))
        }
        singlePass = SinglePassRename(sources: renames.map(\.source), targets: renames.map(\.target))
    }

    public func transform(_ record: inout Record, job: JobContext) -> Bool {
        if singlePass?.apply(to: &record) != true { Self.applyInOrder(renames, to: &record) }
        return true
    }

    /// The general path: each rename in turn, as listed.
    static func applyInOrder(_ renames: [Rename], to record: inout Record) {
        for rename in renames { apply(rename, to: &record) }
    }

    private static func apply(_ rename: Rename, to record: inout Record) {
        guard let anchor = record.index(of: rename.source.components[0]),
              let value = record.removeValue(at: rename.source) else { return }
        let sourceRemains = record.index(of: rename.source.components[0]) != nil
        let createsTopLevelField = record.index(of: rename.target.components[0]) == nil
        record.setValue(value, at: rename.target)
        guard createsTopLevelField else { return }
        let created = record.fields.removeLast()
        record.fields.insert(created, at: sourceRemains ? anchor + 1 : anchor)
    }
}
