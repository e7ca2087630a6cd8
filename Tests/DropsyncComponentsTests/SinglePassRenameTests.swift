@testable import DropsyncComponents
import DropsyncCore
import Testing

/// The single pass must give exactly what the renames give one by one.
@Suite("field.rename single pass")
struct SinglePassRenameTests {
    typealias Rename = FieldRename.Rename

    static func renames(_ pairs: [(String, String)]) -> [Rename] {
        pairs.map { Rename(source: FieldPath($0.0)!, target: FieldPath($0.1)!) }
    }

    static let renameLists: [[(String, String)]] = [
        [("email", "profile.email"), ("first", "profile.firstName"), ("points", "data.points")],
        [("first", "profile.firstName"), ("email", "profile.email"), ("tags", "data.tags"), ("points", "data.points")],
        [("a", "x"), ("b", "y")],
        [("a", "x"), ("b", "x")],
        [("a", "x.y"), ("b", "x")],
        [("a", "x"), ("b", "x.y")],
        [("email", "'profile.email'"), ("first", "profile.first")],
    ]

    static let records: [Record] = [
        ["UID": "u", "email": "e", "first": "f", "points": 3, "tags": "t"],
        ["first": "f", "UID": "u", "email": "e"],
        ["points": 3, "a": 1, "b": 2, "email": nil],
        ["b": 2, "a": 1],
        ["a": ["nested": true], "z": 0],
        ["UID": "u"],
        ["tags": "t", "m": 1, "points": 3, "UID": "u", "email": "e", "n": 2, "first": "f"],
        ["b": ["c": 1], "z": nil, "a": "s", "first": nil],
        [:],
    ]

    @Test("gives the same record as renaming one by one", arguments: renameLists.indices)
    func sameAsOneByOne(list: Int) throws {
        let renames = Self.renames(Self.renameLists[list])
        let pass = try #require(SinglePassRename(sources: renames.map(\.source), targets: renames.map(\.target)))
        for record in Self.records {
            var expected = record
            FieldRename.applyInOrder(renames, to: &expected)
            var renamed = record
            #expect(pass.apply(to: &renamed))
            #expect(renamed == expected, "\(record)")
        }
    }

    @Test("leaves records it cannot place to the general path")
    func fallsBack() throws {
        let renames = Self.renames([("email", "profile.email")])
        let pass = try #require(SinglePassRename(sources: renames.map(\.source), targets: renames.map(\.target)))
        for record: Record in [["profile": ["name": "n"], "email": "e"], ["email": "e", "email": "twice"]] {
            var untouched = record
            #expect(!pass.apply(to: &untouched))
            #expect(untouched == record)
        }
    }

    @Test("does not take renames whose sources are nested or are also targets", arguments: [
        [("profile.email", "email")], [("a", "b"), ("b", "c")], [("a", "a.b")], [("a", "x"), ("a", "y")],
    ])
    func refusesShapes(pairs: [(String, String)]) {
        let renames = Self.renames(pairs)
        #expect(SinglePassRename(sources: renames.map(\.source), targets: renames.map(\.target)) == nil)
    }
}
