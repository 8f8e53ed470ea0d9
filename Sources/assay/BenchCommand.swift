import ArgumentParser
import AssayBench
import AssayCore
import Foundation

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
              assay bench reports                          # 100k and 1M results: time ratio, peak RSS
            """,
        subcommands: [SandboxBench.self, ReportsBench.self]
    )

    struct ReportsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reports",
            abstract: "Render every report for 100k and 1M synthetic results: time ratio (target <= 11x) and peak RSS (target <= 500 MB).",
            discussion: """
                Each size runs in a child process of its own, so that each peak RSS is its own. The
                stores and reports go to a temporary directory (about 1.5 GB at 1M), removed at the end.

                Example:
                  assay bench reports
                  assay bench reports --sizes 10000,100000
                """
        )

        @Option(help: "Comma-separated result counts.")
        var sizes = "100000,1000000"

        @Option(help: .hidden)
        var child: Int?

        @Option(help: .hidden)
        var directory: String?

        func run() async throws {
            try await withExitStatus {
                if let child, let directory {
                    let measurement = try await ReportScaleBenchmark.measure(items: child, directory: directory)
                    print(JSONValue.string(String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self)).templateText)
                    return
                }
                let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !counts.isEmpty else { throw InputError("--sizes takes numbers such as 100000,1000000") }
                var measurements: [ReportScaleBenchmark.Measurement] = []
                for count in counts {
                    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-\(count)-\(UUID().uuidString.prefix(6))").path
                    defer { try? FileManager.default.removeItem(atPath: directory) }
                    Terminal.note("rendering \(count) results...")
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                    process.arguments = ["bench", "reports", "--child", String(count), "--directory", directory]
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    try process.run()
                    let output = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else { throw InputError("the benchmark of \(count) results failed (exit \(process.terminationStatus))") }
                    measurements.append(try JSONDecoder().decode(ReportScaleBenchmark.Measurement.self, from: output))
                }
                print(ReportScaleBenchmark.text(measurements), terminator: "")
            }
        }
    }

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
