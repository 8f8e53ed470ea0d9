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
    var stream: Bool
    var includeUsage: Bool
    /// The body as sent, for rules that match a vendor field.
    var body: String

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
            if message["role"] as? String == "user" {
                lastUser = text
                lastImages = images
            }
        }
        self.prompt = lastUser
        self.images = lastImages
        self.promptWords = words
        self.stream = object["stream"] as? Bool ?? false
        let options = object["stream_options"] as? [String: Any]
        self.includeUsage = options?["include_usage"] as? Bool ?? false
    }
}
