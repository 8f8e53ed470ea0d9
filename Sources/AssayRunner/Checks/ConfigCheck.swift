import AssayConfig
import AssayCore

/// What `assay validate` checks in a configuration file: a plan, a catalog, a routing
/// policy, a traffic mix or a gate policy, told apart by their top-level keys (`rules:` is a
/// routing policy, `endpoints:` a catalog, `suites:` or `models:` a plan, `traffic:` alone a
/// traffic mix, anything else a gate).
public enum ConfigCheck {
    public enum Kind: String, Sendable {
        case plan, catalog
        case routingPolicy = "routing policy"
        case gatePolicy = "gate policy"
        case trafficMix = "traffic mix"
    }

    /// The file's kind and its problems; a routing policy's models resolve through `catalog`.
    public static func check(_ path: String, catalog catalogPath: String = CatalogFile.defaultPath) -> (
        kind: Kind?, problems: [Diagnostic]
    ) {
        let file: YAMLFile
        do {
            file = try YAMLFile.load(path)
        } catch {
            return (nil, error.diagnostics)
        }
        let keys = Set(file.root?.keys.map(\.key) ?? [])
        let kind: Kind =
            keys.contains("rules")
            ? .routingPolicy
            : keys.contains("endpoints")
                ? .catalog
                : keys.contains("suites") || keys.contains("models")
                    ? .plan
                    : keys == ["traffic"]
                        ? .trafficMix
                        : .gatePolicy
        do throws(InputError) {
            switch kind {
            case .plan:
                let plan = try PlanFile.load(path)
                let problems = plan.problems()
                if !problems.isEmpty { throw InputError(problems) }
            case .catalog:
                _ = try CatalogFile.read(file)
            case .routingPolicy:
                _ = try RoutingPolicyFile.load(path, catalog: try CatalogFile.load(catalogPath))
            case .gatePolicy:
                _ = try GatePolicyFile.load(path)
            case .trafficMix:
                _ = try TrafficMixFile.load(path)
            }
            return (kind, [])
        } catch {
            return (kind, error.diagnostics)
        }
    }
}
