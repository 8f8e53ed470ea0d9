import AssayCore
import Foundation

/// Reads `routing/*.yaml`.
///
/// ```yaml
/// name: cheap-first
/// rules:                                    # in order; the first that matches an item takes it
///   - name: classification to the cheapest
///     match: {kind: classification}         # suite: [...], kind: [...], tags: [...]; none = all
///     model: qwen3-8b
///     fallback: {model: v4-flash, on: [error, invalid], latency_over_ms: 5000}   # also ambiguous, off_label
///   - name: reasoning words to Kimi
///     match: {prompt_contains: [prove, step by step]}   # also prompt_regex, script: han | latin | mixed, has_image
///     model: k2.5
///   - model: v4-flash                       # the default: no match takes everything left
///     fallback: {model: qwen3-32b, error_rate_over: 0.005, p99_over_ms: 800, window: 100, min_requests: 50}
/// ```
/// Model names are resolved against the catalog (aliases work).
public enum RoutingPolicyFile {
    public static func load(_ path: String, catalog: Catalog) throws(InputError) -> RoutingPolicy {
        let file = try YAMLFile.load(path)
        let entry = try file.decode(Entry.self)
        var problems = file.unknownKeys(in: file.root, allowed: ["name", "rules"], context: "a routing policy")
        var rules: [RoutingPolicy.Rule] = []
        var names = Set<String>()
        for (index, rule) in entry.rules.enumerated() {
            let node = file.root?["rules"]?.elements?[index]
            problems += file.unknownKeys(
                in: node, allowed: RuleEntry.CodingKeys.allCases.map(\.rawValue), context: "a rule")
            problems += file.unknownKeys(
                in: node?["fallback"], allowed: FallbackEntry.CodingKeys.allCases.map(\.rawValue), context: "fallback")
            func model(_ name: String, at key: YAMLNode?) -> String? {
                do {
                    return try catalog.resolve(name).id
                } catch {
                    problems.append(
                        file.diagnostic(at: key, error.diagnostics.first?.message ?? "unknown model '\(name)'"))
                    return nil
                }
            }
            let match = Self.match(rule.match, at: node?["match"], in: file, problems: &problems)
            var fallback: RoutingPolicy.Fallback?
            if let entry = rule.fallback, let fallbackModel = model(entry.model, at: node?["fallback"]?["model"]) {
                let triggers = entry.on ?? ["error"]
                for trigger in triggers where !Self.triggers.contains(trigger) {
                    problems.append(
                        file.diagnostic(
                            at: node?["fallback"]?["on"],
                            "unknown trigger '\(trigger)'; expected \(Self.triggers.joined(separator: ", ")) (and latency_over_ms)"
                        ))
                }
                let window = Self.window(entry, at: node?["fallback"], in: file, problems: &problems)
                fallback = RoutingPolicy.Fallback(
                    model: fallbackModel, onError: triggers.contains("error"), onInvalid: triggers.contains("invalid"),
                    latencyOverMs: entry.latencyOverMs, window: window)
                fallback?.onAmbiguous = triggers.contains("ambiguous")
                fallback?.onOffLabel = triggers.contains("off_label")
            }
            let name = rule.name ?? "rule \(index + 1)"
            if !names.insert(name).inserted {
                problems.append(
                    file.diagnostic(at: node?["name"], "two rules are named '\(name)'; the reports count by name"))
            }
            guard let primary = model(rule.model, at: node?["model"]) else { continue }
            rules.append(RoutingPolicy.Rule(name: name, match: match, model: primary, fallback: fallback))
        }
        if entry.rules.isEmpty {
            problems.append(file.diagnostic(at: file.root, "a routing policy needs at least one rule"))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return RoutingPolicy(name: entry.name ?? path, rules: rules)
    }

    /// A fallback's failover window (`error_rate_over`, `p99_over_ms`, `window`,
    /// `min_requests`), checked at its lines; nil when the fallback has none.
    static func window(_ entry: FallbackEntry, at node: YAMLNode?, in file: YAMLFile, problems: inout [Diagnostic])
        -> FailoverWindow.Rule?
    {
        guard entry.errorRateOver != nil || entry.p99OverMs != nil else {
            if entry.window != nil || entry.minRequests != nil {
                problems.append(
                    file.diagnostic(at: node, "window and min_requests need error_rate_over or p99_over_ms"))
            }
            return nil
        }
        if let rate = entry.errorRateOver, !(0..<1).contains(rate) {
            problems.append(
                file.diagnostic(
                    at: node?["error_rate_over"], "error_rate_over must be a share from 0 to 1 (0.005 is 0.5%)"))
        }
        if let size = entry.window, size < 1 {
            problems.append(file.diagnostic(at: node?["window"], "window must be at least 1 request"))
        }
        return FailoverWindow.Rule(
            errorRateOver: entry.errorRateOver, p99OverMs: entry.p99OverMs, window: entry.window ?? 100,
            minRequests: entry.minRequests)
    }

    /// A rule's (or a traffic share's) `match:`, checked at its lines.
    static func match(_ entry: MatchEntry?, at node: YAMLNode?, in file: YAMLFile, problems: inout [Diagnostic])
        -> RoutingPolicy.Match
    {
        problems += file.unknownKeys(
            in: node, allowed: MatchEntry.CodingKeys.allCases.map(\.rawValue), context: "match")
        var kinds: [SuiteKind]?
        if let names = entry?.kind?.values {
            kinds = []
            for name in names {
                if let kind = SuiteKind(rawValue: name) {
                    kinds?.append(kind)
                } else {
                    problems.append(
                        file.diagnostic(
                            at: node?["kind"],
                            "unknown kind '\(name)'; expected one of: \(SuiteKind.allCases.map(\.rawValue).joined(separator: ", "))"
                        ))
                }
            }
        }
        if let pattern = entry?.promptRegex {
            if let hazard = BoundedRegex.hazard(in: pattern) {
                problems.append(
                    file.diagnostic(at: node?["prompt_regex"], "prompt_regex '\(pattern.prefix(200))' \(hazard)"))
            } else {
                do {
                    _ = try NSRegularExpression(pattern: pattern)
                } catch {
                    problems.append(
                        file.diagnostic(
                            at: node?["prompt_regex"], "prompt_regex '\(pattern)' is not a regular expression"))
                }
            }
        }
        var script: RoutingPolicy.Match.Script?
        if let name = entry?.script {
            script = RoutingPolicy.Match.Script(rawValue: name)
            if script == nil {
                problems.append(
                    file.diagnostic(
                        at: node?["script"],
                        "unknown script '\(name)'; expected one of: \(RoutingPolicy.Match.Script.allCases.map(\.rawValue).joined(separator: ", "))"
                    ))
            }
        }
        return RoutingPolicy.Match(
            suites: entry?.suite?.values, kinds: kinds, tags: entry?.tags?.values,
            promptContains: entry?.promptContains?.values,
            promptRegex: entry?.promptRegex, script: script, hasImage: entry?.hasImage)
    }

    /// What may send an item on to its fallback (`on:`): a failed request, no answer found
    /// (invalid), two labels named (ambiguous), an answer that is not one of the declared
    /// labels (off_label).
    static let triggers = ["error", "invalid", "ambiguous", "off_label"]

    /// A single value or a list of values.
    struct OneOrMany: Decodable {
        var values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }

    struct Entry: Decodable {
        var name: String?
        var rules: [RuleEntry]
    }

    struct RuleEntry: Decodable {
        var name: String?
        var match: MatchEntry?
        var model: String
        var fallback: FallbackEntry?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, match, model, fallback
        }
    }

    struct MatchEntry: Decodable {
        var suite: OneOrMany?
        var kind: OneOrMany?
        var tags: OneOrMany?
        var promptContains: OneOrMany?
        var promptRegex: String?
        var script: String?
        var hasImage: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case suite, kind, tags, script
            case promptContains = "prompt_contains"
            case promptRegex = "prompt_regex"
            case hasImage = "has_image"
        }
    }

    struct FallbackEntry: Decodable {
        var model: String
        var on: [String]?
        var latencyOverMs: Double?
        var errorRateOver: Double?
        var p99OverMs: Double?
        var window: Int?
        var minRequests: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, on, window
            case latencyOverMs = "latency_over_ms"
            case errorRateOver = "error_rate_over"
            case p99OverMs = "p99_over_ms"
            case minRequests = "min_requests"
        }
    }
}
