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

    /// Every registered type name and alias.
    public var names: [String] { Array(byName.keys) }
}
