import DropsyncCore

/// The field each column of a DSV file fills: a name, or a dotted path (`profile.email`).
struct DSVColumns: Sendable {
    let names: [String]
    let paths: [FieldPath]
    /// Every column is a plain top-level name: records are built by appending, without lookups.
    let isFlat: Bool

    /// The columns for these header names, or why they cannot be used.
    static func make(_ names: [String]) -> Result<DSVColumns, Problem> {
        var paths: [FieldPath] = []
        paths.reserveCapacity(names.count)
        for (position, name) in names.enumerated() {
            guard let path = FieldPath(name) else { return .failure(.invalidPath(column: position + 1, name: name)) }
            if paths.contains(path) { return .failure(.duplicate(name: name)) }
            // `profile` and `profile.email` would fill the same field: one would lose its value.
            if let other = paths.first(where: { $0.isPrefix(of: path) || path.isPrefix(of: $0) }) {
                return .failure(.overlap(name: name, other: other.description))
            }
            paths.append(path)
        }
        let isFlat = paths.allSatisfy { $0.components.count == 1 }
        return .success(DSVColumns(names: paths.map { $0.components[0] }, paths: paths, isFlat: isFlat))
    }

    var count: Int { paths.count }

    func contains(_ name: String) -> Bool { paths.contains(FieldPath(components: [name])) }

    enum Problem: Error, CustomStringConvertible {
        case invalidPath(column: Int, name: String)
        case duplicate(name: String)
        case overlap(name: String, other: String)

        var description: String {
            switch self {
            case .invalidPath(let column, let name): "column \(column) name \"\(name)\" is not a valid field path"
            case .duplicate(let name): "column \"\(name)\" appears twice"
            case .overlap(let name, let other): "columns \"\(other)\" and \"\(name)\" would fill the same field"
            }
        }
    }
}

extension FieldPath {
    /// Whether `other` lies inside the field this path names (`profile` of `profile.email`).
    fileprivate func isPrefix(of other: FieldPath) -> Bool {
        components.count < other.components.count && other.components.starts(with: components)
    }
}
