import ArgumentParser
import AssayBench

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Assay against a reference measured in the same run, and print the ratio.",
        discussion: """
            Each benchmark prints its own rate and a reference's, measured in the same run on the
            same machine, and their ratio against the target. Nothing here is a pass/fail test.

            Examples:
              assay bench sandbox                          # bubblewrap vs plain python3, graded cases/s
              assay bench sandbox --with-wrong --rounds 1
            """,
        subcommands: [SandboxBench.self]
    )

    struct SandboxBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sandbox",
            abstract: "Graded cases per second in the bubblewrap sandbox vs plain python3 (target: at most 1.5x slower).",
            discussion: """
                Grades every reference solution of a code suite (and with --with-wrong, every wrong
                solution) through the code grader twice over: once in the sandbox, once as plain
                python3 processes with the same harness and rlimits, one program per core.

                Example:
                  assay bench sandbox --suite evalsets/code-edge-cases
                """
        )

        @Option(help: ArgumentHelp("A code suite with expected.reference solutions.", valueName: "dir"))
        var suite = "evalsets/code-edge-cases"

        @Flag(name: .customLong("with-wrong"), help: "Also grade the wrong solutions (some run to their timeout).")
        var withWrong = false

        @Option(help: "Rounds per mode (alternating).")
        var rounds = 2

        func run() async throws {
            try await withExitStatus {
                let report = try await SandboxBenchmark.run(suitePath: suite, includeWrong: withWrong, rounds: rounds)
                print(report.text, terminator: "")
            }
        }
    }
}
