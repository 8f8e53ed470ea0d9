import ArgumentParser
import AssayAnalysis
import AssayCore
import AssayReports
import Foundation

/// `assay project`: a month of traffic under a mix of suites, priced and scored from a run.
struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "What a month would cost, and score, per model and routing policy, under a mix of suites.",
        discussion: """
            From a stored run's measured cost and tokens per item, suite by suite: the monthly
            cost of --requests (or --tokens, turned into requests by the tokens a request takes
            under the mix), and the score to expect, with a 95% interval combined from each
            suite's Wilson interval. Nothing is sent. Costs marked * cover output tokens only
            (the input price is not quoted) and are too low.

            Examples:
              assay project --run latest --mix code-edge-cases=80,vision-ocr=10,multistep-math=5,zh-intent=5 --requests 30M
              assay project --run latest --mix zh-sentiment=1 --tokens 1B --routing routing/cheap-first.yaml
            """
    )

    @OptionGroup var source: RouteSource

    @Option(
        help: ArgumentHelp(
            "Suites and their weights: suite=weight,... (percents or any positive numbers).", valueName: "mix"))
    var mix: String

    @Option(help: ArgumentHelp("Requests a month: 30M, 500k, 1e6.", valueName: "n"))
    var requests: String?

    @Option(help: ArgumentHelp("Tokens a month (prompt and completion): 1B, 200M.", valueName: "n"))
    var tokens: String?

    @Option(help: ArgumentHelp("A routing policy to project too (repeatable).", valueName: "policy"))
    var routing: [String] = []

    func run() async throws {
        try await withExitStatus(readingStore: true) {
            let weights = try Self.parseMix(mix)
            let volume: MonthlyProjection.Volume
            switch (requests, tokens) {
            case (let text?, nil):
                guard let count = MonthlyProjection.count(text) else {
                    throw InputError("--requests \(text): not a count (30M, 500k, 1e6)")
                }
                volume = .requests(count)
            case (nil, let text?):
                guard let count = MonthlyProjection.count(text) else {
                    throw InputError("--tokens \(text): not a count (1B, 200M)")
                }
                volume = .tokens(count)
            default:
                throw InputError("give --requests or --tokens (one of them)")
            }
            let stored = try await source.load()
            let missing = weights.keys.filter { suite in !stored.manifest.suites.contains { $0.id == suite } }.sorted()
            if !missing.isEmpty {
                throw InputError(
                    "--mix names \(missing.joined(separator: ", ")), not in run \(stored.manifest.id) (its suites: \(stored.manifest.suites.map(\.id).joined(separator: ", ")))"
                )
            }
            var sets: [(name: String, records: [ItemRecord])] = stored.manifest.models.map {
                ($0, Array(stored.results[$0]?.values ?? [:].values))
            }
            for path in routing {
                let route = try stored.simulate(path)
                sets.append(("policy \(route.policy)", Array(route.side.records.values)))
            }
            let rows = try MonthlyProjection.project(mix: weights, volume: volume, records: sets)
            print(
                Self.table(
                    rows, volume: volume, mix: weights, run: stored.manifest.id, assumption: stored.costAssumption),
                terminator: "")
        }
    }

    static func parseMix(_ text: String) throws(InputError) -> [String: Double] {
        var weights: [String: Double] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, let weight = Double(pair[1]), weight.isFinite, weight > 0 else {
                throw InputError("--mix: '\(part)' is not suite=weight (a positive number)")
            }
            guard weights[pair[0]] == nil else { throw InputError("--mix: suite \(pair[0]) twice") }
            weights[pair[0]] = weight
        }
        guard !weights.isEmpty else { throw InputError("--mix: give at least one suite=weight") }
        return weights
    }

    /// Rows cheapest first, those costed on output tokens only after the rest (their cost is
    /// not the bill, and is not ranked with full ones).
    static func table(
        _ rows: [MonthlyProjection.Row], volume: MonthlyProjection.Volume, mix: [String: Double], run: String,
        assumption: String? = nil
    ) -> String {
        let total = mix.values.reduce(0, +)
        let shares = mix.sorted { $0.value > $1.value }.map { "\($0.key) \(Format.percent($0.value / total))" }.joined(
            separator: ", ")
        var out = "run \(run); mix: \(shares)\n"
        switch volume {
        case .requests(let count): out += "volume: \(Self.count(count)) requests a month\n"
        case .tokens(let count): out += "volume: \(Self.count(count)) tokens a month\n"
        }
        var table = [
            [
                "", "score under the mix (95% CI)", "$ per request", "tokens per request", "requests a month",
                "$ a month",
            ]
        ]
        for row in rows.sorted(by: {
            ($0.outputOnly ? 1 : 0, $0.monthlyCost, -$0.score) < ($1.outputOnly ? 1 : 0, $1.monthlyCost, -$1.score)
        }) {
            let flag = CostBasisText.mark(row.basis)
            table.append([
                row.name,
                "\(Format.percent(row.score)) (\(Format.percent(row.interval.lower))–\(Format.percent(row.interval.upper)))",
                Format.money(row.costPerRequest) + flag, row.tokensPerRequest.map { String(format: "%.0f", $0) } ?? "?",
                Self.count(row.requests), Format.money(row.monthlyCost) + flag,
            ])
        }
        out += TextTable.render(table, rightAligned: [2, 3, 4, 5])
        if let assumption, rows.contains(where: { $0.basis == .estimated }) { out += "~ estimated: \(assumption)\n" }
        if rows.contains(where: \.outputOnly) {
            out +=
                "* output tokens only: the input price is not quoted, so the cost is too low (listed after the rest; --assume-input-ratio R costs them)\n"
        }
        let unknown = rows.reduce(0) { $0 + $1.unknownCost }
        if unknown > 0 { out += "? \(unknown) answers came without usage and are left out of the means\n" }
        return out
    }

    static func count(_ value: Double) -> String {
        for (scale, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "k")] where value >= scale {
            let scaled = value / scale
            return (scaled == scaled.rounded() ? String(format: "%.0f", scaled) : String(format: "%.1f", scaled))
                + suffix
        }
        return String(format: "%.0f", value)
    }
}
