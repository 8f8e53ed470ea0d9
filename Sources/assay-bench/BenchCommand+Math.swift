import ArgumentParser
import AssayBench

extension BenchCommand {
    struct MathBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "math",
            abstract:
                "The math grader on hostile answers (1 MB, 10,000 nested braces, 10^{10^{10}}): the slowest grade against 100 ms and an ordinary answer.",
            discussion: """
                Grades each hostile answer against four golds, --rounds times, and prints the slowest
                grade, its ratio to an ordinary 2 KB solution graded in the same run and to the target
                of 100 ms, the outcomes (none may pass, except the reply whose final box is the gold
                after a megabyte of '<think>'), and the peak RSS. Build with -c release for figures
                worth quoting.

                Example:
                  assay-bench math --rounds 5
                """
        )

        @Option(help: "Grades of each answer against each gold.")
        var rounds = 3

        func run() async throws {
            try await withExitStatus {
                guard rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
                print(MathBenchmark.text(try await MathBenchmark.measure(rounds: rounds)), terminator: "")
            }
        }
    }
}
