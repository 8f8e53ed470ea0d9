import AssayCore
import Foundation

/// The parts of a chat-completions request body the test server looks at.
struct ParsedChatRequest {
    var model: String
    /// The text of the last user message (text parts joined with "\n").
    var prompt: String
    /// The image URLs of the last user message.
    var images: [String]
    /// Whitespace-separated words in every message: the scripted prompt token count.
    var promptWords: Int
    /// Every message's text in tokens by Assay's estimate (`TokenEstimate`), for rules that
    /// answer only below a prompt length.
    var estimatedTokens: Int
    /// Every message's text in characters (Unicode scalars).
    var promptChars: Int
    var stream: Bool
    var includeUsage: Bool
    /// The body as sent, for rules that match a vendor field.
    var body: String
    /// Which answer after the last user message this request asks for: 1 for the first, 2
    /// after one assistant message (an agent's calls and their results), and so on.
    var step: Int

    init?(json: String) {
        body = json
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let model = object["model"] as? String,
            let messages = object["messages"] as? [[String: Any]]
        else { return nil }
        self.model = model
        var lastUser = ""
        var lastImages: [String] = []
        var words = 0
        var tally = (cjk: 0, other: 0)
        var step = 1
        for message in messages {
            let text: String
            var images: [String] = []
            if let content = message["content"] as? String {
                text = content
            } else if let parts = message["content"] as? [[String: Any]] {
                text = parts.compactMap { $0["text"] as? String }.joined(separator: "\n")
                images = parts.compactMap { ($0["image_url"] as? [String: Any])?["url"] as? String }
            } else {
                text = ""
            }
            words += text.split(whereSeparator: \.isWhitespace).count
            for scalar in text.unicodeScalars {
                if TokenEstimate.isCJK(scalar) { tally.cjk += 1 } else { tally.other += 1 }
            }
            if message["role"] as? String == "user" {
                lastUser = text
                lastImages = images
                step = 1
            } else if message["role"] as? String == "assistant" {
                step += 1
            }
        }
        self.prompt = lastUser
        self.step = step
        self.images = lastImages
        self.promptWords = words
        self.estimatedTokens = TokenEstimate.count(cjk: tally.cjk, other: tally.other)
        self.promptChars = tally.cjk + tally.other
        self.stream = object["stream"] as? Bool ?? false
        let options = object["stream_options"] as? [String: Any]
        self.includeUsage = options?["include_usage"] as? Bool ?? false
    }
}
