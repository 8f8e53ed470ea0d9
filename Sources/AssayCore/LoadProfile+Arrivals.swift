import Foundation

extension LoadProfile {
    /// How the requests of an open-loop load arrive: evenly, as a Poisson process, in bursts,
    /// on a ramp, or as a recorded log says. Production traffic is rarely even: bursts are what
    /// trips a vendor's rate limiter, a ramp finds the rate where latency gives way, and a
    /// replay sends a real day's shape.
    ///
    /// Written as `--arrivals` takes it (`constant`, `poisson`, `burst:20/5s`,
    /// `ramp:10/s..100/s`, `replay:FILE`); `description` gives that text back, and manifests
    /// store it as that string (a replay as `{"replay": {"source", "offsets"}}`, its times with
    /// it), so manifests written before the shapes existed still read.
    public enum Arrivals: Sendable, Hashable {
        /// Evenly spaced: request i starts at i / rate.
        case constant
        /// A Poisson process: exponential gaps with mean 1 / rate (seeded, so the same run
        /// sends on the same schedule).
        case poisson
        /// `size` requests at once every `everySeconds` (on/off traffic: a batch job, a cron
        /// on the minute): request i starts at floor(i / size) x everySeconds.
        case burst(size: Int, everySeconds: Double)
        /// The rate moves linearly from one to the other over the run (over `--duration`, or
        /// over the time the requests take); request i starts when the integral of the rate
        /// reaches i.
        case ramp(fromPerSecond: Double, toPerSecond: Double)
        /// A recorded log's times, replayed relative to its first arrival (scaled to the load's
        /// rate when one is given; sent again after itself when the load holds more requests).
        case replay(ArrivalLog)
    }
}

extension LoadProfile.Arrivals: CustomStringConvertible {
    /// The forms `--arrivals` (and a plan's `load.arrivals`) takes, for error messages.
    public static let forms =
        "constant, poisson, burst:20/5s (20 at once every 5 s), ramp:10/s..100/s (the rate moving over the run) or replay:FILE (a recorded arrival log)"

    /// The most requests one burst may hold.
    public static let maxBurst = 1_000_000

    /// `constant`, `poisson`, `burst:N/T` or `ramp:A..B`; nil for anything else (a replay's log
    /// is read by `ArrivalLogFile`, which knows files).
    public init?(shape text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        switch lowered {
        case "constant": self = .constant
        case "poisson": self = .poisson
        case _ where lowered.hasPrefix("burst:"):
            let parts = lowered.dropFirst("burst:".count).split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let size = Int(parts[0].trimmingCharacters(in: .whitespaces)),
                (1...Self.maxBurst).contains(size), let every = LoadProfile.parseDuration(parts[1])
            else { return nil }
            self = .burst(size: size, everySeconds: every)
        case _ where lowered.hasPrefix("ramp:"):
            let ends = lowered.dropFirst("ramp:".count).components(separatedBy: "..")
            guard ends.count == 2, let from = Self.rateOrZero(ends[0]), let to = Self.rateOrZero(ends[1]),
                from + to > 0
            else { return nil }
            self = .ramp(fromPerSecond: from, toPerSecond: to)
        default: return nil
        }
    }

    /// The log file `replay:FILE` names; nil when `text` is no replay.
    public static func replaySource(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("replay:") else { return nil }
        let path = String(trimmed.dropFirst("replay:".count))
        return path.isEmpty ? nil : path
    }

    /// A rate as `parseRate` reads it, or zero (a ramp may start or end at nothing).
    private static func rateOrZero(_ text: String) -> Double? {
        if let rate = LoadProfile.parseRate(text) { return rate }
        let number = text.trimmingCharacters(in: .whitespaces).split(separator: "/").first
        return number.flatMap { Double($0) } == 0 ? 0 : nil
    }

    /// The shape as `--arrivals` takes it: `burst:20/5s`, `ramp:10/s..100/s`, `replay:FILE`.
    public var description: String {
        switch self {
        case .constant: "constant"
        case .poisson: "poisson"
        case .burst(let size, let every): "burst:\(size)/\(Self.number(every))s"
        case .ramp(let from, let to): "ramp:\(Self.number(from))/s..\(Self.number(to))/s"
        case .replay(let log): "replay:\(log.source)"
        }
    }

    /// Whole numbers without a fraction; others in Swift's shortest form, which reads back
    /// to the same double.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The average rate the shape sets itself: a burst's size over its period, a ramp's mean,
    /// a replay log's own; nil for constant and Poisson arrivals, which take theirs from
    /// `--rate`.
    public var ownPerSecond: Double? {
        switch self {
        case .constant, .poisson: nil
        case .burst(let size, let every): Double(size) / every
        case .ramp(let from, let to): (from + to) / 2
        case .replay(let log): log.perSecond
        }
    }

    /// What is wrong with a rate given beside the shape ("burst:20/5s averages 4/s, not
    /// 10/s"), or nil: a burst or a ramp states its own rate, so one given too must agree; a
    /// replay is scaled to any rate given, and constant and Poisson arrivals need one.
    public func contradiction(rate perSecond: Double) -> String? {
        switch self {
        case .burst, .ramp:
            guard let own = ownPerSecond, abs(perSecond / own - 1) > 1e-9 else { return nil }
            return "\(self) averages \(String(format: "%g", own))/s, not \(String(format: "%g", perSecond))/s"
        case .constant, .poisson, .replay:
            return nil
        }
    }
}

extension LoadProfile.Arrivals: Codable {
    private enum CodingKeys: String, CodingKey { case replay }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            guard let shape = Self(shape: text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not \(Self.forms)"))
            }
            self = shape
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self = .replay(try container.decode(ArrivalLog.self, forKey: .replay))
    }

    public func encode(to encoder: any Encoder) throws {
        if case .replay(let log) = self {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(log, forKey: .replay)
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }
}
