import ArgumentParser
import AssayCore
import AssayEvalSets
import AssayRunner
import Foundation
import SystemPackage

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Convert a public benchmark file, or a sample of production requests, into an Assay suite (no network).",
        discussion: """
            Examples:
              assay import humaneval HumanEval.jsonl --out evalsets/humaneval
              assay import gsm8k test.jsonl --out evalsets/gsm8k
              assay import math math500.jsonl --out evalsets/math500
              assay import bfcl bfcl_eval/data --out suites/bfcl
              assay import traffic prompts.jsonl --out evalsets/prod-sample --redact email,phone
            """,
        subcommands: [HumanEval.self, GSM8K.self, MathCompetition.self, BFCL.self, Traffic.self]
    )

    struct Traffic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "traffic",
            abstract: "Convert a sample of production requests into a chat suite and its traffic mix.",
            discussion: """
                FILE is JSON Lines, one request a line, in any of these shapes:
                  {"messages": [{"role": "user", "content": "..."}, ...],
                   "reference": "...", "label": "...", "id": "...", "tags": [...]}
                  {"prompt": "..."}    one user message (same optional fields)
                  {"model": "...", "messages": [...], ...}
                                       an OpenAI request body as logged: the model
                                       becomes the tag model:<name>; temperature,
                                       max_tokens, tools and the rest are dropped
                reference, label, id and tags are optional. Roles are system, user
                and assistant (developer is taken as system); the last message is
                the user's. Content is text or OpenAI's list of parts: text parts
                are joined one a line; an image, audio or file part is refused at
                its line (media are not replayed), or the request left out with
                --skip-non-text. Without "model", any other field is refused (a
                misspelled "refrence" would leave every case ungraded).

                Each request becomes a case of a chat suite whose messages are sent
                as they are: a routing rule matches the prompt production saw (the
                last user message, verbatim). Case ids are the lines' ids, else
                traffic-0001 and on. The grader follows the sample: every request
                labelled, exact-label; else every one with a reference, ocr (edit
                distance to it, CER at most 5%: raise cer_threshold in suite.yaml
                for free text); else answered (answers recorded, not judged).
                Labels and references are kept either way.

                DIR/traffic.yaml is the sample's own traffic mix, for --traffic: a
                share per tag, then the untagged requests by the script of their
                prompt (han, latin, mixed), each weighted by its count.

                --redact replaces PII-like strings in every message and reference
                before anything is written, and says how many of each: email;
                phone (10 to 15 digits, with + ( ) . - or spaces between); card
                (13 to 19 digits passing the Luhn check); ipv4; cn-id (an 18-
                character resident identity number with a valid check character).
                Each becomes [EMAIL], [PHONE], ... --redact-pattern NAME=REGEX (ICU
                syntax, repeatable) adds one, applied first, written as [NAME]. A
                pattern that can backtrack catastrophically is refused, and a line
                the patterns take more than 2 s over is refused, never written
                half-redacted. Labels, ids and tags are not redacted.

                Every bad line is reported with file:line (exit 2), and nothing is
                written.

                Examples:
                  assay import traffic prompts.jsonl --out evalsets/prod-sample \\
                    --redact email,phone,card
                  assay import traffic prompts.jsonl --out evalsets/prod-sample \\
                    --force --redact-pattern 'order=ORD-[0-9]{8}'
                  assay run --suite evalsets/prod-sample --model k2.5 \\
                    --model v4-flash
                  assay route simulate routing/keyword-to-kimi.yaml --run latest \\
                    --traffic evalsets/prod-sample/traffic.yaml
                """
        )

        @OptionGroup var options: ImportOptions

        @Option(
            help: ArgumentHelp(
                "Redact these built-in patterns: email, phone, card, ipv4, cn-id (comma-separated, repeatable).",
                valueName: "names"))
        var redact: [String] = []

        @Option(
            name: .customLong("redact-pattern"),
            help: ArgumentHelp(
                "Redact matches of REGEX as [NAME] (repeatable; applied before the built-in patterns).",
                valueName: "name=regex"))
        var redactPatterns: [String] = []

        @Flag(help: "Leave out requests with an image, audio or file part, instead of refusing the file.")
        var skipNonText = false

        func run() async throws {
            try await withExitStatus {
                let redaction = try Redaction(named: redact, custom: redactPatterns)
                let summary = try options.place(files: ["suite.yaml", "cases.jsonl", TrafficImport.mixFileName]) {
                    staging, id throws(InputError) in
                    try TrafficImport.run(
                        options.file, to: staging, id: id, force: true, redaction: redaction,
                        skipNonText: skipNonText)
                }
                let out = options.out
                print(
                    "wrote \(summary.cases) cases to \(out) (suite.yaml, cases.jsonl), graded by \(summary.grader.rawValue): \(summary.grading)"
                )
                var shares = summary.shares.prefix(8).map { "\($0.name) \(Int($0.weight))" }.joined(separator: ", ")
                if summary.shares.count > 8 { shares += ", and \(summary.shares.count - 8) more" }
                print(
                    "traffic mix: \(FilePath(out).appending(TrafficImport.mixFileName).string) (\(summary.shares.count) shares: \(shares))"
                )
                if !summary.redacted.isEmpty {
                    print("redacted: " + summary.redacted.map { "\($0.count) \($0.name)" }.joined(separator: ", "))
                }
                if summary.skipped > 0 {
                    print("skipped: \(summary.skipped) requests with a part that is not text (--skip-non-text)")
                }
            }
        }
    }

    struct BFCL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bfcl",
            abstract: "Convert the Berkeley Function Calling Leaderboard's data into tools and agent suites.",
            discussion: """
                PATH is bfcl-eval's data folder (bfcl_eval/data in PyPI's bfcl-eval wheel): one suite is
                written per single-turn category found there (simple_python, multiple, parallel,
                parallel_multiple, irrelevance and the live_ ones), as DIR/bfcl-<category>. Case ids are
                BFCL's, the category is each case's tag, and the acceptable calls are BFCL's possible
                answers, graded as BFCL's AST checker grades them. Nothing is fetched.

                multi_turn_base becomes an agent suite, DIR/bfcl-multi-turn-base: each task's turns,
                classes, initial state and ground-truth calls, with the classes' Python sources and
                function docs copied from the same package into its tools/ folder. Its tools run in the
                sandbox (bubblewrap); MathAPI needs mpmath (apt-get install python3-mpmath).

                Example:
                  assay import bfcl bfcl_eval/data --out suites/bfcl
                  assay validate suites/bfcl/bfcl-simple-python
                """
        )

        @Argument(help: ArgumentHelp("bfcl-eval's data folder.", valueName: "path"))
        var path: String

        @Option(help: ArgumentHelp("The directory to write the suites under.", valueName: "dir"))
        var out: String

        @Flag(help: "Replace suites that are already there.")
        var force = false

        func run() async throws {
            try await withExitStatus {
                var count = try BFCLImport.run(path, to: out, force: force)
                if BFCLMultiTurnImport.isPresent(in: path) {
                    count += try BFCLMultiTurnImport.run(path, to: out, force: force)
                }
                var problems: [Diagnostic] = []
                for suiteID in BFCLImport.categories.map(BFCLImport.suiteID) + [BFCLMultiTurnImport.suiteID] {
                    let directory = FilePath(out).appending(suiteID).string
                    if FileManager.default.fileExists(atPath: directory) {
                        problems += SuiteCheck.problems(at: directory)
                    }
                }
                if !problems.isEmpty { throw InputError(problems) }
                print("wrote \(count) cases to \(out) (one suite per category)")
            }
        }
    }

    struct MathCompetition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "math",
            abstract: "Convert MATH / MATH-500 JSON Lines into a math suite with LaTeX answers.",
            discussion: """
                Each line holds problem and answer (LaTeX, such as \\frac{243}{625}), and optionally
                solution, subject, level and unique_id (MATH-500's format; the original MATH files,
                with no answer field, give the solution's last \\boxed{}). Answers are graded by the
                math grader (compared by value: \\dfrac{243}{625}, 243/625 and 0.3888 are all right);
                cases are tagged subject:<subject> and level:<n>, and reports score each subject.
                Every bad line is reported with file:line and nothing is written.

                Example:
                  assay import math test.jsonl --out evalsets/math500
                  assay validate evalsets/math500
                """
        )

        @OptionGroup var options: ImportOptions

        func run() async throws {
            try await options.write(MathImport.run)
        }
    }

    struct GSM8K: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gsm8k",
            abstract: "Convert GSM8K-format JSON Lines into a math suite.",
            discussion: """
                Each line holds question and answer (a worked solution ending in '#### N'). N, without
                thousands separators, becomes the expected answer, graded by the numeric grader; the
                worked solution is kept and never shown. Every bad line is reported with file:line and
                nothing is written.

                Example:
                  assay import gsm8k gsm8k-test.jsonl --out evalsets/gsm8k
                  assay validate evalsets/gsm8k
                """
        )

        @OptionGroup var options: ImportOptions

        func run() async throws {
            try await options.write(GSM8KImport.run)
        }
    }

    struct HumanEval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "humaneval",
            abstract: "Convert HumanEval-format JSON Lines into a code suite.",
            discussion: """
                Each line holds task_id, prompt, canonical_solution, test (defining check(candidate))
                and entry_point. The prompt is what the model sees; the test becomes the hidden tests;
                the canonical solution is kept as the case's reference and never shown. Every bad
                line is reported with file:line and nothing is written.

                Example:
                  assay import humaneval HumanEval.jsonl --out evalsets/humaneval
                  assay validate evalsets/humaneval
                """
        )

        @OptionGroup var options: ImportOptions

        func run() async throws {
            try await options.write(HumanEvalImport.run)
        }
    }
}

/// What every import takes: the file, the suite directory, its id, and whether to replace it.
struct ImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The .jsonl file in the benchmark's own format.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The suite directory to write.", valueName: "dir"))
    var out: String

    @Option(help: "The suite id (default: the directory's name).")
    var id: String?

    @Flag(help: "Replace a suite that is already there.")
    var force = false

    /// Runs `importer` (file, directory, id, force; returns the number of cases) as `place`
    /// does, and says what it wrote.
    func write(_ importer: (String, String, String?, Bool) throws(InputError) -> Int) async throws {
        try await withExitStatus {
            let count = try place(files: ["suite.yaml", "cases.jsonl"]) { staging, id throws(InputError) in
                try importer(file, staging, id, true)
            }
            print("wrote \(count) cases to \(out) (suite.yaml, cases.jsonl)")
        }
    }

    /// Runs `importer` (the staging directory, the suite id) into a staging directory beside
    /// `--out`, checks the suite there as `assay validate` does (a gold the grader cannot
    /// grade, or one past its bounds, is refused at its case's line), and only then puts
    /// `files` in place: a refused import writes nothing.
    func place<Written>(files: [String], _ importer: (String, String?) throws(InputError) -> Written)
        throws(InputError) -> Written
    {
        let target = FilePath(out)
        if FileManager.default.fileExists(atPath: target.appending("suite.yaml").string) && !force {
            throw InputError(
                file: target.appending("suite.yaml").string, "a suite is already there; pass --force to replace it")
        }
        let staging = target.removingLastComponent().appending(
            ".\(target.lastComponent?.string ?? "suite").importing-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(atPath: staging.string) }
        let written = try importer(staging.string, id ?? target.lastComponent?.string)
        let problems = SuiteCheck.problems(at: staging.string)
        guard problems.isEmpty else {
            throw InputError(
                problems.map { problem in
                    var moved = problem
                    moved.file = problem.file.replacingOccurrences(of: staging.string, with: out)
                    moved.message = "not imported: " + problem.message
                    return moved
                })
        }
        do {
            if FileManager.default.fileExists(atPath: out) {
                for name in files {
                    try? FileManager.default.removeItem(atPath: target.appending(name).string)
                }
                for name in files {
                    try FileManager.default.moveItem(
                        atPath: staging.appending(name).string, toPath: target.appending(name).string)
                }
            } else {
                try FileManager.default.moveItem(atPath: staging.string, toPath: out)
            }
        } catch {
            throw InputError(file: out, "cannot put the imported suite in place: \(error.localizedDescription)")
        }
        return written
    }
}
