import AssayCore

/// A case's own conversation (`input.messages`), which tools and chat suites send instead of
/// their rendered template: checked when a chat suite loads, and read for the prompt a routing
/// rule (or `assay serve-test`'s oracle) sees.
public enum CaseMessages {
    /// The case's messages, typed; nil when it has none or one is not a message Assay sends.
    public static func messages(of item: Case) -> [ChatMessage]? {
        guard case .array(let written)? = item.input["messages"] else { return nil }
        let messages = written.compactMap(ChatMessage.init(json:))
        return messages.count == written.count ? messages : nil
    }

    /// The text of the case's last user message, as a run stores it for routing
    /// (`RoutedPrompt`); nil when the case carries no conversation or no user message.
    public static func routedText(of item: Case) -> String? {
        messages(of: item).flatMap { RoutedPrompt(messages: $0) }?.text
    }

    /// Why a chat case's input cannot be sent, or nil. `input.messages` must be a list of
    /// system, user and assistant messages whose content is text (or OpenAI's text parts),
    /// with a user message among them; a case without messages is sent its suite's template,
    /// so the suite must have one (`hasTemplate`).
    static func problem(in input: [String: JSONValue], hasTemplate: Bool) -> String? {
        guard let value = input["messages"] else {
            return hasTemplate
                ? nil : "a chat case needs 'input.messages' (a list of messages), or its suite a prompt template"
        }
        guard case .array(let written) = value, !written.isEmpty else {
            return "'input.messages' must be a non-empty list of messages"
        }
        for (index, message) in written.enumerated() where ChatMessage(json: message) == nil {
            return
                "'input.messages[\(index)]' is not a message Assay sends: it needs 'role' (system, user or assistant) and 'content' (text, or a list of text parts)"
        }
        guard written.contains(where: { $0["role"]?.stringValue == "user" }) else {
            return "'input.messages' has no user message: the prompt a model answers and a routing rule matches"
        }
        return nil
    }
}
