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
    /// The renames that create one top-level field, in list order.
    private struct Group: Sendable {
        var head: String
        var renames: [Int]
        /// Every target is `head.name` with a distinct `name`: the field is an object built by appending.
        var isFlatObject = false
    }

    private let sources: [String]
    private let targets: [FieldPath]
    private let groups: [Group]
    /// For each rename, the index of its group.
    private let groupOfRename: [Int]

    /// Nil when the renames do not have the shape this pass handles.
    init?(sources: [FieldPath], targets: [FieldPath]) {
        guard sources.allSatisfy({ $0.components.count == 1 }) else { return nil }
        let names = sources.map { $0.components[0] }
        guard Set(names).count == names.count,
              Set(names).isDisjoint(with: targets.map { $0.components[0] }) else { return nil }
        var groups: [Group] = []
        var groupOfRename: [Int] = []
        for (rename, target) in targets.enumerated() {
            let head = target.components[0]
            if let group = groups.firstIndex(where: { $0.head == head }) {
                groups[group].renames.append(rename)
                groupOfRename.append(group)
            } else {
                groups.append(Group(head: head, renames: [rename]))
                groupOfRename.append(groups.count - 1)
            }
        }
        for index in groups.indices {
            let inner = groups[index].renames.map { targets[$0].components }
            groups[index].isFlatObject = inner.allSatisfy { $0.count == 2 } && Set(inner.map { $0[1] }).count == inner.count
        }
        self.sources = names
        self.targets = targets
        self.groups = groups
        self.groupOfRename = groupOfRename
    }

    /// The renamed record, or nil when the general path must do it.
    func apply(to record: Record) -> Record? {
        withUnsafeTemporaryAllocation(of: Value?.self, capacity: sources.count) { values in
            values.initialize(repeating: nil)
            defer { values.deinitialize() }
            // Which rename each field feeds (-1: none), and each rename's value.
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: record.count) { renameOfField in
                var renamed = 0
                for (position, field) in record.fields.enumerated() {
                    if let rename = source(named: field.name) {
                        guard values[rename] == nil else { return nil }
                        values[rename] = field.value
                        renameOfField[position] = rename
                        renamed += 1
                    } else {
                        guard !isTargetHead(field.name) else { return nil }
                        renameOfField[position] = -1
                    }
                }
                guard renamed > 0 else { return record }
                return assemble(record, renameOfField, values, renamed: renamed)
            }
        }
    }

    /// The result: unrenamed fields where they were, each created field where its group's first
    /// present source was.
    private func assemble(
        _ record: Record, _ renameOfField: UnsafeMutableBufferPointer<Int>, _ values: UnsafeMutableBufferPointer<Value?>,
        renamed: Int
    ) -> Record {
        var result = Record(reservingCapacity: record.count - renamed + groups.count)
        for (position, field) in record.fields.enumerated() {
            let rename = renameOfField[position]
            guard rename >= 0 else {
                result.appendUnchecked(field.name, field.value)
                continue
            }
            let group = groups[groupOfRename[rename]]
            guard group.renames.first(where: { values[$0] != nil }) == rename else { continue }
            result.appendUnchecked(group.head, build(group, values))
        }
        return result
    }

    /// The value a group's renames give its field, applied in list order.
    private func build(_ group: Group, _ values: UnsafeMutableBufferPointer<Value?>) -> Value {
        if group.isFlatObject {
            var object = Record(reservingCapacity: group.renames.count)
            for rename in group.renames {
                if let value = values[rename] { object.appendUnchecked(targets[rename].components[1], value) }
            }
            return .object(object)
        }
        var holder = Record(reservingCapacity: 1)
        for rename in group.renames {
            if let value = values[rename] { holder.setValue(value, at: targets[rename]) }
        }
        return holder.fields[0].value
    }

    /// The rename whose source is `name`, comparing lengths first (most fields differ in length).
    private func source(named name: String) -> Int? {
        let length = name.utf8.count
        return sources.indices.first { sources[$0].utf8.count == length && sources[$0] == name }
    }

    private func isTargetHead(_ name: String) -> Bool {
        let length = name.utf8.count
        return groups.contains { $0.head.utf8.count == length && $0.head == name }
    }
}
