import Foundation

/// The prompt a routing rule matches: the last user message as the transcript writes it,
/// and whether it carried an image or a sound clip.
///
/// Built once from a request's typed messages (`ChatRequest.routedPrompt`): a run routes its
/// cases by it and stores it with each result (`ItemResult.routedPrompt`), where `route
/// simulate` and traffic weights read it back. Results stored before it was kept are read
/// from their transcript (`init(transcript:)`): the two agree, since the transcript is
/// written by `Transcript`, whose markers that reads.
public struct RoutedPrompt: Sendable, Hashable, Codable {
    /// The message's text, images as "[image]" and clips as "[audio]".
    public var text: String
    public var hasImage: Bool
    public var hasAudio: Bool

    enum CodingKeys: String, CodingKey {
        case text, hasImage = "has_image", hasAudio = "has_audio"
    }

    public init(text: String, hasImage: Bool = false, hasAudio: Bool = false) {
        self.text = text
        self.hasImage = hasImage
        self.hasAudio = hasAudio
    }

    /// The last user message's prompt; nil when there is none.
    public init?(messages: [ChatMessage]) {
        guard let user = messages.last(where: { $0.role == .user }) else { return nil }
        self.init(
            text: Transcript.text(of: user.parts),
            hasImage: user.parts.contains { if case .imageURL = $0 { true } else { false } },
            hasAudio: user.parts.contains { if case .inputAudio = $0 { true } else { false } })
    }

    /// The last user turn of a stored transcript (`ChatRequest.transcript`), for results
    /// stored with their transcript only: the text after the last "user: " that begins a
    /// message (the whole transcript when none does), with an image or a clip where its
    /// marker is in that text.
    public init(transcript: String) {
        let user = "user: "
        let text =
            if let range = transcript.range(of: Transcript.separator + user, options: .backwards) {
                String(transcript[range.upperBound...])
            } else if transcript.hasPrefix(user) {
                String(transcript.dropFirst(user.count))
            } else {
                transcript
            }
        self.init(text: text, hasImage: text.contains(Transcript.image), hasAudio: text.contains(Transcript.audio))
    }
}

extension RoutingPolicy.Match {
    /// Whether the rule takes an item whose user message is `prompt` (nil when the store did
    /// not keep it: a prompt condition then does not match).
    public func matches(suite: String, kind: SuiteKind?, tags: [String], prompt: RoutedPrompt?) -> Bool {
        matches(suite: suite, kind: kind, tags: tags, prompt: prompt?.text, hasImage: prompt?.hasImage ?? false)
    }
}
