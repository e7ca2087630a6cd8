import DropsyncCore

/// The renames of a `field.rename` step done in one pass over a record's fields, for the common
/// shape where every source is a top-level field and no source is also a target's first segment.
///
/// The general path removes and re-inserts fields once per rename; this one reads each field once
/// and rebuilds the record in its own storage, moving the values (not copying them) into the
/// objects it creates. It gives exactly the general path's result: each created field takes the
/// place of the first source (in the order the renames are listed) that leads to it, and the values
/// land in it in list order. A record it cannot place the same way (a field that is not a source
/// but is named like a target's first segment, or a source present twice) is left to the general
/// path.
struct SinglePassRename: Sendable {
    private let sources: [String]
    private let targets: [FieldPath]
    /// Each rename's target below its first segment, when its group is flat (else unused).
    private let memberNames: [String]
    /// For each rename, the index of its group.
    private let groupOfRename: [Int]
    /// The first segment shared by a group's targets: the top-level field it creates.
    private let groupHeads: [String]
    /// The renames of group `g`, in list order: `renamesByGroup[groupStarts[g]..<groupStarts[g + 1]]`.
    private let renamesByGroup: [Int]
    private let groupStarts: [Int]
    /// Whether every target of the group is `head.name` with a distinct `name`: the field is an
    /// object built by appending.
    private let groupIsFlat: [Bool]

    /// Nil when there are no renames or they do not have the shape this pass handles.
    init?(sources: [FieldPath], targets: [FieldPath]) {
        guard !sources.isEmpty, sources.allSatisfy({ $0.components.count == 1 }) else { return nil }
        let names = sources.map { $0.components[0] }
        guard Set(names).count == names.count,
              Set(names).isDisjoint(with: targets.map { $0.components[0] }) else { return nil }
        var heads: [String] = []
        var groupOfRename: [Int] = []
        for target in targets {
            let head = target.components[0]
            if let group = heads.firstIndex(of: head) {
                groupOfRename.append(group)
            } else {
                heads.append(head)
                groupOfRename.append(heads.count - 1)
            }
        }
        var renamesByGroup: [Int] = []
        var groupStarts: [Int] = []
        var groupIsFlat: [Bool] = []
        for group in heads.indices {
            groupStarts.append(renamesByGroup.count)
            let renames = targets.indices.filter { groupOfRename[$0] == group }
            renamesByGroup += renames
            let inner = renames.map { targets[$0].components }
            groupIsFlat.append(inner.allSatisfy { $0.count == 2 } && Set(inner.map { $0[1] }).count == inner.count)
        }
        groupStarts.append(renamesByGroup.count)
        self.sources = names
        self.targets = targets
        self.memberNames = targets.map { $0.components.count == 2 ? $0.components[1] : "" }
        self.groupOfRename = groupOfRename
        self.groupHeads = heads
        self.renamesByGroup = renamesByGroup
        self.groupStarts = groupStarts
        self.groupIsFlat = groupIsFlat
    }

    /// Renames the record in place; false (the record untouched) when the general path must do it.
    func apply(to record: inout Record) -> Bool {
        let fieldCount = record.count
        // One scratch area: each rename's source position, each field's rename, each group's place.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: sources.count + fieldCount + groupHeads.count) { scratch in
            let base = scratch.baseAddress!
            let positionOfRename = UnsafeMutableBufferPointer(start: base, count: sources.count)
            let renameOfField = UnsafeMutableBufferPointer(start: base + sources.count, count: fieldCount)
            let placeOfGroup = UnsafeMutableBufferPointer(start: base + sources.count + fieldCount, count: groupHeads.count)
            // Absent: any negative number; this one is not one byte repeated, so it is stored in
            // place rather than by a call to memset.
            positionOfRename.initialize(repeating: Int.min)
            var renamed = 0
            for position in 0..<fieldCount {
                if let rename = source(named: record.fields[position].name) {
                    guard positionOfRename[rename] < 0 else { return false }
                    positionOfRename[rename] = position
                    renameOfField[position] = rename
                    renamed += 1
                } else {
                    guard !isGroupHead(record.fields[position].name) else { return false }
                    renameOfField[position] = -1
                }
            }
            guard renamed > 0 else { return true }
            record.fields.withUnsafeMutableBufferPointer { fields in
                for group in groupHeads.indices {
                    placeOfGroup[group] = buildGroup(group, in: fields, positionOfRename)
                }
            }
            removeMovedSources(&record, renameOfField, placeOfGroup)
            return true
        }
    }

    /// Builds the group's field from its sources' values (moved out, leaving null) into the place
    /// of its first present source (in list order); returns that place, or -1 with no source present.
    private func buildGroup(
        _ group: Int, in fields: UnsafeMutableBufferPointer<Record.Field>, _ positionOfRename: UnsafeMutableBufferPointer<Int>
    ) -> Int {
        // Indices into `renamesByGroup` (an array slice would retain and release the array).
        let members = groupStarts[group]..<groupStarts[group + 1]
        guard let first = members.first(where: { positionOfRename[renamesByGroup[$0]] >= 0 }) else { return -1 }
        let place = positionOfRename[renamesByGroup[first]]
        let value: Value
        if groupIsFlat[group] {
            var object = Record(reservingCapacity: members.count { positionOfRename[renamesByGroup[$0]] >= 0 })
            for member in members {
                let rename = renamesByGroup[member]
                let position = positionOfRename[rename]
                guard position >= 0 else { continue }
                object.fields.append(Record.Field(name: memberNames[rename], value: Self.take(&fields[position].value)))
            }
            value = .object(object)
        } else {
            var holder = Record(reservingCapacity: 1)
            for member in members {
                let rename = renamesByGroup[member]
                let position = positionOfRename[rename]
                guard position >= 0 else { continue }
                holder.setValue(Self.take(&fields[position].value), at: targets[rename])
            }
            value = holder.fields[0].value
        }
        fields[place] = Record.Field(name: groupHeads[group], value: value)
        return place
    }

    /// Drops the sources whose values went into a created field (all but each group's place),
    /// keeping the order of the rest.
    private func removeMovedSources(
        _ record: inout Record, _ renameOfField: UnsafeMutableBufferPointer<Int>, _ placeOfGroup: UnsafeMutableBufferPointer<Int>
    ) {
        var kept = 0
        record.fields.withUnsafeMutableBufferPointer { fields in
            for position in fields.indices {
                let rename = renameOfField[position]
                guard rename < 0 || placeOfGroup[groupOfRename[rename]] == position else { continue }
                if kept != position { fields.swapAt(kept, position) }
                kept += 1
            }
        }
        record.fields.removeSubrange(kept...)
    }

    /// The value, leaving null in its place: moved, not copied.
    private static func take(_ value: inout Value) -> Value {
        var taken = Value.null
        swap(&taken, &value)
        return taken
    }

    /// The rename whose source is `name`, comparing lengths first (most fields differ in length).
    private func source(named name: String) -> Int? {
        let length = name.utf8.count
        return sources.indices.first { sources[$0].utf8.count == length && sources[$0] == name }
    }

    private func isGroupHead(_ name: String) -> Bool {
        let length = name.utf8.count
        return groupHeads.contains { $0.utf8.count == length && $0 == name }
    }
}
