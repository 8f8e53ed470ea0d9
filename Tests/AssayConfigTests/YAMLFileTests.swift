import AssayConfig
import AssayCore
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
