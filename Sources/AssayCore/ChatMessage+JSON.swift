extension ChatMessage {
    /// A message written in a case as the wire writes it: `{"role": "system" | "user" |
    /// "assistant", "content": "text"}` (content may also be a list of `{"type": "text",
    /// "text"}` parts); nil when it is not one.
    public init?(json value: JSONValue) {
        guard let roleName = value["role"]?.stringValue, let role = Role(rawValue: roleName) else { return nil }
        switch value["content"] {
        case .string(let text)?:
            self.init(role: role, text: text)
        case .array(let parts)?:
            var texts: [ContentPart] = []
            for part in parts {
                guard part["type"]?.stringValue == "text", let text = part["text"]?.stringValue else { return nil }
                texts.append(.text(text))
            }
            guard !texts.isEmpty else { return nil }
            self.init(role: role, parts: texts)
        default:
            return nil
        }
    }
}
