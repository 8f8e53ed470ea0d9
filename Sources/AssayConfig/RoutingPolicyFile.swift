import AssayCore

/// Reads `routing/*.yaml`.
///
/// ```yaml
/// name: cheap-first
/// rules:                                    # in order; the first that matches an item takes it
///   - name: classification to the cheapest
///     match: {kind: classification}         # suite: [...], kind: [...], tags: [...]; none = all
///     model: qwen3-8b
///     fallback: {model: v4-flash, on: [error, invalid], latency_over_ms: 5000}
///   - model: v4-flash                       # the default: no match takes everything left
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
            problems += file.unknownKeys(in: node, allowed: RuleEntry.CodingKeys.allCases.map(\.rawValue), context: "a rule")
            problems += file.unknownKeys(in: node?["match"], allowed: ["suite", "kind", "tags"], context: "match")
            problems += file.unknownKeys(in: node?["fallback"], allowed: ["model", "on", "latency_over_ms"], context: "fallback")
            func model(_ name: String, at key: YAMLNode?) -> String? {
                do {
                    return try catalog.resolve(name).id
                } catch {
                    problems.append(file.diagnostic(at: key, error.diagnostics.first?.message ?? "unknown model '\(name)'"))
                    return nil
                }
            }
            var kinds: [SuiteKind]?
            if let names = rule.match?.kind?.values {
                kinds = []
                for name in names {
                    if let kind = SuiteKind(rawValue: name) {
                        kinds?.append(kind)
                    } else {
                        problems.append(
                            file.diagnostic(
                                at: node?["match"]?["kind"],
                                "unknown kind '\(name)'; expected one of: \(SuiteKind.allCases.map(\.rawValue).joined(separator: ", "))"))
                    }
                }
            }
            let match = RoutingPolicy.Match(suites: rule.match?.suite?.values, kinds: kinds, tags: rule.match?.tags?.values)
            var fallback: RoutingPolicy.Fallback?
            if let entry = rule.fallback, let fallbackModel = model(entry.model, at: node?["fallback"]?["model"]) {
                let triggers = entry.on ?? ["error"]
                for trigger in triggers where !["error", "invalid"].contains(trigger) {
                    problems.append(file.diagnostic(at: node?["fallback"]?["on"], "unknown trigger '\(trigger)'; expected error or invalid (and latency_over_ms)"))
                }
                fallback = RoutingPolicy.Fallback(
                    model: fallbackModel, onError: triggers.contains("error"), onInvalid: triggers.contains("invalid"),
                    latencyOverMs: entry.latencyOverMs)
            }
            let name = rule.name ?? "rule \(index + 1)"
            if !names.insert(name).inserted {
                problems.append(file.diagnostic(at: node?["name"], "two rules are named '\(name)'; the reports count by name"))
            }
            guard let primary = model(rule.model, at: node?["model"]) else { continue }
            rules.append(RoutingPolicy.Rule(name: name, match: match, model: primary, fallback: fallback))
        }
        if entry.rules.isEmpty { problems.append(file.diagnostic(at: file.root, "a routing policy needs at least one rule")) }
        if !problems.isEmpty { throw InputError(problems) }
        return RoutingPolicy(name: entry.name ?? path, rules: rules)
    }

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
    }

    struct FallbackEntry: Decodable {
        var model: String
        var on: [String]?
        var latencyOverMs: Double?

        enum CodingKeys: String, CodingKey {
            case model, on
            case latencyOverMs = "latency_over_ms"
        }
    }
}
