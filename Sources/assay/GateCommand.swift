import ArgumentParser
import AssayAnalysis
import AssayConfig
import AssayCore
import AssayReports
import SystemPackage

struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Pass or fail a candidate against a baseline by a gate policy, for CI.",
        discussion: """
            Compares the candidate with the baseline (as `assay compare` does) and checks the
            policy's rules (gates/*.yaml): required suites present, a minimum score per suite, no
            significant regression (McNemar p below alpha) larger than a tolerance, a maximum cost
            increase, maximum latency and TTFT percentiles, a maximum error rate, a minimum
            availability (attempts before retries), and with a traffic mix (the gate's traffic:
            or --traffic) the cost and score on production's mix rather than the eval's. Each rule is printed with its
            numbers; junit.xml (a test case per rule), summary.md, comparison.json and index.html
            go to --out.

            Exit codes: 0 the gate passes, 1 it fails (each failed rule printed), 2 bad input
            (a policy that does not parse, a run or model not in the store, nothing to pair) or a
            rule that cannot judge: a cost rule over a full cost and one of output tokens only
            (state an assumption with --assume-input-ratio R, or assume_input_ratio: in the
            policy), or timing and availability rules when every answer of the candidate was
            replayed from the cache (no fresh timing).

            Examples:
              assay gate --policy gates/upgrade.yaml --baseline 20261101-090000-aa11@v4-flash --candidate latest@v4-flash
              assay gate --policy gates/upgrade.yaml --run latest --baseline v3.2 --candidate v4-flash --out reports/gate
            """
    )

    @Option(help: ArgumentHelp("The gate policy (gates/*.yaml).", valueName: "file"))
    var policy: String

    @Option(help: ArgumentHelp("RUN or RUN@MODEL (a model, with --run).", valueName: "run"))
    var baseline: String

    @Option(help: ArgumentHelp("RUN or RUN@MODEL (a model, with --run).", valueName: "run"))
    var candidate: String

    @OptionGroup var sides: ComparisonOptions

    func run() async throws {
        try await withExitStatus(readingStore: true) {
            let gate = try GatePolicyFile.load(policy)
            let store = try await StoredRuns.open(sides.store)
            let comparison = try await sides.compare(
                baseline, candidate, in: store, traffic: try sides.mix(or: gate.traffic),
                inputRatio: gate.assumeInputRatio)
            let verdicts = try Gate.evaluate(gate, comparison)
            let directory = sides.outputDirectory(for: comparison)
            try ComparisonFiles.write(comparison, verdicts: verdicts, to: directory)
            print(ComparisonTable.render(comparison))
            let (baseReference, candidateReference) = sides.references(baseline, candidate)
            let runs = try await DecisionKeeping.runs([baseReference, candidateReference], in: store)
            await DecisionKeeping.keep(
                ComparisonFiles.decision(
                    comparison, kind: .gate,
                    naming: [comparison.base, comparison.candidate, FilePath(policy).stem ?? policy], runs: runs,
                    verdicts: verdicts),
                in: sides.store)
            try GateVerdicts.report(verdicts, policy: policy, directory: directory)
        }
    }
}

/// Printing a gate's verdicts and turning them into the exit code.
enum GateVerdicts {
    /// Prints every rule (failed ones first, on stderr as well) and throws exit code 1 when
    /// any failed.
    static func report(_ verdicts: [Gate.Verdict], policy: String, directory: String) throws {
        let failed = verdicts.filter { !$0.passed }
        for verdict in failed {
            print("FAIL  \(verdict.rule): \(verdict.detail)")
        }
        for verdict in verdicts where verdict.passed {
            print("pass  \(verdict.rule): \(verdict.detail)")
        }
        print("files: \(directory)/junit.xml, summary.md, comparison.json, index.html")
        guard failed.isEmpty else {
            Terminal.note(
                "gate failed: \(failed.count) of \(verdicts.count) rules of \(policy) do not hold: \(failed.map(\.rule).joined(separator: "; "))"
            )
            throw ExitStatus.gateFailed
        }
        print("gate passed: \(verdicts.count) rules of \(policy) hold")
    }
}
