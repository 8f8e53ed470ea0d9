import ArgumentParser
import AssayConfig
import AssayCore
import AssayEvalSets
import AssayRunner

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check suites, plans, routing and gate policies; report every problem with file:line.",
        discussion: """
            Each PATH is a suite directory (holding suite.yaml and cases.jsonl) or a directory of
            suites (searched three levels down). Every problem is reported, not only the first:
            invalid YAML or JSON, missing fields, duplicate case ids, missing or unreadable files,
            unknown graders or kinds, template slots with no field in a case, grader settings, and
            expectations the grader cannot use (a label that is not declared, code without tests).

            A PATH that is a .yaml file is a plan, a catalog, a routing policy (its models are
            looked up in --catalog), a traffic mix or a gate policy, told apart by its keys.

            Examples:
              assay validate evalsets
              assay validate evalsets/smoke-sentiment evalsets/multistep-math
              assay validate plans/*.yaml routing/*.yaml gates/*.yaml catalog/models.yaml

            Exit code 2 when anything is wrong, 0 otherwise.
            """
    )

    @Argument(help: "Suite directories, directories of suites, or configuration files (.yaml).")
    var paths: [String]

    @Option(help: ArgumentHelp("The catalog routing policies name models from.", valueName: "file"))
    var catalog = CatalogFile.defaultPath

    func run() async throws {
        var problems: [Diagnostic] = []
        var checked = 0
        var files: [String] = []
        for path in paths {
            if (path.hasSuffix(".yaml") || path.hasSuffix(".yml")) && !path.hasSuffix(SuiteLoader.suiteFileName) {
                let result = ConfigCheck.check(path, catalog: catalog)
                files.append("\(path) (\(result.kind?.rawValue ?? "unreadable"))")
                problems += result.problems
                continue
            }
            for suite in SuiteLoader.suitePaths(under: path) {
                checked += 1
                problems += SuiteCheck.problems(at: suite)
            }
        }
        if !problems.isEmpty {
            print(problems.map(\.description).joined(separator: "\n"))
            Terminal.note(
                "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(Self.count(checked, files.count))")
            throw ExitStatus.badInput
        }
        for file in files { print("ok: \(file)") }
        print("ok: \(Self.count(checked, files.count)) valid")
    }

    static func count(_ suites: Int, _ files: Int) -> String {
        var parts: [String] = []
        if suites > 0 || files == 0 { parts.append("\(suites) suite\(suites == 1 ? "" : "s")") }
        if files > 0 { parts.append("\(files) file\(files == 1 ? "" : "s")") }
        return parts.joined(separator: " and ")
    }
}
