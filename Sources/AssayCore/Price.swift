/// What a model costs, as the price sheet quotes it.
///
/// Vendors often quote only the output price. An unknown input price is `nil`, never
/// zero: a cost computed without it covers output tokens only, and says so.
public struct Price: Sendable, Hashable, Codable {
    /// Per million prompt tokens; nil when not quoted.
    public var inputPerMillion: Double?
    /// Per million completion tokens (reasoning tokens included).
    public var outputPerMillion: Double
    public var currency: String
    /// When the price was read (ISO date), and from where.
    public var date: String
    public var source: String

    public init(inputPerMillion: Double?, outputPerMillion: Double, currency: String = "USD", date: String, source: String) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.currency = currency
        self.date = date
        self.source = source
    }

    /// The cost of one request, or nil when the usage is unknown (a free model costs 0
    /// whatever its usage).
    public func cost(of usage: Usage?) -> Cost? {
        if outputPerMillion == 0 && inputPerMillion == 0 { return .zero }
        guard let usage else { return nil }
        let output = Double(usage.completionTokens) * outputPerMillion / 1_000_000
        guard let inputPerMillion else {
            return Cost(amount: output, outputOnly: true)
        }
        return Cost(amount: output + Double(usage.promptTokens) * inputPerMillion / 1_000_000, outputOnly: false)
    }
}

/// An amount of money spent on requests, and whether it leaves out input tokens.
public struct Cost: Sendable, Hashable, Codable {
    public var amount: Double
    /// True when the input price was unknown: the amount covers output tokens only.
    public var outputOnly: Bool

    public init(amount: Double, outputOnly: Bool) {
        self.amount = amount
        self.outputOnly = outputOnly
    }

    public static let zero = Cost(amount: 0, outputOnly: false)

    public static func + (lhs: Cost, rhs: Cost) -> Cost {
        Cost(amount: lhs.amount + rhs.amount, outputOnly: lhs.outputOnly || rhs.outputOnly)
    }
}
