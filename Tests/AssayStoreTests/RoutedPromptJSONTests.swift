import AssayCore
import Foundation
import Testing

@testable import AssayStore

/// The routed prompt is written by hand (`ResultRecord.json`, not Foundation's encoder, for
/// speed): it must read back through `RoutedPrompt`'s own `Decodable`, every field, whatever
/// the text holds, and name every key the type encodes.
struct RoutedPromptJSONTests {
    @Test(arguments: [
        RoutedPrompt(text: "Which label?\n[image]", hasImage: true),
        RoutedPrompt(text: #"a "quoted" /path\ and 中文 \#u{1F600}"#, hasAudio: true),
        RoutedPrompt(text: "", hasImage: true, hasAudio: true),
    ])
    func itReadsBackWhole(_ prompt: RoutedPrompt) throws {
        let json = ResultRecord.json(prompt)
        #expect(try JSONDecoder().decode(RoutedPrompt.self, from: Data(json.utf8)) == prompt)
    }

    @Test func aNULIsStoredAsAReplacementCharacter() throws {
        let json = ResultRecord.json(RoutedPrompt(text: "a\u{0}b"))
        #expect(try JSONDecoder().decode(RoutedPrompt.self, from: Data(json.utf8)).text == "a\u{FFFD}b")
    }

    @Test func itWritesEveryKeyTheTypeEncodes() throws {
        let prompt = RoutedPrompt(text: "x", hasImage: true, hasAudio: true)
        func keys(_ data: Data) throws -> Set<String> {
            Set(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys)
        }
        #expect(try keys(Data(ResultRecord.json(prompt).utf8)) == keys(JSONEncoder().encode(prompt)))
    }
}
