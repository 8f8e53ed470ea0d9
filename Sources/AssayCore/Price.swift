import Foundation

/// What a model costs, as the vendor bills it, and the cost of a request in US dollars (the
/// one currency reports use).
///
/// Vendors often quote only the output price. An unknown input price is `nil`, never
/// zero: a cost computed without it covers output tokens only, and says so. A price quoted
/// in another currency (CNY) carries the catalog's dated exchange rate; a discounted window
/// (DeepSeek's off-peak hours) applies by when the request was sent, in UTC.
public struct Price: Sendable, Hashable, Codable {
    /// Per million prompt tokens; nil when not quoted.
    public var inputPerMillion: Double?
    /// Per million prompt tokens read from the vendor's prompt cache; nil when not quoted,
    /// and then cached tokens are billed at the input price (what a vendor without a cache
    /// discount charges, and an upper bound for one with).
    public var cachedInputPerMillion: Double?
    /// Per million completion tokens (reasoning tokens included, unless `reasoningPerMillion`).
    public var outputPerMillion: Double
    /// Per million reasoning tokens, for a vendor that bills thinking apart; nil: at the
    /// output price (what most do).
    public var reasoningPerMillion: Double?
    /// The currency the prices above are quoted in.
    public var currency: String
    /// When the price was read (ISO date), and from where.
    public var date: String
    public var source: String
    /// US dollars per unit of `currency`, from the catalog's dated rate; nil for USD.
    public var exchangeRate: ExchangeRate?
    /// A window of the day with other prices; nil when the vendor has none.
    public var offPeak: Window?
    /// Set when `inputPerMillion` is not a quote but an assumption: what was assumed and on
    /// what ground (`input at 0.6 x output (--assume-input-ratio)`, a catalog estimate's
    /// source). Costs with it are `estimated`.
    public var inputAssumption: String?

    public init(
        inputPerMillion: Double?, cachedInputPerMillion: Double? = nil, outputPerMillion: Double,
        currency: String = "USD", date: String,
        source: String, exchangeRate: ExchangeRate? = nil, offPeak: Window? = nil, reasoningPerMillion: Double? = nil,
        inputAssumption: String? = nil
    ) {
        self.inputAssumption = inputAssumption
        self.reasoningPerMillion = reasoningPerMillion
        self.inputPerMillion = inputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.outputPerMillion = outputPerMillion
        self.currency = currency
        self.date = date
        self.source = source
        self.exchangeRate = exchangeRate
        self.offPeak = offPeak
    }

    /// A dated conversion into US dollars.
    public struct ExchangeRate: Sendable, Hashable, Codable {
        public var usdPerUnit: Double
        public var date: String
        public var source: String

        public init(usdPerUnit: Double, date: String, source: String) {
            self.usdPerUnit = usdPerUnit
            self.date = date
            self.source = source
        }
    }

    /// From `fromMinute` (inclusive) to `toMinute` (exclusive), minutes after midnight UTC,
    /// wrapping past midnight when `toMinute` is smaller; a price left nil is the regular one.
    public struct Window: Sendable, Hashable, Codable {
        public var fromMinute: Int
        public var toMinute: Int
        public var inputPerMillion: Double?
        public var cachedInputPerMillion: Double?
        public var outputPerMillion: Double?

        public init(
            fromMinute: Int, toMinute: Int, inputPerMillion: Double? = nil, cachedInputPerMillion: Double? = nil,
            outputPerMillion: Double? = nil
        ) {
            self.fromMinute = fromMinute
            self.toMinute = toMinute
            self.inputPerMillion = inputPerMillion
            self.cachedInputPerMillion = cachedInputPerMillion
            self.outputPerMillion = outputPerMillion
        }

        public func contains(_ date: Date) -> Bool {
            let seconds = Int(floor(date.timeIntervalSince1970))
            let minute = ((seconds / 60) % 1440 + 1440) % 1440
            if fromMinute <= toMinute { return minute >= fromMinute && minute < toMinute }
            return minute >= fromMinute || minute < toMinute
        }
    }

    /// The cost of one request sent at `sentAt`, in US dollars, or nil when the usage is
    /// unknown (a free model costs 0 whatever its usage).
    public func cost(of usage: Usage?, at sentAt: Date) -> Cost? {
        guard let parts = parts(of: usage, at: sentAt) else { return nil }
        return Cost(amount: parts.input + parts.cachedInput + parts.output, basis: basis)
    }

    /// What the costs at this price cover.
    public var basis: CostBasis {
        if isFree { return .full }
        if inputPerMillion == nil { return .outputOnly }
        return inputAssumption == nil ? .full : .estimated
    }

    /// This price with an input price assumed at `ratio` x the output price when none is
    /// quoted (`--assume-input-ratio`); a quoted or free price is kept as it is.
    public func assumingInput(ratio: Double, because reason: String) -> Price {
        guard inputPerMillion == nil, !isFree else { return self }
        var price = self
        price.inputPerMillion = outputPerMillion * ratio
        price.inputAssumption = reason
        return price
    }

    /// The currency every cost is reported in.
    public static let reportCurrency = "USD"

    public var isFree: Bool {
        outputPerMillion == 0 && inputPerMillion == 0 && (reasoningPerMillion ?? 0) == 0 && offPeak == nil
    }

    /// The most a token of each kind can cost, in US dollars per million: for estimates made
    /// before a request is sent (the budget's reservations).
    public var highestUSDPerMillion: (input: Double, output: Double) {
        let rate = exchangeRate?.usdPerUnit ?? 1
        let input = max(inputPerMillion ?? 0, offPeak?.inputPerMillion ?? 0)
        let output = max(outputPerMillion, offPeak?.outputPerMillion ?? 0, reasoningPerMillion ?? 0)
        return (input * rate, output * rate)
    }

    /// What each kind of token cost, in US dollars: uncached prompt tokens at the input
    /// price, cached ones at the cached input price, completion tokens (reasoning included)
    /// at the output price, each from the off-peak window when `sentAt` is in it. Nil when
    /// the usage is unknown and the model is not free; the input parts are 0 when the input
    /// price is not quoted (the cost is then output-only).
    public func parts(of usage: Usage?, at sentAt: Date) -> (input: Double, cachedInput: Double, output: Double)? {
        if isFree { return (0, 0, 0) }
        guard let usage else { return nil }
        let window = offPeak.flatMap { $0.contains(sentAt) ? $0 : nil }
        let rate = exchangeRate?.usdPerUnit ?? 1
        func dollars(_ tokens: Int, _ perMillion: Double) -> Double { Double(tokens) * perMillion * rate / 1_000_000 }
        let outputPrice = window?.outputPerMillion ?? outputPerMillion
        let reasoning = reasoningPerMillion == nil ? 0 : min(max(usage.reasoningTokens ?? 0, 0), usage.completionTokens)
        let output =
            dollars(usage.completionTokens - reasoning, outputPrice)
            + dollars(reasoning, reasoningPerMillion ?? outputPrice)
        guard let regularInput = inputPerMillion else { return (0, 0, output) }
        let inputPrice = window?.inputPerMillion ?? regularInput
        let cachedPrice = window?.cachedInputPerMillion ?? cachedInputPerMillion ?? inputPrice
        let cached = min(max(usage.cachedPromptTokens ?? 0, 0), usage.promptTokens)
        return (dollars(usage.promptTokens - cached, inputPrice), dollars(cached, cachedPrice), output)
    }
}

/// An amount of money spent on requests, and what it covers.
public struct Cost: Sendable, Hashable, Codable {
    public var amount: Double
    public var basis: CostBasis

    public init(amount: Double, basis: CostBasis) {
        self.amount = amount
        self.basis = basis
    }

    /// True when the input price was unknown: the amount covers output tokens only.
    public var outputOnly: Bool { basis == .outputOnly }

    public static let zero = Cost(amount: 0, basis: .full)

    public static func + (lhs: Cost, rhs: Cost) -> Cost {
        Cost(amount: lhs.amount + rhs.amount, basis: lhs.basis.combined(with: rhs.basis))
    }
}
