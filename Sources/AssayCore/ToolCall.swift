/// One function call a model made: the function's name and its arguments.
///
/// Arguments arrive as JSON text (`function.arguments`). The text is what is kept (stored,
/// cached, shown) so that a call read back grades as it did when it came: re-encoding a
/// parsed value would turn `5.0` into `5`, and BFCL's checker tells those apart. The parsed
/// value is made from the text; text that is not JSON keeps the parser's reason, so a
/// grader can say why the call could not be read. Model output is hostile: nothing here is
/// ever executed.
public struct ToolCall: Sendable, Hashable {
    /// The call's id (`call_...`), when the server gave one.
    public var id: String?
    /// The function's name as the suite declares it (dots and all: the wire's stand-in names
    /// are mapped back before a call is kept).
    public var name: String
    /// The arguments exactly as they came.
    public let argumentsText: String
    /// The arguments parsed, or why they could not be.
    public let arguments: Arguments

    public enum Arguments: Sendable, Hashable {
        /// The arguments parsed (an object, for a well-formed call).
        case json(JSONValue)
        /// Text that is not JSON, with the parser's reason.
        case invalid(reason: String)
    }

    /// A call whose arguments are the wire's JSON text, parsed now. Empty text is `{}`:
    /// vendors send a call without arguments that way.
    public init(id: String? = nil, name: String, argumentsText: String) {
        self.id = id
        self.name = name
        self.argumentsText = argumentsText
        if argumentsText.isBlank {
            arguments = .json(.object([:]))
        } else {
            do {
                arguments = .json(try JSONParser.parse(argumentsText.utf8))
            } catch {
                arguments = .invalid(reason: error.description)
            }
        }
    }

    /// `name(arguments)`, for reports and evidence.
    public var summary: String { "\(name)(\(argumentsText))" }
}

extension String {
    /// Empty, or nothing but whitespace. Arguments start with `{`: told at the first byte,
    /// without walking the text's characters.
    public var isBlank: Bool {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case ..<0x80: return false
            default: return allSatisfy(\.isWhitespace)
            }
        }
        return true
    }
}

extension ToolCall: Codable {
    enum CodingKeys: String, CodingKey {
        case id, name, arguments
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decodeIfPresent(String.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            argumentsText: try container.decode(String.self, forKey: .arguments))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(argumentsText, forKey: .arguments)
    }
}

extension ToolCall {
    /// The call as a JSON value (`{"id", "name", "arguments": "<text>"}`, as `Codable` writes
    /// it), for grade evidence.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "arguments": .string(argumentsText)]
        if let id { object["id"] = .string(id) }
        return .object(object)
    }

    /// The call read back from `jsonValue`; nil when the value is not one.
    public init?(jsonValue: JSONValue) {
        guard case .object(let object) = jsonValue, let name = object["name"]?.stringValue,
            let text = object["arguments"]?.stringValue
        else { return nil }
        self.init(id: object["id"]?.stringValue, name: name, argumentsText: text)
    }
}

extension ToolCall {
    /// The key of `Grade.evidence` the calls a model made are kept under.
    static let evidenceKey = "tool_calls"

    /// Adds the calls a model made to a grade's evidence (for the drill-down).
    public static func record(_ calls: [ToolCall], in evidence: inout [String: JSONValue]) {
        evidence[evidenceKey] = .array(calls.map(\.jsonValue))
    }

    /// The calls a grade's evidence holds; nil when it holds none (not a tools grade).
    public static func calls(in evidence: [String: JSONValue]) -> [ToolCall]? {
        guard case .array(let values)? = evidence[evidenceKey] else { return nil }
        return values.compactMap(ToolCall.init(jsonValue:))
    }
}
