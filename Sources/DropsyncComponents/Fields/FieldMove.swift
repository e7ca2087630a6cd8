import DropsyncCore

/// `field.move`: reorders fields. The listed fields move, in the order listed, right after the
/// `after` field, or to the front without it. Nested paths reorder inside their object, so all
/// listed paths (and `after`) must share one parent. A record without the `after` field, or without
/// the parent object, passes unchanged.
public struct FieldMove: RecordTransformer {
    public static let spec = ComponentSpec(
        type: "field.move",
        summary: "Reorders fields: moves the listed fields to the front or after another field.",
        input: .records, output: .records,
        params: [
            ParamSpec(
                "fields", .array(of: .string), required: true, constraints: [.nonEmpty, .fieldPath],
                "The fields to move, in the order they should appear: [\"UID\", \"email\"]. Nested paths "
                    + "(\"profile.email\") reorder inside their object and must all share one parent."),
            ParamSpec(
                "after", .string, constraints: [.fieldPath],
                "The field the moved fields follow (a path with the same parent); without it they move to the front."),
        ])

    /// The object whose fields are reordered (empty = the record itself).
    let parent: [String]
    /// Names of the moved fields inside `parent`.
    let names: [String]
    /// The field they follow, or nil for the front.
    let after: String?

    public init(params: Params) throws(ParamError) {
        let paths = try FieldList.paths(params, "fields")
        parent = paths[0].components.dropLast()
        for (position, path) in paths.enumerated() where Array(path.components.dropLast()) != parent {
            throw ParamError("fields", "item \(position): \"\(path)\" is not in the same object as \"\(paths[0])\"")
        }
        names = paths.map { $0.components.last! }
        guard let text = params.string("after") else {
            after = nil
            return
        }
        let afterPath = try FieldList.path(text, param: "after")
        guard Array(afterPath.components.dropLast()) == parent else {
            throw ParamError("after", "\"\(afterPath)\" is not in the same object as the moved fields")
        }
        let afterName = afterPath.components.last!
        guard !names.contains(afterName) else {
            throw ParamError("after", "\"\(afterPath)\" is itself one of the moved fields")
        }
        after = afterName
    }

    public func transform(_ record: inout Record, job: JobContext) -> Bool {
        if parent.isEmpty {
            if let moved = reordered(record) { record = moved }
            return true
        }
        let path = FieldPath(components: parent)
        guard case .object(let object)? = record.value(at: path), let moved = reordered(object) else { return true }
        record.setValue(.object(moved), at: path)
        return true
    }

    /// The object with the listed fields moved, or nil when its `after` field is missing.
    private func reordered(_ object: Record) -> Record? {
        let moved = names.compactMap { name in object.index(of: name).map { object.fields[$0] } }
        var rest = object.fields.filter { !names.contains($0.name) }
        var insertion = 0
        if let after {
            guard let position = rest.firstIndex(where: { $0.name == after }) else { return nil }
            insertion = position + 1
        }
        rest.insert(contentsOf: moved, at: insertion)
        return Record(rest)
    }
}
