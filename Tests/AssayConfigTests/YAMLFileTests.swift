import AssayConfig
import AssayCore
import Foundation
import Testing

@Suite struct YAMLFileTests {
    @Test func invalidYAMLPointsAtItsLine() throws {
        let text = "id: x\nkind: [unclosed\ngrader: exact-label\n"
        let error = #expect(throws: InputError.self) { try YAMLFile.parse(text, path: "s.yaml") }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.file == "s.yaml")
        #expect(diagnostic.line == 3)
        #expect(diagnostic.message.hasPrefix("invalid YAML"))
    }

    @Test func duplicateKeysAreAnError() {
        let error = #expect(throws: InputError.self) { try YAMLFile.parse("a: 1\nb: 2\na: 3\n", path: "d.yaml") }
        #expect(error?.description.contains("duplicate key 'a'") == true)
    }

    @Test func scalarsFollowTheStrictCoreSchema() throws {
        let file = try YAMLFile.parse(
            "a: no\nb: yes\nc: 12\nd: 0.25\ne: true\nf: '12'\ng: 2026-11-23\nh: ~\ni: 1e3\nj: 1:30\n", path: "t.yaml")
        let root = try #require(file.root)
        #expect(root["a"]?.json == .string("no"))
        #expect(root["b"]?.json == .string("yes"))
        #expect(root["c"]?.json == .int(12))
        #expect(root["d"]?.json == .double(0.25))
        #expect(root["e"]?.json == .bool(true))
        #expect(root["f"]?.json == .string("12"))
        #expect(root["g"]?.json == .string("2026-11-23"))
        #expect(root["h"]?.json == .null)
        #expect(root["i"]?.json == .double(1000))
        #expect(root["j"]?.json == .string("1:30"))
    }

    struct Sample: Decodable {
        var name: String
        var count: Int
        var items: [Item]
        struct Item: Decodable { var size: Int }
    }

    @Test func decodingErrorsNameTheFieldAndLine() throws {
        let missing = try YAMLFile.parse("name: x\nitems: []\n", path: "m.yaml")
        let error = #expect(throws: InputError.self) { try missing.decode(Sample.self) }
        #expect(error?.description == "m.yaml:1: missing required field 'count'")

        let mismatch = try YAMLFile.parse("name: x\ncount: 1\nitems:\n  - size: 1\n  - size: big\n", path: "t.yaml")
        let typeError = #expect(throws: InputError.self) { try mismatch.decode(Sample.self) }
        #expect(typeError?.description == "t.yaml:5: 'items[1].size' should be a whole number, found 'big'")
    }

    @Test func aMissingFileSaysSo() {
        let error = #expect(throws: InputError.self) { try YAMLFile.load("/nonexistent/x.yaml") }
        #expect(error?.description == "/nonexistent/x.yaml: no such file")
    }
}

/// Hostile YAML: every file Assay reads goes through `YAMLFile`.
@Suite struct HostileYAMLTests {
    /// 602 bytes that expand to 9^9 (about 387 million) nodes when aliases are followed.
    static let aliasBomb = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    @Test func anAliasBombIsRefusedAtOnceWithItsLine() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: InputError.self) { try YAMLFile.parse(Self.aliasBomb, path: "bomb.yaml") }
        #expect(clock.now - start < .seconds(2), "refused before any expansion")
        #expect(
            error?.description
                == "bomb.yaml:1: YAML anchors (&) and aliases (*) are not supported here; write the value out")
    }

    @Test func aSingleAnchorIsRefusedToo() throws {
        let error = #expect(throws: InputError.self) {
            try YAMLFile.parse("base: &base {a: 1}\nother: *base\n", path: "plan.yaml")
        }
        #expect(error?.description.hasPrefix("plan.yaml:1:") == true, "\(String(describing: error))")
    }

    @Test func anAmpersandOrStarInTextIsNotAnAnchor() throws {
        let file = try YAMLFile.parse("template: |\n  Use *bold* & more\nsystem: \"a & b *c\"\n", path: "suite.yaml")
        #expect(file.root?["template"]?.scalarText == "Use *bold* & more\n")
    }
}
