/// What a cost covers, so that numbers of different kinds are never ranked or gated as if
/// they were comparable.
///
/// - `full`: every token class the request used has a quoted price (a free model's costs
///   are full: nothing is left out);
/// - `estimated`: the input price is a declared assumption (`--assume-input-ratio`, or a
///   catalog's `input_estimate` with its source), not a quote;
/// - `outputOnly`: no input price at all: the cost leaves out every prompt token, so on a
///   classification prompt (150 tokens in, 3 out) it is a small part of the real bill.
public enum CostBasis: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case full
    case estimated
    case outputOnly = "output-only"

    /// Full, then estimated, then output-only: a total's basis is its weakest part's.
    private var rank: Int {
        switch self {
        case .full: 0
        case .estimated: 1
        case .outputOnly: 2
        }
    }

    public static func < (lhs: CostBasis, rhs: CostBasis) -> Bool { lhs.rank < rhs.rank }

    /// The basis of a sum of two costs: the weaker of the two.
    public func combined(with other: CostBasis) -> CostBasis { max(self, other) }

    /// Whether two costs may be compared or ranked together: a full and an estimated cost
    /// may (the estimate is declared and shown), an output-only one only with another.
    public func isComparable(with other: CostBasis) -> Bool {
        (self == .outputOnly) == (other == .outputOnly)
    }

    /// What the basis means, for a report's footnote or an error.
    public var explanation: String {
        switch self {
        case .full: "every token priced"
        case .estimated: "input tokens at an assumed price"
        case .outputOnly: "output tokens only (no input price quoted)"
        }
    }
}
