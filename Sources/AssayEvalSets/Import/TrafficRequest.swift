import AssayCore

/// One line of a traffic sample (`assay import traffic`), read in any of the shapes it is
/// logged in:
/// - `{"messages": [...], "reference": "...", "label": "...", "id": "...", "tags": [...]}`
///   (all but `messages` optional);
/// - `{"prompt": "..."}`: one user message (with the same optional fields);
/// - an OpenAI chat request body as logged, `{"model": "...", "messages": [...], ...}`: the
///   model becomes the tag `model:<name>`, and the request's settings (temperature,
///   max_tokens, tools, user, ...) are not kept: the suite's generation settings are sent.
///
/// Without `model`, a field Assay does not know is refused (a misspelled `refrence` would
/// otherwise leave every case ungraded). A message's content is text or OpenAI's list of
/// parts: text parts are joined one a line, as Assay's transcript joins them (so the prompt
/// a routing rule matches is the one stored); an image, audio or file part is refused at its
/// line (the sample's media are not replayed), or the request skipped with `skipNonText`.
struct TrafficRequest: Sendable {
    /// A message as it will be sent: one of system, user, assistant, and its text.
    struct Message: Sendable, Hashable {
        var role: String
        var text: String

        var json: JSONValue { ["role": .string(role), "content": .string(text)] }
    }

    var line: Int
    var id: String?
    var messages: [Message]
    var reference: String?
    var label: String?
    var tags: [String]

    /// The last user message's text: what a routing rule matches.
    var prompt: String { messages.last { $0.role == "user" }?.text ?? "" }

    /// The fields a line may hold when it is not a logged request body (one with `model`).
    static let keys = ["messages", "prompt", "reference", "label", "id", "tags"]

    /// What reading a line gave.
    enum Reading {
        case request(TrafficRequest)
        /// A request with a part that is not text, left out at the user's word.
        case skipped
        /// Not readable: the problems are recorded.
        case refused
    }

    /// Reads `object`, the line `line` of `path`; every problem is appended at its line.
    static func read(
        _ object: [String: JSONValue], path: String, line: Int, skipNonText: Bool, problems: inout [Diagnostic]
    ) -> Reading {
        let before = problems.count
        func problem(_ message: String) { problems.append(Diagnostic(file: path, line: line, message)) }

        let model = object["model"]
        if model == nil {
            for key in object.keys.sorted() where !keys.contains(key) {
                problem(
                    "unknown field '\(key)'; expected: \(keys.joined(separator: ", ")) (or an OpenAI request body, with 'model')"
                )
            }
        }
        var tags: [String] = []
        switch object["tags"] {
        case nil, .null?: break
        case .array(let list)? where list.allSatisfy({ !($0.stringValue ?? "").isEmpty }):
            tags = list.compactMap(\.stringValue)
        default: problem("'tags' must be a list of non-empty text")
        }
        switch model {
        case nil, .null?: break
        case .string(let name)? where !name.isEmpty: tags.append("model:" + name)
        default: problem("'model' must be text (the model the request was sent to)")
        }
        var id: String?
        switch object["id"] {
        case nil, .null?: break
        case .string(let text)? where !text.isEmpty: id = text
        case .int(let number)?: id = String(number)
        default: problem("'id' must be non-empty text or a whole number")
        }
        let reference = text(object["reference"], "reference", problem: problem)
        var label: String?
        switch object["label"] {
        case .int(let number)?: label = String(number)
        case .bool(let flag)?: label = String(flag)
        case let value: label = text(value, "label", problem: problem)
        }

        let (messages, nonText) = conversation(object, problem: problem, clean: { problems.count == before })
        if let nonText, problems.count == before {
            if skipNonText { return .skipped }
            problem(
                "\(nonText): only text is imported (the sample's media are not replayed); take such requests out of the sample, or pass --skip-non-text to leave them out"
            )
        }
        guard problems.count == before else { return .refused }
        return .request(
            TrafficRequest(line: line, id: id, messages: messages, reference: reference, label: label, tags: tags))
    }

    /// The request's conversation (`messages`, or a `prompt` as one user message), and the
    /// first part that is not text, if any. `clean` says whether no problem was found so far:
    /// the order of the turns is checked only then.
    private static func conversation(
        _ object: [String: JSONValue], problem: (String) -> Void, clean: () -> Bool
    ) -> (messages: [Message], nonText: String?) {
        var messages: [Message] = []
        var nonText: String?
        switch (object["messages"], object["prompt"]) {
        case (.some, .some):
            problem("give either 'messages' or 'prompt', not both")
        case (nil, nil):
            problem("missing 'messages' (a list of messages) or 'prompt' (the user's text)")
        case (nil, let prompt?):
            if case .string(let text) = prompt, !text.isEmpty {
                messages = [Message(role: "user", text: text)]
            } else {
                problem("'prompt' must be non-empty text")
            }
        case (let written?, nil):
            guard case .array(let list) = written, !list.isEmpty else {
                problem("'messages' must be a non-empty list of messages")
                break
            }
            for (index, entry) in list.enumerated() {
                switch self.message(entry, at: "messages[\(index)]") {
                case .success(let message): messages.append(message)
                case .failure(.nonText(let what)): nonText = nonText ?? what
                case .failure(.bad(let what)): problem(what)
                }
            }
            if clean(), nonText == nil {
                if !messages.contains(where: { $0.role == "user" }) {
                    problem("no user message: a request needs the prompt a model answers")
                } else if messages.last?.role != "user" {
                    problem(
                        "the last message is the \(messages.last?.role ?? "?")'s: a request ends with the user's turn, the one the model answers"
                    )
                }
            }
        }
        return (messages, nonText)
    }

    /// Why a message cannot be imported.
    enum MessageProblem: Error {
        /// A part that is not text (an image, a sound, a file): `what` says where.
        case nonText(String)
        case bad(String)
    }

    /// One message: its role and its content as text.
    static func message(_ value: JSONValue, at place: String) -> Result<Message, MessageProblem> {
        guard case .object(let fields) = value else { return .failure(.bad("\(place) must be an object")) }
        let role: String
        switch fields["role"]?.stringValue {
        case let name? where ["system", "user", "assistant"].contains(name): role = name
        case "developer"?: role = "system"  // OpenAI's newer name for the system message
        case let name?:
            return .failure(
                .bad(
                    "\(place) is a '\(name)' message: only system, user and assistant messages are imported (tool calls and their results are not replayed)"
                ))
        case nil: return .failure(.bad("\(place) needs a 'role' (system, user or assistant)"))
        }
        if role == "assistant", fields["tool_calls"] != nil, fields["tool_calls"] != .null {
            return .failure(.bad("\(place) holds tool calls: tool calls and their results are not replayed"))
        }
        switch fields["content"] {
        case .string(let text)?:
            return .success(Message(role: role, text: text))
        case .array(let parts)?:
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                let type = part["type"]?.stringValue
                switch type {
                case "text"?, "input_text"?:
                    guard let text = part["text"]?.stringValue else {
                        return .failure(.bad("\(place).content[\(index)] is a text part without 'text'"))
                    }
                    texts.append(text)
                case "image_url"?, "input_image"?, "image"?, "input_audio"?, "audio"?, "file"?, "input_file"?:
                    return .failure(.nonText("\(place).content[\(index)] is an '\(type ?? "")' part"))
                default:
                    return .failure(
                        .bad("\(place).content[\(index)] has type '\(type ?? "none")'; text parts are imported"))
                }
            }
            guard !texts.isEmpty else { return .failure(.bad("\(place).content is an empty list")) }
            return .success(Message(role: role, text: texts.joined(separator: "\n")))
        case nil, .null?:
            return .failure(.bad("\(place) has no 'content'"))
        default:
            return .failure(.bad("\(place).content must be text or a list of parts"))
        }
    }

    /// An optional text field: nil when absent, null or empty.
    private static func text(_ value: JSONValue?, _ key: String, problem: (String) -> Void) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text.isEmpty ? nil : text
        default:
            problem("'\(key)' must be text")
            return nil
        }
    }
}
