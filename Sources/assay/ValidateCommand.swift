import ArgumentParser
import AssayCore
import AssayEvalSets
import AssayRunner

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check suites and report every problem with file:line.",
        discussion: """
            Each PATH is a suite directory (holding suite.yaml and cases.jsonl) or a directory of
            suites (searched three levels down). Every problem is reported, not only the first:
            invalid YAML or JSON, missing fields, duplicate case ids, missing or unreadable files,
            unknown graders or kinds, template slots with no field in a case, grader settings, and
            expectations the grader cannot use (a label that is not declared, code without tests).

            Examples:
              assay validate evalsets
              assay validate evalsets/smoke-sentiment evalsets/multistep-math

            Exit code 2 when anything is wrong, 0 otherwise.
            """
    )

    @Argument(help: "Suite directories, or directories of suites.")
    var paths: [String]

    func run() async throws {
        var problems: [Diagnostic] = []
        var checked = 0
        for path in paths {
            for suite in SuiteLoader.suitePaths(under: path) {
                checked += 1
                problems += SuiteCheck.problems(at: suite)
            }
        }
        if !problems.isEmpty {
            print(problems.map(\.description).joined(separator: "\n"))
            Terminal.note("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(checked) suite\(checked == 1 ? "" : "s")")
            throw ExitStatus.badInput
        }
        print("ok: \(checked) suite\(checked == 1 ? "" : "s") valid")
    }
}
