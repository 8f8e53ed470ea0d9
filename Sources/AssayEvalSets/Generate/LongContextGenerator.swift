import AssayCore
import Foundation
import SystemPackage

/// Writes long-context suites (`assay generate long-context`): one suite per length,
/// `long-context-<length>`, each with RULER's kinds of task (`LongContextTask`) in every
/// language asked, over haystacks of that many tokens (estimated by `TokenEstimate`'s rule),
/// with needles at several depths. Seeded: the same lengths, languages and seed write the
/// same bytes. Cases that share a haystack are written one after another with the haystack
/// first and the question last, so that a vendor's prompt cache can serve their common prefix.
public enum LongContextGenerator {
    public struct Options: Sendable {
        public var lengths: [ContextLength]
        public var languages: [HaystackLanguage]
        public var seed: UInt64
        /// The kinds of task to write (all, in `LongContextTask`'s order, by default).
        public var tasks: [LongContextTask]

        public init(
            lengths: [ContextLength], languages: [HaystackLanguage] = [.en, .zh], seed: UInt64 = 1,
            tasks: [LongContextTask] = LongContextTask.allCases
        ) {
            self.lengths = lengths
            self.languages = languages
            self.seed = seed
            self.tasks = tasks
        }
    }

    /// What was written: each suite's id, directory and number of cases.
    public struct Written: Sendable {
        public var suites: [(id: String, directory: String, cases: Int)]
    }

    /// The suite id for a length.
    public static func suiteID(_ length: ContextLength) -> String { "long-context-\(length)" }

    /// Writes one suite per length under `directory`. A suite already there is refused unless
    /// `force`.
    public static func run(_ options: Options, to directory: String, force: Bool = false) throws(InputError)
        -> Written
    {
        var written = Written(suites: [])
        var names = UniqueNames(seed: options.seed)
        for length in options.lengths {
            var cases: [GeneratedCase] = []
            for language in options.languages {
                var builder = CaseBuilder(
                    length: length, language: language,
                    seed: mix(options.seed, UInt64(length.tokens), language == .en ? 1 : 2))
                cases += builder.all(names: &names).filter { generated in
                    options.tasks.contains { generated.tags.contains("task:\($0.rawValue)") }
                }
            }
            let id = suiteID(length)
            let target = FilePath(directory).appending(id).string
            var source =
                "seed \(options.seed), length \(length), languages \(options.languages.map(\.rawValue).joined(separator: ","))"
            if options.tasks != LongContextTask.allCases {
                source += ", tasks \(options.tasks.map(\.rawValue).joined(separator: ","))"
            }
            let yaml = SuiteWriter.header(
                EmbeddedFiles.longContextSuiteYaml, id: id,
                title:
                    "Long context at \(length) tokens (\(options.languages.map(\.rawValue).joined(separator: ", ")))",
                source: source)
            try writeHaystacks(cases, to: target, force: force)
            try SuiteWriter.write(
                yaml: yaml, cases: cases.map { ($0.id, $0.input, $0.expected, $0.tags) }, to: target, force: force)
            written.suites.append((id, target, cases.count))
        }
        return written
    }

    /// Each distinct haystack in a file of its own (`haystacks/<lang>-<n>.txt`), written
    /// before the suite so that its check finds them; the files of an earlier generation go
    /// first (`force`), so that none is left over. A suite already there is left alone unless
    /// `force` (`SuiteWriter.write` then refuses it).
    static func writeHaystacks(_ cases: [GeneratedCase], to target: String, force: Bool) throws(InputError) {
        let suitePath = FilePath(target).appending("suite.yaml").string
        if FileManager.default.fileExists(atPath: suitePath) && !force { return }
        let directory = FilePath(target).appending("haystacks").string
        var written: Set<String> = []
        do {
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for item in cases where written.insert(item.haystack.path).inserted {
                try Data(item.haystack.text.utf8).write(
                    to: URL(fileURLWithPath: FilePath(target).appending(item.haystack.path).string), options: .atomic)
            }
        } catch {
            throw InputError(file: directory, "cannot write the haystacks: \(error.localizedDescription)")
        }
    }

    /// A seed for one part of the output, mixed from the run's seed and the part's coordinates.
    static func mix(_ values: UInt64...) -> UInt64 {
        var state: UInt64 = 0x4C43_5345_4544
        for value in values {
            var generator = SeededGenerator(seed: state ^ value)
            state = generator.next()
        }
        return state
    }
}

/// One case as written to cases.jsonl, and its haystack: the file its input names
/// (`context_file`, relative to the suite) and the text written there.
struct GeneratedCase {
    var id: String
    var input: JSONValue
    var expected: JSONValue
    var tags: [String]
    var haystack: (path: String, text: String)
}

/// Keys, names and numbers never used twice in one generation, so that every question is
/// distinct (a question names one case).
struct UniqueNames {
    var generator: SeededGenerator
    var used: Set<String> = []

    init(seed: UInt64) {
        generator = SeededGenerator(seed: LongContextGenerator.mix(seed, 0x4E41_4D45))
    }

    /// One of `make`'s results not used before (after 200 tries, with a number appended).
    mutating func fresh(_ make: (inout SeededGenerator) -> String) -> String {
        for _ in 0..<200 {
            let candidate = make(&generator)
            if used.insert(candidate).inserted { return candidate }
        }
        var suffix = 2
        let base = make(&generator)
        while !used.insert("\(base)\(suffix)").inserted { suffix += 1 }
        return "\(base)\(suffix)"
    }

    mutating func number() -> String { fresh { String($0.pick(1_000_000...9_999_999)) } }

    mutating func variable() -> String {
        fresh { generator in
            String((0..<5).map { _ in Character(Unicode.Scalar(UInt8(65 + generator.pick(0...25)))) })
        }
    }
}
