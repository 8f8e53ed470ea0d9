import AssayCore

extension TrafficImport {
    /// The traffic mix of the sample: one share per tag, then the untagged requests by the
    /// script of their prompt, each weighted by how many of the sample's requests it takes.
    ///
    /// A traffic mix gives an item to the first share that matches it, so the shares are
    /// built to reproduce the sample's own counts exactly: tag shares come in sorted order, a
    /// request is counted for the first of its tags in that order, and tags that no request
    /// is counted for are left out. The untagged requests come next, by script (`han`,
    /// `latin`, `mixed`: what a routing rule's `script:` tells apart), and last those whose
    /// prompt has no letters. Every share names the suite, so the mix weighs this sample's
    /// items only.
    static func shares(suite: String, requests: [TrafficRequest]) -> [TrafficMix.Share] {
        var byTag: [String: Int] = [:]
        var byScript: [RoutingPolicy.Match.Script: Int] = [:]
        var unlettered = 0
        for request in requests {
            if let tag = request.tags.min() {
                byTag[tag, default: 0] += 1
            } else if let script = RoutingPolicy.Match.Script.of(request.prompt) {
                byScript[script, default: 0] += 1
            } else {
                unlettered += 1
            }
        }
        var shares = byTag.keys.sorted().map { tag in
            TrafficMix.Share(
                name: "tag:" + tag, match: RoutingPolicy.Match(suites: [suite], tags: [tag]),
                weight: Double(byTag[tag] ?? 0))
        }
        for script in RoutingPolicy.Match.Script.allCases {
            guard let count = byScript[script] else { continue }
            shares.append(
                TrafficMix.Share(
                    name: "script:" + script.rawValue, match: RoutingPolicy.Match(suites: [suite], script: script),
                    weight: Double(count)))
        }
        if unlettered > 0 {
            shares.append(
                TrafficMix.Share(
                    name: "other", match: RoutingPolicy.Match(suites: [suite]), weight: Double(unlettered)))
        }
        return shares
    }

    /// The mix as a traffic file (`traffic/*.yaml`'s shape), which `--traffic` reads.
    static func mixYAML(_ shares: [TrafficMix.Share], source: String, requests: Int) -> String {
        var out = """
            # The traffic mix of \(source) (\(requests) requests), derived by `assay import traffic`:
            # one share per tag (a request counts for the first of its tags in this order), then the
            # untagged requests by the script of their prompt, each weighted by how many requests of
            # the sample it holds. Edit the weights to production's own; the first share that
            # matches an item takes it. Give it to route simulate, route compare, compare or gate:
            #   assay route simulate routing/keyword-to-kimi.yaml --run latest --traffic <this file>
            traffic:

            """
        for share in shares {
            var match: [String] = []
            if let suites = share.match.suites { match.append("suite: " + list(suites)) }
            if let tags = share.match.tags { match.append("tags: " + list(tags)) }
            if let script = share.match.script { match.append("script: " + script.rawValue) }
            out +=
                "  - {name: \(SuiteWriter.quoted(share.name)), match: {\(match.joined(separator: ", "))}, weight: \(Int(share.weight))}\n"
        }
        return out
    }

    private static func list(_ values: [String]) -> String {
        "[" + values.map(SuiteWriter.quoted).joined(separator: ", ") + "]"
    }
}
