import Foundation

/// A recorded arrival log, to replay (`--arrivals replay:FILE`): when each request of some
/// real traffic arrived, as seconds from the first. Production traffic is neither even nor
/// Poisson (it has lunch peaks, retries in waves, cron jobs on the minute); replaying its
/// own times is the load test that shape cannot be argued with.
///
/// The times are kept, not the file's name alone, so that a run's manifest says what was
/// sent and `--resume` sends the same schedule after the file has changed or gone.
public struct ArrivalLog: Sendable, Hashable, Codable {
    /// The file the log was read from, as the user named it (reports show it).
    public var source: String
    /// Seconds from the first arrival, ascending; the first is 0.
    public private(set) var offsets: [Double]

    /// The most arrivals a log may hold: a manifest keeps every one.
    public static let maxArrivals = 1_000_000

    /// A log of arrivals at `times` (seconds, any origin, any order): sorted and made
    /// relative to the earliest. Nil with fewer than two distinct times (no rate to keep).
    public init?(source: String, times: [Double]) {
        let sorted = times.sorted()
        guard let first = sorted.first, let last = sorted.last, last > first, sorted.allSatisfy(\.isFinite)
        else { return nil }
        self.source = source
        self.offsets = sorted.map { $0 - first }
    }

    enum CodingKeys: String, CodingKey { case source, offsets }

    /// A stored log, checked as a read one is (a manifest edited by hand must not give a
    /// schedule of NaNs).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let source = try container.decode(String.self, forKey: .source)
        guard let log = ArrivalLog(source: source, times: try container.decode([Double].self, forKey: .offsets)) else {
            throw DecodingError.dataCorruptedError(
                forKey: .offsets, in: container, debugDescription: "a replay needs at least two different times")
        }
        self = log
    }

    /// Seconds from the first arrival to the last.
    public var spanSeconds: Double { offsets.last ?? 0 }

    /// Arrivals per second over the log: n - 1 gaps over its span.
    public var perSecond: Double { Double(offsets.count - 1) / spanSeconds }

    /// How long one pass takes when the log is sent again after itself: its span and one
    /// mean gap, so that the rate holds across the seam.
    public var periodSeconds: Double { spanSeconds * Double(offsets.count) / Double(offsets.count - 1) }

    /// Reads a log's text: JSON Lines with a time per request (`{"t": 0.013}`, seconds, or
    /// `{"time": "2025-05-01T12:00:00.013Z"}`, ISO 8601; other keys are ignored, so a request
    /// log can be given as it is), or one number of seconds per line. Blank lines and lines
    /// starting with `#` are skipped. Problems are reported as `source:line`.
    public static func parse(_ text: String, source: String) throws(InputError) -> ArrivalLog {
        var times: [Double] = []
        var problems: [Diagnostic] = []
        var firstKind: (kind: TimeKind, line: Int)?
        let dates = ISODates()
        for (index, raw) in text.lines().enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            guard problems.count < 20 else { break }
            switch read(line, dates: dates) {
            case .problem(let message):
                problems.append(Diagnostic(file: source, line: number, message))
            case .time(let kind, let time):
                if let firstKind, firstKind.kind != kind {
                    problems.append(
                        Diagnostic(
                            file: source, line: number,
                            "\(kind.name) here, but line \(firstKind.line) gave \(firstKind.kind.name): give every time the same way"
                        ))
                    continue
                }
                firstKind = firstKind ?? (kind, number)
                times.append(time)
                if times.count > maxArrivals {
                    throw InputError(
                        file: source, line: number,
                        "more than \(maxArrivals) arrivals: replay a slice of the log (a run's manifest keeps every time)"
                    )
                }
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        guard let log = ArrivalLog(source: source, times: times) else {
            throw InputError(
                file: source,
                times.isEmpty
                    ? "no arrival times: give one per line, as {\"t\": 0.013} (seconds) or {\"time\": \"2025-05-01T12:00:00.013Z\"} or a number"
                    : "the arrivals are all at one instant: a replay needs at least two different times")
        }
        return log
    }

    /// How a line gives its time: seconds from some origin (`t`, or a bare number), or a
    /// calendar time. A log mixing the two has no common clock.
    enum TimeKind: Equatable {
        case seconds, date
        var name: String { self == .seconds ? "seconds" : "an ISO 8601 time" }
    }

    /// What one line of a log says.
    private enum Line {
        case time(TimeKind, Double)
        case problem(String)
    }

    private static func read(_ line: String, dates: ISODates) -> Line {
        guard line.hasPrefix("{") || line.hasPrefix("[") else {
            guard let seconds = Double(line), seconds.isFinite else {
                return .problem(
                    "'\(line.prefix(60))' is not a time: give seconds (0.013) or a JSON object ({\"t\": 0.013})")
            }
            return .time(.seconds, seconds)
        }
        let json: JSONValue
        do { json = try JSONParser.parse(Array(line.utf8)) } catch {
            return .problem("not JSON: \(error)")
        }
        guard case .object = json else { return .problem("not a JSON object") }
        if let value = json["t"] {
            guard let seconds = value.doubleValue, seconds.isFinite else {
                return .problem("\"t\" must be a number of seconds, not \(value.compactJSON.prefix(60))")
            }
            return .time(.seconds, seconds)
        }
        if let value = json["time"] {
            guard let text = value.stringValue, let date = dates.date(text) else {
                return .problem(
                    "\"time\" must be an ISO 8601 time such as \"2025-05-01T12:00:00.013Z\", not \(value.compactJSON.prefix(60))"
                )
            }
            return .time(.date, date.timeIntervalSinceReferenceDate)
        }
        return .problem("no \"t\" (seconds) or \"time\" (ISO 8601) key")
    }

    /// ISO 8601 times with and without fractional seconds, with a zone (`Z` or `+08:00`).
    private struct ISODates {
        let fractional: ISO8601DateFormatter = {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter
        }()
        let whole = ISO8601DateFormatter()

        func date(_ text: String) -> Date? { fractional.date(from: text) ?? whole.date(from: text) }
    }
}
