/// A request's messages as text: "role: content" each, separated by a blank line, a
/// message's parts one a line, an image as "[image]" and a sound clip as "[audio]" (their
/// bytes stay in the request).
///
/// The one rendering of a prompt: `ChatRequest.transcript` (what a result keeps) and the
/// reports' reading of an old result's cached request body both write through it, and
/// `RoutedPrompt(transcript:)` is the one reader of what it wrote.
public enum Transcript {
    /// What an image part reads as.
    public static let image = "[image]"
    /// What a sound clip reads as.
    public static let audio = "[audio]"
    /// What comes between two messages.
    static let separator = "\n\n"

    /// One part as text.
    public static func text(of part: ContentPart) -> String {
        switch part {
        case .text(let text): text
        case .imageURL: image
        case .inputAudio: audio
        }
    }

    /// A message's parts as text, one a line.
    public static func text(of parts: [ContentPart]) -> String {
        parts.map(text(of:)).joined(separator: "\n")
    }

    /// Messages as text; a role is the wire's name for it.
    public static func text(of messages: [(role: String, parts: [ContentPart])]) -> String {
        messages.map { "\($0.role): \(text(of: $0.parts))" }.joined(separator: separator)
    }
}
