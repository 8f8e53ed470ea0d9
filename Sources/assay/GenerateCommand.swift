import ArgumentParser
import AssayCore
import AssayEvalSets
import Foundation

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic suites that Assay makes itself (no download).",
        discussion: """
            Examples:
              assay generate long-context --lengths 1k,4k,16k --out suites/long-context
              assay generate long-context --lengths 1k,4k,16k,32k,64k,128k --out suites/lc --seed 7 --languages en
            """,
        subcommands: [LongContext.self]
    )

    struct LongContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "long-context",
            abstract: "Write RULER-style long-context suites, one per length, scored by length.",
            discussion: """
                One suite per length, DIR/long-context-<length> (suite.yaml, cases.jsonl), each with
                RULER's kinds of task in every language asked: a single needle at depths 0, 25, 50,
                75 and 100%; four keys in one haystack (a case per key); four values of one key; a
                variable tracked across four hops (with a distracting chain); the three most frequent
                words of a long list; and questions over facts in a long document. Haystacks are
                sentences of public-domain books built into Assay (English; Chinese), drawn in a
                seeded order: the same command writes the same bytes.

                A length is in tokens (1k = 1,024), estimated by Assay's rule: a CJK character is
                1/1.5 token, any other character 1/4; a case's whole prompt (system prompt and
                question included) comes to about its length. Runs check the estimate against the
                prompt_tokens the server reports, and reports use the reported figure. A case whose
                estimate plus max_tokens passes a model's context_window is not sent: it is
                reported unsupported, with the reason.

                Cases are tagged length:<length>, depth:<percent> (where one needle is asked),
                task:<kind>, lang:<language> and haystack:<id>; answers are graded by all-values
                (every expected value in the answer, after case, width and whitespace folding).
                Cases that share a haystack are written one after another, haystack first and
                question last, so that a vendor's prompt cache can serve their common prefix.

                Examples:
                  assay generate long-context --lengths 1k,4k,16k --out suites/long-context
                  assay run --suite suites/long-context/long-context-1k --suite suites/long-context/long-context-4k --model local
                  assay generate long-context --lengths 1k,2k,4k,8k,16k --out suites/lc --languages en --seed 3 --force
                  assay generate long-context --lengths 1k,4k --out suites/lc-small --languages en --tasks niah-multikey
                """
        )

        @Option(
            help: ArgumentHelp(
                "Prompt lengths in tokens, comma-separated: 1k, 4k, 128k or a number (1k = 1,024).",
                valueName: "lengths"))
        var lengths: String = "1k,4k,16k,32k,64k,128k"

        @Option(help: ArgumentHelp("The directory to write the suites under.", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("The seed every draw comes from.", valueName: "n"))
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("Haystack languages, comma-separated: en, zh.", valueName: "languages"))
        var languages: String = "en,zh"

        @Option(
            help: ArgumentHelp(
                "The kinds of task to write, comma-separated (default: all): niah-single, niah-multikey, niah-multivalue, variable-tracking, frequent-words, qa.",
                valueName: "kinds"))
        var tasks: String?

        @Flag(help: "Replace suites that are already there.")
        var force = false

        func run() async throws {
            try await withExitStatus {
                var parsed: [ContextLength] = []
                for item in lengths.split(separator: ",") {
                    let text = item.trimmingCharacters(in: .whitespaces)
                    guard let length = ContextLength(parsing: text) else {
                        throw InputError(
                            file: "--lengths",
                            "'\(text)' is not a length: write 1k, 4k, 128k or a number of tokens from 256 on")
                    }
                    if !parsed.contains(length) { parsed.append(length) }
                }
                var chosen: [HaystackLanguage] = []
                for item in languages.split(separator: ",") {
                    let text = item.trimmingCharacters(in: .whitespaces)
                    guard let language = HaystackLanguage(rawValue: text) else {
                        throw InputError(file: "--languages", "'\(text)' is not a haystack language: en or zh")
                    }
                    if !chosen.contains(language) { chosen.append(language) }
                }
                var kinds = LongContextTask.allCases
                if let tasks {
                    kinds = []
                    for item in tasks.split(separator: ",") {
                        let text = item.trimmingCharacters(in: .whitespaces)
                        guard let kind = LongContextTask(rawValue: text) else {
                            throw InputError(
                                file: "--tasks",
                                "'\(text)' is not a kind of task: \(LongContextTask.allCases.map(\.rawValue).joined(separator: ", "))"
                            )
                        }
                        if !kinds.contains(kind) { kinds.append(kind) }
                    }
                    kinds = LongContextTask.allCases.filter(kinds.contains)
                }
                guard !parsed.isEmpty, !chosen.isEmpty, !kinds.isEmpty else {
                    throw InputError(file: "--lengths", "name at least one length and one language")
                }
                let written = try LongContextGenerator.run(
                    LongContextGenerator.Options(lengths: parsed.sorted(), languages: chosen, seed: seed, tasks: kinds),
                    to: out,
                    force: force)
                for suite in written.suites {
                    print("wrote \(suite.cases) cases to \(suite.directory) (suite.yaml, cases.jsonl)")
                }
            }
        }
    }
}
