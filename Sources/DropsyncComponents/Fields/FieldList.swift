import DropsyncCore

/// Reads the list params of the field transformers (`fields: ["a", "b.c"]` and
/// `fields: [{sourceField, targetField}]`) into parsed paths once, when the component is built.
///
/// The specs declare the lists' shape (`nonEmpty`, `fieldPath`, `keyed`), which `check` reports for
/// every item; these readers convert, reporting as `ParamError(param, "item N: …")` (N counted from
/// 0 as in the validator's messages) what a component built without the validator gets wrong.
enum FieldList {
    /// A non-empty array of field paths.
    static func paths(_ params: Params, _ name: String) throws(ParamError) -> [FieldPath] {
        let items = try nonEmptyArray(params, name)
        var paths: [FieldPath] = []
        for (position, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw ParamError(name, "item \(position): expected a field path string, got \(item.typeName)")
            }
            paths.append(try path(text, param: name, prefix: "item \(position): "))
        }
        return paths
    }

    /// The objects of a `keyed` list param (the spec has checked their keys and values), each
    /// turned into the component's item by `check`.
    static func objects<Item>(
        _ params: Params, _ name: String, _ check: (ItemReader) throws(ParamError) -> Item
    ) throws(ParamError) -> [Item] {
        var results: [Item] = []
        for (position, item) in try nonEmptyArray(params, name).enumerated() {
            guard case .object(let object) = item else {
                throw ParamError(name, "item \(position): expected an object, got \(item.typeName)")
            }
            results.append(try check(ItemReader(object: object, param: name, position: position)))
        }
        return results
    }

    /// One object of an object list, with error messages that name its position.
    struct ItemReader {
        let object: Record
        let param: String
        let position: Int

        /// The key's value as a field path.
        func path(_ key: String) throws(ParamError) -> FieldPath {
            guard case .string(let text)? = object[key] else {
                throw problem("'\(key)' must be a field path string, got \(object[key]?.typeName ?? "nothing")")
            }
            return try FieldList.path(text, param: param, prefix: "item \(position): \(key) ")
        }

        func problem(_ message: String) -> ParamError { ParamError(param, "item \(position): \(message)") }
    }

    /// One field path; `'a.b'` in quotes names a single field with a dot in its name.
    static func path(_ text: String, param: String, prefix: String = "") throws(ParamError) -> FieldPath {
        guard let path = FieldPath(text) else {
            throw ParamError(param, "\(prefix)\"\(text)\" is not a valid field path (empty segment or unterminated quote)")
        }
        return path
    }

    private static func nonEmptyArray(_ params: Params, _ name: String) throws(ParamError) -> [Value] {
        guard let value = params[name] else { throw ParamError(name, "is required") }
        guard case .array(let items) = value else { throw ParamError(name, "expected an array, got \(value.typeName)") }
        guard !items.isEmpty else { throw ParamError(name, "must list at least one field") }
        return items
    }
}
