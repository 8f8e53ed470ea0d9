import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The docs run as written: every repository file that README.md, docs/*.md or an `assay …
/// --help` (or `assay-bench … --help`) names exists, and every example `assay …` and
/// `assay-bench …` command line in them uses only flags its verb takes, as that verb's own
/// --help lists them.
@Suite struct DocsRunTests {
    /// Paths under the repository's folders anywhere in the text, and the configuration and
    /// data files example commands read, wherever they are.
    @Test func everyFileTheDocsNameExists() async throws {
        var missing: [String] = []
        for doc in try await DocText.all() {
            let created = DocText.outPaths(in: doc.text)
            let commands = DocText.Program.allCases.flatMap { DocText.commands(in: doc.text, program: $0) }
            let files = DocText.repoPaths(in: doc.text) + commands.flatMap(DocText.fileArguments(in:))
            for path in files where !DocText.userFiles.contains(path) {
                if created.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
                if !FileManager.default.fileExists(atPath: PackagePaths.root + "/" + path) {
                    missing.append("\(doc.source): \(path)")
                }
            }
        }
        #expect(
            missing.isEmpty,
            "named in the docs, not in the repository:\n\(Set(missing).sorted().joined(separator: "\n"))")
    }

    @Test(arguments: DocText.Program.allCases)
    func everyExampleCommandUsesFlagsItsVerbTakes(program: DocText.Program) async throws {
        let verbs = try await DocText.verbFlags(program)
        switch program {
        case .assay:
            #expect(
                verbs["run"]?.contains("--plan") == true && verbs["route simulate"]?.contains("--traffic") == true,
                "\(verbs)")
            #expect(verbs.keys.allSatisfy { !$0.contains("bench") }, "assay lists no benchmark: \(verbs.keys.sorted())")
        case .bench:
            #expect(verbs["sandbox"]?.contains("--humaneval") == true && verbs["timing"] != nil, "\(verbs)")
        }
        var wrong: [String] = []
        var checked = 0
        for doc in try await DocText.all() {
            for command in DocText.commands(in: doc.text, program: program) {
                guard let verb = command.first else { continue }
                guard let groupFlags = verbs[verb] else {
                    wrong.append(
                        "\(doc.source): `\(program.rawValue) \(command.joined(separator: " "))`: no verb '\(verb)'")
                    continue
                }
                var flags = groupFlags
                if command.count > 1, let subverbFlags = verbs["\(verb) \(command[1])"] { flags = subverbFlags }
                checked += 1
                for flag in DocText.flags(in: command) where !flags.contains(flag) {
                    wrong.append(
                        "\(doc.source): `\(program.rawValue) \(command.joined(separator: " "))`: \(flag) is not an option of this verb"
                    )
                }
            }
        }
        #expect(checked > (program == .assay ? 50 : 10), "the example commands were found (\(checked))")
        #expect(wrong.isEmpty, "\(Set(wrong).sorted().joined(separator: "\n"))")
    }

    /// A folder of suites (no suite.yaml of its own, suites below it) stands for each of them,
    /// on the command line and in a plan; a folder with no suite anywhere is refused, named.
    @Test func aFolderOfSuitesRunsEverySuiteBelowIt() async throws {
        let dir = try TempDirectory("assay-folder")
        defer { dir.remove() }
        let folder = "evalsets/chinese-classification"
        let server = try await ServeTest(["--suite", folder, "--ttft-ms", "1", "--chunk-delay-ms", "0"])
        defer { server.stop() }
        let common = [
            "--model", "v4-flash", "--quiet", "--base-url", "unified=\(server.baseURL)", "--reports",
            dir.path("reports"),
        ]
        let environment = ["ASSAY_UNIFIED_API_KEY": "test-key"]

        let bySuite = try await runAssay(
            ["run", "--suite", folder, "--store", dir.path("suite.sqlite")] + common, environment: environment)
        #expect(bySuite.status == 0, "\(bySuite)")
        try dir.write("plan.yaml", "suites: [\(PackagePaths.root)/\(folder)]\nmodels: [v4-flash]\n")
        let byPlan = try await runAssay(
            ["run", "--plan", dir.path("plan.yaml"), "--store", dir.path("plan.sqlite")] + common,
            environment: environment)
        #expect(byPlan.status == 0, "\(byPlan)")
        for store in ["suite.sqlite", "plan.sqlite"] {
            let manifest = try #require(try await Store(path: dir.path(store)).runs().first)
            #expect(manifest.suites.map(\.id).sorted() == ["zh-intent", "zh-sentiment"], "\(store)")
            let results = try await Store(path: dir.path(store)).results(run: manifest.id)
            #expect(
                results.count == 76 && results.allSatisfy { $0.grade?.outcome == .pass },
                "\(store): every case of both suites, answered right")
        }

        try dir.write("empty/notes/readme.txt", "no suite here")
        let refused = try await runAssay(
            ["run", "--suite", dir.path("empty"), "--store", dir.path("never.sqlite")] + common,
            environment: environment)
        #expect(refused.status == 2, "\(refused)")
        #expect(
            refused.stderr.contains(
                "\(dir.path("empty")): no suite.yaml in this directory or in any directory below it"),
            "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("never.sqlite")), "bad input leaves no store behind")
    }

    /// plans/nightly.yaml, which README.md and docs/CI.md run, holds what it says: every
    /// shipped suite and every hosted model of the catalog. One small shard of it runs against
    /// the scripted server, so its suites load and its models resolve.
    @Test func theNightlyPlanRunsEveryShippedSuiteOnEveryHostedModel() async throws {
        let dir = try TempDirectory("assay-nightly")
        defer { dir.remove() }
        let server = try await ServeTest(["--ttft-ms", "1", "--chunk-delay-ms", "0"])
        defer { server.stop() }
        let run = try await runAssay(
            [
                "run", "--plan", "plans/nightly.yaml", "--shard", "1/400", "--epochs", "1", "--quiet",
                "--unsafe-no-sandbox",
                "--base-url", "unified=\(server.baseURL)", "--store", dir.path("s.sqlite"), "--reports",
                dir.path("reports"),
            ],
            environment: ["ASSAY_UNIFIED_API_KEY": "test-key"])
        #expect(run.status == 0, "\(run)")
        let manifest = try #require(try await Store(path: dir.path("s.sqlite")).runs().first)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.root + "/evalsets").filter {
            !$0.hasPrefix(".")
        }
        #expect(
            shipped.count == 10 && manifest.suites.count == 11, "\(shipped); chinese-classification holds two suites")
        let models = try await runAssay(["models", "--json"])
        let hosted = try JSONDecoder().decode(JSONValue.self, from: Data(models.stdout.utf8))["models"]?.arrayValue?
            .filter { $0["endpoint"]?.stringValue == "unified" }.compactMap { $0["id"]?.stringValue }
        #expect(hosted?.count == 18 && Set(manifest.models) == Set(hosted ?? []), "\(manifest.models)")
    }
}

/// The text of README.md, docs/*.md and every verb's --help, and what it names.
enum DocText {
    /// The programs whose command lines the docs show.
    enum Program: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case assay
        case bench = "assay-bench"

        var testDescription: String { rawValue }

        func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
            switch self {
            case .assay: try await runAssay(arguments, environment: environment)
            case .bench: try await runBench(arguments, environment: environment)
            }
        }
    }

    struct Source {
        var source: String
        var text: String
    }

    /// Files the examples take from the user, not from the repository. Keep it small: a file
    /// a user should find belongs in the repository.
    static let userFiles: Set<String> = [
        "HumanEval.jsonl", "gsm8k-test.jsonl", "test.jsonl", "math500.jsonl",  // public benchmarks, for `assay import`
        "model_prices_and_context_window_backup.json", "map.json",  // LiteLLM's price map, for `assay prices import`
        "prompts.jsonl",  // a sample of the user's own production requests, for `assay import traffic`
    ]

    /// The folders whose files the docs name; a name under one of them must exist.
    static let folders = ["plans", "routing", "gates", "traffic", "evalsets", "schemas", "scripts", "catalog", "docs"]

    static func all() async throws -> [Source] {
        var sources = [Source(source: "README.md", text: try read("README.md"))]
        for name in try FileManager.default.contentsOfDirectory(atPath: PackagePaths.root + "/docs").sorted()
        where name.hasSuffix(".md") {
            sources.append(Source(source: "docs/\(name)", text: try read("docs/\(name)")))
        }
        for program in Program.allCases {
            sources += (try await helps(program)).map {
                Source(source: "\(program.rawValue) \($0.verb) --help", text: $0.text)
            }
        }
        return sources
    }

    /// Every verb, subcommands as "route simulate", with the flags its --help lists.
    static func verbFlags(_ program: Program = .assay) async throws -> [String: Set<String>] {
        Dictionary(uniqueKeysWithValues: try await helps(program).map { ($0.verb, options(in: $0.text)) })
    }

    struct VerbHelp: Sendable {
        var verb: String
        var text: String
    }

    /// Every verb's --help (subcommands as "route simulate"), read once per test process.
    static func helps(_ program: Program) async throws -> [VerbHelp] {
        switch program {
        case .assay: try await assayHelps.value
        case .bench: try await benchHelps.value
        }
    }

    static let assayHelps = Task { try await readHelps(.assay) }
    static let benchHelps = Task { try await readHelps(.bench) }

    static func readHelps(_ program: Program) async throws -> [VerbHelp] {
        var helps: [VerbHelp] = []
        for verb in subcommands(in: try await help("", program)) {
            let text = try await help(verb, program)
            helps.append(VerbHelp(verb: verb, text: text))
            for subverb in subcommands(in: text) {
                helps.append(VerbHelp(verb: "\(verb) \(subverb)", text: try await help("\(verb) \(subverb)", program)))
            }
        }
        return helps
    }

    /// `assay VERB --help` (or `assay-bench VERB --help`), on lines wide enough that no
    /// example is wrapped.
    static func help(_ verb: String, _ program: Program = .assay) async throws -> String {
        let result = try await program.run(
            verb.split(separator: " ").map(String.init) + ["--help"], environment: ["COLUMNS": "400"])
        guard result.status == 0 else {
            throw CommandError(description: "\(program.rawValue) \(verb) --help: \(result)")
        }
        return result.stdout
    }

    /// The names listed under SUBCOMMANDS: in a --help.
    static func subcommands(in help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        return lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.compactMap { line in
            let name = line.dropFirst(2).prefix { !$0.isWhitespace }
            return name.first?.isLowercase == true ? String(name) : nil
        }
    }

    /// The long flags an OPTIONS: section defines (`--stream/--no-stream` gives both).
    static func options(in help: String) -> Set<String> {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        var flags: Set<String> = ["--help"]
        guard let start = lines.firstIndex(of: "OPTIONS:") else { return flags }
        for line in lines[(start + 1)...] where line.trimmingCharacters(in: .whitespaces).hasPrefix("-") {
            // The synopsis ends where the help text starts, after two spaces.
            let synopsis = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")[0]
            flags.formUnion(matches(of: #"--[A-Za-z0-9][A-Za-z0-9-]*"#, in: synopsis).map { $0[0] })
        }
        return flags
    }

    /// Paths under `folders` named in `text`: `plans/ci.yaml`, `../scripts/ci-gate` (a link
    /// from docs/), not `plans/*.yaml` or `evalsets/<suite>/`, and not the tail of a URL.
    static func repoPaths(in text: String) -> [String] {
        let pattern = #"(?<![A-Za-z0-9_./:-])(?:\.\./)?((?:"# + folders.joined(separator: "|") + #")/[A-Za-z0-9_./-]+)"#
        return matches(of: pattern, in: text).map { match in
            var path = match[1]
            while path.hasSuffix(".") || path.hasSuffix("/") { path.removeLast() }
            return path
        }
    }

    /// Paths an example writes (`--out evalsets/gsm8k`): they need not exist before it runs.
    static func outPaths(in text: String) -> [String] {
        matches(of: #"--out\s+([A-Za-z0-9_./-]+)"#, in: text).map {
            $0[1].trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        }
    }

    /// Every `assay VERB …` command line in `text` (`assay-bench VERB …` for `.bench`), as its
    /// words after the program's name: in code blocks (continued lines joined), in backticks,
    /// after a path (`.build/release/assay`) or `swift run -c release`, each ending at a closing
    /// backtick, a comment, a pipe, `&&`, `||`, `;` or a redirection.
    static func commands(in text: String, program: Program = .assay) -> [[String]] {
        let joined = text.replacingOccurrences(of: #"\\\n\s*"#, with: " ", options: .regularExpression)
        var commands: [[String]] = []
        for line in joined.split(separator: "\n").map(String.init) {
            for start in ranges(
                of: #"(?:^|(?<=[\s`(]))(?:[A-Za-z0-9_./-]*/)?"# + program.rawValue + #" (?=[a-z])"#, in: line)
            {
                var rest = (line as NSString).substring(from: start.upperBound)
                for end in ["`", " #", "|", "&&", ";", ">"] {
                    if let range = rest.range(of: end) { rest = String(rest[..<range.lowerBound]) }
                }
                commands.append(rest.split(whereSeparator: \.isWhitespace).map(String.init))
            }
        }
        return commands
    }

    /// The configuration and data files a command's words name (`.yaml`, `.json`, `.jsonl`),
    /// globs (`plans/*.yaml`) and stores (`.sqlite`, made by the run) aside.
    static func fileArguments(in command: [String]) -> [String] {
        command.filter { matches(of: #"^[A-Za-z0-9_./-]+\.(ya?ml|jsonl?)$"#, in: $0).count == 1 }
    }

    /// The flags of a command's words: `--max-cost` of `--max-cost 5` and of `--max-cost=5`.
    static func flags(in command: [String]) -> [String] {
        command.filter { $0.hasPrefix("--") && $0.count > 2 }.compactMap { word in
            matches(of: #"^--[A-Za-z0-9][A-Za-z0-9-]*"#, in: word).first?[0]
        }
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: PackagePaths.root + "/" + relative, encoding: .utf8)
    }

    /// Each match of `pattern` in `text`: the whole match, then each group ("" when unmatched).
    static func matches(of pattern: String, in text: String) -> [[String]] {
        let nsText = text as NSString
        return results(of: pattern, in: text).map { match in
            (0..<match.numberOfRanges).map { index in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : nsText.substring(with: range)
            }
        }
    }

    /// Where each match of `pattern` is in `text`, in UTF-16 offsets (NSString's).
    static func ranges(of pattern: String, in text: String) -> [Range<Int>] {
        results(of: pattern, in: text).map { $0.range.location..<($0.range.location + $0.range.length) }
    }

    static func results(of pattern: String, in text: String) -> [NSTextCheckingResult] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else {
            Issue.record("not a regular expression: \(pattern)")
            return []
        }
        return regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }
}
