/// What a model can take as input, and the structured output it can be asked for; suites
/// declare what they need.
public enum Capability: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case text
    case vision
    case audio
    /// Takes `response_format: {type: json_object}` (JSON mode).
    case jsonObject = "json_object"
    /// Takes `response_format: {type: json_schema}` (output constrained to a schema).
    case jsonSchema = "json_schema"

    private var rank: Int {
        switch self {
        case .text: 0
        case .vision: 1
        case .audio: 2
        case .jsonObject: 3
        case .jsonSchema: 4
        }
    }

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.rank < rhs.rank }
}
