import DropsyncComponents
import DropsyncCore
import Testing

/// The specs drive `check`, param parsing and `dropsync components`, so each must be complete.
@Suite struct ComponentSpecTests {
    static let specs = BuiltinComponents.registry.components.map { $0.spec }

    @Test("every registered component documents itself and every param", arguments: specs.map(\.type))
    func documented(type: String) throws {
        let spec = try #require(Self.specs.first { $0.type == type })
        #expect(!spec.summary.isEmpty)
        for param in spec.params {
            #expect(param.description.count >= 10, "\(type).\(param.name) needs a description")
            if let value = param.defaultValue {
                #expect(param.problems(in: value).isEmpty, "\(type).\(param.name): default does not fit its type")
                #expect(!param.required, "\(type).\(param.name): a required param has no default")
            }
        }
        #expect(Set(spec.params.map(\.name)).count == spec.params.count, "\(type) declares a param twice")
    }

    @Test("every pattern a param declares compiles (a pattern that does not would pass every value)", arguments: specs.map(\.type))
    func patternsCompile(type: String) throws {
        let spec = try #require(Self.specs.first { $0.type == type })
        for param in Self.allParams(spec.params) {
            for case .matches(let pattern, _) in param.constraints {
                #expect((try? Regex(pattern)) != nil, "\(type).\(param.name): \(pattern)")
            }
        }
    }

    /// The params and, inside list items, their keys.
    static func allParams(_ params: [ParamSpec]) -> [ParamSpec] {
        params.flatMap { param -> [ParamSpec] in
            switch param.type {
            case .keyed(let keys), .array(of: .keyed(let keys)), .oneOrMore(.keyed(let keys)): [param] + allParams(keys)
            default: [param]
            }
        }
    }

    @Test("every component builds from its defaults alone when it has no required params", arguments: specs.map(\.type))
    func buildsFromDefaults(type: String) throws {
        let component = try #require(BuiltinComponents.registry.component(named: type))
        guard !component.spec.params.contains(where: \.required) else { return }
        _ = try component.init(params: Params(Record(), spec: component.spec))
    }

    @Test("IdentitySync's names answer for the embedded store and gzip")
    func aliases() {
        #expect(BuiltinComponents.registry.component(named: "datasource.write.gigya.account")?.spec.type == "datasource.write.account")
        #expect(BuiltinComponents.registry.component(named: "file.decompress.gzip")?.spec.type == "file.uncompress.gzip")
    }
}
