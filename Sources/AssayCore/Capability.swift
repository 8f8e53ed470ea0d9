/// What a model can take as input; suites declare what they need.
public enum Capability: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case text
    case vision
    case audio

    private var rank: Int {
        switch self {
        case .text: 0
        case .vision: 1
        case .audio: 2
        }
    }

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.rank < rhs.rank }
}
