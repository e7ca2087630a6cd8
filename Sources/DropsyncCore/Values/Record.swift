/// An ordered JSON object: the unit of data between record steps.
///
/// Fields keep their insertion order; lookups are linear, which beats hashing for the ten-odd
/// fields a typical record has.
public struct Record: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: Value
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    public init(reservingCapacity capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }
    public var names: [String] { fields.map(\.name) }

    public func index(of name: String) -> Int? {
        // Comparing lengths first skips the out-of-line comparison of unequal small strings.
        let length = name.utf8.count
        for position in fields.indices where fields[position].name.utf8.count == length && fields[position].name == name {
            return position
        }
        return nil
    }

    /// The top-level field `name`; setting `nil` removes it, setting a new name appends it.
    public subscript(name: String) -> Value? {
        get { index(of: name).map { fields[$0].value } }
        set {
            if let position = index(of: name) {
                if let newValue { fields[position].value = newValue } else { fields.remove(at: position) }
            } else if let newValue {
                fields.append(Field(name: name, value: newValue))
            }
        }
    }

    /// Appends without checking for an existing field of that name: for builders that know.
    public mutating func appendUnchecked(_ name: String, _ value: Value) {
        fields.append(Field(name: name, value: value))
    }

    /// The value at a dotted path (`profile.email`), or nil when any part is missing.
    public func value(at path: FieldPath) -> Value? {
        var current: Record = self
        for (position, component) in path.components.enumerated() {
            guard let value = current[component] else { return nil }
            if position == path.components.count - 1 { return value }
            guard case .object(let inner) = value else { return nil }
            current = inner
        }
        return nil
    }

    /// Sets the value at a dotted path, creating (or replacing non-object) intermediate objects.
    public mutating func setValue(_ value: Value, at path: FieldPath) {
        setValue(value, at: path.components[...])
    }

    private mutating func setValue(_ value: Value, at components: ArraySlice<String>) {
        guard let first = components.first else { return }
        if components.count == 1 {
            self[first] = value
            return
        }
        guard let position = index(of: first) else {
            // A new nested object usually gets several fields (profile.*, data.*): start with room.
            var inner = Record(reservingCapacity: 4)
            inner.setValue(value, at: components.dropFirst())
            fields.append(Field(name: first, value: .object(inner)))
            return
        }
        var inner = takeObject(at: position)
        inner.setValue(value, at: components.dropFirst())
        fields[position].value = .object(inner)
    }

    /// The object at `position` (empty when it holds something else), moved out so that changing
    /// it copies nothing; the caller puts it back.
    private mutating func takeObject(at position: Int) -> Record {
        guard case .object(let inner) = fields[position].value else { return Record() }
        fields[position].value = .null
        return inner
    }

    /// Removes and returns the value at a dotted path; an object left empty stays (as `{}`).
    @discardableResult
    public mutating func removeValue(at path: FieldPath) -> Value? {
        removeValue(at: path.components[...])
    }

    private mutating func removeValue(at components: ArraySlice<String>) -> Value? {
        guard let first = components.first, let position = index(of: first) else { return nil }
        if components.count == 1 { return fields.remove(at: position).value }
        guard case .object = fields[position].value else { return nil }
        var inner = takeObject(at: position)
        let removed = inner.removeValue(at: components.dropFirst())
        fields[position].value = .object(inner)
        return removed
    }
}

extension Record: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements.map { Field(name: $0.0, value: $0.1) })
    }
}

extension Record: CustomStringConvertible {
    public var description: String { JSONWriter.string(.object(self)) }
}
