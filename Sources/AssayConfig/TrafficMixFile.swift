import AssayCore

/// Reads a traffic mix: `traffic/*.yaml`, or the `traffic:` key of a gate policy.
///
/// ```yaml
/// traffic:                                  # shares of production requests; the first that matches an item takes it
///   - {name: vision, match: {has_image: true}, weight: 10}
///   - {name: chinese, match: {suite: [zh-sentiment, zh-intent]}, weight: 5}
///   - {name: reasoning, match: {kind: math}, weight: 5}
///   - {name: code-and-text, match: {kind: [code, classification]}, weight: 80}
/// ```
/// `match:` takes what a routing rule's does (suite, kind, tags, prompt_contains,
/// prompt_regex, script, has_image).
public enum TrafficMixFile {
    public static func load(_ path: String) throws(InputError) -> TrafficMix {
        let file = try YAMLFile.load(path)
        var problems = file.unknownKeys(in: file.root, allowed: ["traffic"], context: "a traffic mix")
        let mix = mix(in: file, problems: &problems)
        if mix == nil {
            problems.append(file.diagnostic(at: file.root, "a traffic mix needs 'traffic:', a list of shares"))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return mix ?? TrafficMix(source: path, shares: [])
    }

    /// The `traffic:` list of `file`, checked at its lines; nil when the file has none.
    static func mix(in file: YAMLFile, problems: inout [Diagnostic]) -> TrafficMix? {
        guard let node = file.root?["traffic"] else { return nil }
        let entries: [ShareEntry]
        do {
            entries = try file.decode(Wrapper.self).traffic ?? []
        } catch {
            problems += error.diagnostics
            return nil
        }
        var shares: [TrafficMix.Share] = []
        var names = Set<String>()
        for (index, entry) in entries.enumerated() {
            let share = node.elements?[index]
            problems += file.unknownKeys(in: share, allowed: ["name", "match", "weight"], context: "a traffic share")
            let match = RoutingPolicyFile.match(entry.match, at: share?["match"], in: file, problems: &problems)
            let name = entry.name ?? "share \(index + 1)"
            if !names.insert(name).inserted {
                problems.append(file.diagnostic(at: share?["name"], "two shares are named '\(name)'"))
            }
            // At most `maxWeight`: weights of 1.7e308 summed to infinity, and every share read 0%.
            if !(entry.weight > 0 && entry.weight <= Self.maxWeight) {
                problems.append(
                    file.diagnostic(
                        at: share?["weight"],
                        "weight must be a number above 0 and at most 1e12 (shares are normalised: 80, 10, 5, 5 is 80%, 10%, 5%, 5%)"
                    ))
            }
            shares.append(TrafficMix.Share(name: name, match: match, weight: entry.weight))
        }
        if shares.isEmpty { problems.append(file.diagnostic(at: node, "traffic needs at least one share")) }
        return TrafficMix(source: file.path, shares: shares)
    }

    /// The largest weight taken: a million shares of a million stay exact, and no sum of
    /// weights overflows.
    static let maxWeight = 1e12

    struct Wrapper: Decodable {
        var traffic: [ShareEntry]?
    }

    struct ShareEntry: Decodable {
        var name: String?
        var match: RoutingPolicyFile.MatchEntry?
        var weight: Double
    }
}
