/// The components a process knows, by type name and alias.
public struct ComponentRegistry: Sendable {
    public let components: [any Component.Type]
    private let byName: [String: any Component.Type]

    public init(_ components: [any Component.Type]) {
        self.components = components
        var byName: [String: any Component.Type] = [:]
        for component in components {
            for name in [component.spec.type] + component.spec.aliases {
                precondition(byName[name] == nil, "component type \(name) registered twice")
                byName[name] = component
            }
        }
        self.byName = byName
    }

    public func component(named type: String) -> (any Component.Type)? { byName[type] }

    /// The registered name closest to `type`, for "did you mean" hints.
    public func nearestName(to type: String) -> String? {
        let scored = byName.keys.map { ($0, EditDistance.between($0, type)) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        return best.1 <= max(3, type.count / 3) ? best.0 : nil
    }
}

/// Levenshtein distance, for suggestions.
enum EditDistance {
    static func between(_ first: String, _ second: String) -> Int {
        let left = Array(first.utf8)
        let right = Array(second.utf8)
        var previous = Array(0...right.count)
        var current = previous
        for (row, leftByte) in left.enumerated() {
            current[0] = row + 1
            for (column, rightByte) in right.enumerated() {
                current[column + 1] = Swift.min(
                    previous[column + 1] + 1, current[column] + 1,
                    previous[column] + (leftByte == rightByte ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
