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

        var description: String {
            switch self {
            case .invalidPath(let column, let name): "column \(column) name \"\(name)\" is not a valid field path"
            case .duplicate(let name): "column \"\(name)\" appears twice"
            }
        }
    }
}
