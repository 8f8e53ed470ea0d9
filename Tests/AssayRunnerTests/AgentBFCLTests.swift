import AssayAnalysis
import AssayConfig
import AssayCore
import AssayEvalSets
import AssayGraders
import AssayRunner
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// BFCL's multi-turn base category, imported as an agent suite, against BFCL's own checker.
///
/// `scripts/test` unpacks PyPI's bfcl-eval wheel (pinned) into the folder `ASSAY_BFCL` names and
/// writes, with `scripts/bfcl-multi-turn-reference`, eight kinds of trajectory per task (the
/// ground truth replayed, one call per step or all at once; a turn's last call dropped; a wrong
/// argument; a repeated call; two calls swapped; an unknown function; an empty turn) with the
/// verdict of BFCL's `multi_turn_checker` on each, to `assay-multi-turn-reference.jsonl` there.
@Suite struct AgentBFCLTests {
    static let root: String? = {
        guard let path = ProcessInfo.processInfo.environment["ASSAY_BFCL"],
            FileManager.default.fileExists(atPath: path + "/assay-multi-turn-reference.jsonl")
        else { return nil }
        return path
    }()

    struct Reference: Decodable, Sendable {
        var id: String
        var variant: String
        var turns: [[[AgentRunTests.Call]]]
        var valid: Bool?
        var turn: Int?
    }

    static func references(_ root: String) throws -> [Reference] {
        let text = try String(contentsOfFile: root + "/assay-multi-turn-reference.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Reference.self, from: Data($0.utf8)) }
    }

    /// The suite `assay import bfcl` writes, in a temporary directory.
    static func imported(_ root: String, into dir: TempDirectory) throws -> String {
        let count = try BFCLMultiTurnImport.run(root + "/bfcl_eval/data", to: dir.path("suites"))
        #expect(count == 200)
        return dir.path("suites/\(BFCLMultiTurnImport.suiteID)")
    }

    @Test(.enabled(if: root != nil, "ASSAY_BFCL names no folder with assay-multi-turn-reference.jsonl"))
    func replayingBFCLsGroundTruthThroughAScriptedServerSolvesItsMultiTurnTasks() async throws {
        let root = try #require(Self.root)
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try Self.imported(root, into: dir)
        let suite = try SuiteLoader.load(path)
        var trajectories: [String: AgentRunTests.Trajectory] = [:]
        for reference in try Self.references(root) where reference.variant == "replay" {
            trajectories[reference.id] = AgentRunTests.Trajectory(id: reference.id, turns: reference.turns)
        }
        var script = try AgentRunTests.script(suite, trajectories)
        // Two tasks share a turn's words (40 and 43): their rules also match the task's first turn.
        script.rules = script.rules.map { rule in
            var rule = rule
            if let prompt = rule.promptEquals,
                let item = suite.cases.first(where: { Self.turnTexts($0).contains(prompt) }),
                let first = Self.turnTexts(item).first
            {
                rule.bodyContains = String(JSONValue.string(first).compactJSON.dropFirst().dropLast())
            }
            return rule
        }
        let (results, summary, _) = try await AgentRunTests.run(path, script: script, concurrency: 4)
        #expect(results.count == 200)
        let solved = results.filter { $0.grade?.outcome == .pass }
        let failed = results.filter { $0.grade?.outcome != .pass }.map {
            "\($0.caseID): \($0.grade?.rule ?? $0.errorMessage ?? "")"
        }
        #expect(solved.count >= 198, "\(failed)")
        #expect(summary.model("agent")?.suites.first?.agents?.solved == solved.count)
    }

    static func turnTexts(_ item: Case) -> [String] {
        ((try? AgentTask(item))?.turns ?? []).compactMap { $0.last?.text }
    }

    @Test(.enabled(if: root != nil, "ASSAY_BFCL names no folder with assay-multi-turn-reference.jsonl"))
    func theAgentGraderAgreesWithBFCLsMultiTurnCheckerOnItsOwnTrajectories() async throws {
        let root = try #require(Self.root)
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try Self.imported(root, into: dir)
        let suite = try SuiteLoader.load(path)
        let grader = try AgentGrader(
            settings: suite.grader.settings, suite: suite, sandbox: try await Sandbox.bubblewrap())
        let tasks = Dictionary(uniqueKeysWithValues: try suite.cases.map { ($0.id, try AgentTask($0)) })
        let byTask = Dictionary(grouping: try Self.references(root), by: \.id)
        #expect(byTask.values.reduce(0) { $0 + $1.count } > 1500)
        let disagreements = await withTaskGroup(of: [String].self) { group in
            var pending = byTask.sorted { $0.key < $1.key }.makeIterator()
            func add() -> Bool {
                guard let (id, references) = pending.next(), let task = tasks[id] else { return false }
                group.addTask { await Self.judge(references, task: task, grader: grader) }
                return true
            }
            for _ in 0..<2 where add() {}
            var all: [String] = []
            for await found in group {
                all += found
                _ = add()
            }
            return all
        }
        let total = byTask.values.reduce(0) { $0 + $1.count }
        let agreement = Double(total - disagreements.count) / Double(total)
        #expect(agreement >= 0.99, "\(disagreements.count) of \(total) differ: \(disagreements.prefix(20))")
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    /// Each trajectory of one task played on the task's tools (one process, started afresh for
    /// each), its verdict against BFCL's: whether it passes, and the turn it fails at.
    static func judge(_ references: [Reference], task: AgentTask, grader: AgentGrader) async -> [String] {
        let outcome = await grader.withTools(for: task) { host -> [String] in
            var differ: [String] = []
            for (index, reference) in references.enumerated() {
                if index > 0, let problem = await host.start(task, settings: grader.settings) {
                    return ["\(reference.id): \(problem)"]
                }
                var failedAt: Int?
                for (turn, steps) in reference.turns.enumerated() {
                    for call in steps.flatMap({ $0 }) {
                        _ = await host.call(ToolCall(name: call.name, argumentsText: call.arguments))
                    }
                    let verdict = await host.endTurn(
                        groundTruth: task.groundTruth[turn], called: steps.contains { !$0.isEmpty })
                    if !verdict.passed {
                        failedAt = turn
                        break
                    }
                }
                let valid = failedAt == nil
                if valid != reference.valid || (!valid && failedAt != reference.turn) {
                    differ.append(
                        "\(reference.id) \(reference.variant): Assay \(failedAt.map { "fails turn \($0)" } ?? "passes"), BFCL \(reference.valid == true ? "passes" : "fails turn \(reference.turn ?? -1)")"
                    )
                }
            }
            return differ
        }
        switch outcome {
        case .success(let differ): return differ
        case .failure(let failure): return ["\(references.first?.id ?? "?"): \(failure)"]
        }
    }
}
