import DropsyncCore

/// The renames of a `field.rename` step done in one pass over a record's fields, for the common
/// shape where every source is a top-level field and no source is also a target's first segment.
///
/// The general path removes and re-inserts fields once per rename; this one reads each field once
/// and builds the result once. It gives exactly the general path's result: each created field takes
/// the place of the first source (in the order the renames are listed) that leads to it, and the
/// values land in it in list order. A record it cannot place the same way (a field that is not a
/// source but is named like a target's first segment, or a source present twice) is left to the
/// general path.
struct SinglePassRename: Sendable {
    private let sources: [String]
    private let targets: [FieldPath]

    /// Nil when the renames do not have the shape this pass handles.
    init?(sources: [FieldPath], targets: [FieldPath]) {
        guard sources.allSatisfy({ $0.components.count == 1 }) else { return nil }
        let names = sources.map { $0.components[0] }
        guard Set(names).count == names.count,
              Set(names).isDisjoint(with: targets.map { $0.components[0] }) else { return nil }
        self.sources = names
        self.targets = targets
    }

    /// The renamed record, or nil when the general path must do it.
    func apply(to record: Record) -> Record? {
        withUnsafeTemporaryAllocation(of: Value?.self, capacity: sources.count) { values in
            values.initialize(repeating: nil)
            defer { values.deinitialize() }
            var renamedFields = 0
            for field in record.fields {
                if let rename = source(named: field.name) {
                    guard values[rename] == nil else { return nil }
                    values[rename] = field.value
                    renamedFields += 1
                } else if isTargetHead(field.name) {
                    return nil
                }
            }
            guard renamedFields > 0 else { return record }
            var created = Record(reservingCapacity: renamedFields)
            for (rename, value) in values.enumerated() {
                if let value { created.setValue(value, at: targets[rename]) }
            }
            var result = Record(reservingCapacity: record.count - renamedFields + created.count)
            for field in record.fields {
                guard let rename = source(named: field.name) else {
                    result.appendUnchecked(field.name, field.value)
                    continue
                }
                let head = targets[rename].components[0]
                if firstPresentRename(into: head, values) == rename, let value = created[head] {
                    result.appendUnchecked(head, value)
                }
            }
            return result
        }
    }

    /// The rename whose source is `name`, comparing lengths first (most fields differ in length).
    private func source(named name: String) -> Int? {
        let length = name.utf8.count
        return sources.indices.first { sources[$0].utf8.count == length && sources[$0] == name }
    }

    private func isTargetHead(_ name: String) -> Bool {
        let length = name.utf8.count
        return targets.contains { $0.components[0].utf8.count == length && $0.components[0] == name }
    }

    /// The first rename in list order that has a value and creates `head`.
    private func firstPresentRename(into head: String, _ values: UnsafeMutableBufferPointer<Value?>) -> Int? {
        targets.indices.first { values[$0] != nil && targets[$0].components[0] == head }
    }
}
