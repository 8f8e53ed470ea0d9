import AssayCore
import SystemPackage

/// Finds which of the suite's declared labels a free-text answer names.
///
/// suite.yaml declares the labels and their synonyms:
/// ```yaml
/// grader:
///   name: label
///   labels:
///     正面: [积极, 好评, positive]
///     负面: [消极, 差评, negative]
/// ```
/// Answer and labels are compared after `LabelText.normalize` (full-width and half-width
/// forms, traditional and simplified characters, case, quotes and brackets all folded).
/// A label or synonym written in Latin script must stand as a word ("positive" is not found
/// in "positively" or "nonpositive"); one in CJK script is found anywhere. A mention inside
/// a longer mention counts once, as the longer one.
///
/// Exactly one label named: right or wrong. Two different labels named: wrong, as
/// *ambiguous*, whatever the first one was (first-match rules hide this). None: *invalid*.
/// A negated mention ("不是负面") still names its label: ask for the bare label in the prompt.
/// The grade's `extracted` is the label found, so the reports can build the confusion matrix.
public struct LabelGrader: Grader {
    /// The declared labels, in order.
    public let labels: [String]
    let patterns: [(scalars: [Unicode.Scalar], label: String, latin: Bool)]

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        let file = FilePath(suite.directory).appending("suite.yaml").string
        var problems: [Diagnostic] = []
        var labels: [String] = []
        var patterns: [(scalars: [Unicode.Scalar], label: String, latin: Bool)] = []
        var owner: [String: String] = [:]
        let declared: [(String, [JSONValue])]
        switch settings["labels"] {
        case .object(let object): declared = object.keys.sorted().map { ($0, object[$0]?.arrayValue ?? []) }
        case .array(let list): declared = list.compactMap(\.stringValue).map { ($0, []) }
        default:
            throw InputError([
                suite.grader.diagnostic(
                    "labels", file: file,
                    "the label grader needs 'labels': a mapping of each label to its synonyms (or a list of labels)")
            ])
        }
        if case .object(let object) = settings["labels"] {
            for (label, value) in object where value.arrayValue == nil && !value.isNull {
                problems.append(
                    suite.grader.diagnostic("labels", file: file, "the synonyms of label '\(label)' must be a list"))
            }
        }
        for (label, synonyms) in declared {
            labels.append(label)
            for name in [label] + synonyms.compactMap(\.stringValue) {
                let key = String(String.UnicodeScalarView(LabelText.normalize(name))).trimmingCharacters(in: " ")
                guard !key.isEmpty else { continue }
                if let other = owner[key], other != label {
                    problems.append(
                        suite.grader.diagnostic("labels", file: file, "'\(name)' names both '\(other)' and '\(label)'"))
                    continue
                }
                owner[key] = label
                let normalized = Array(key.unicodeScalars)
                patterns.append((normalized, label, normalized.allSatisfy { $0.isASCII }))
            }
        }
        problems += suite.unknownGraderSettings(settings, grader: "label", allowed: ["labels"])
        problems += Self.checkCases(suite, labels: labels)
        if !problems.isEmpty { throw InputError(problems) }
        self.labels = labels
        // Longest first, so that a longer mention claims its span before a shorter one inside it.
        self.patterns = patterns.sorted { $0.scalars.count > $1.scalars.count }
    }

    /// Every case's expected label is one of the declared labels.
    private static func checkCases(_ suite: Suite, labels: [String]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let cases = FilePath(suite.directory).appending("cases.jsonl").string
        for item in suite.cases {
            guard let expected = item.expected["label"]?.stringValue ?? item.expected.stringValue else {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line, "case '\(item.id)': the label grader needs 'expected.label'"))
                continue
            }
            if !labels.contains(expected) {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line,
                        "case '\(item.id)': '\(expected)' is not a declared label (\(labels.joined(separator: ", ")))"))
            }
        }
        return problems
    }

    /// The labels `answer` names, in order of first mention, with the text that named them.
    func mentions(in answer: String) -> [(label: String, text: String)] { scan(answer).mentions }

    /// The labels `answer` names, and whether anything else is left in it once their
    /// mentions are taken out (spaces, quotes and final punctuation aside): an answer that is
    /// more than labels ("The sentiment is positive", "probably 正面") is *off the labels*,
    /// where a confident classifier answers with the label alone.
    func scan(_ answer: String) -> (mentions: [(label: String, text: String)], offLabel: Bool) {
        let text = LabelText.normalize(answer)
        var claimed = [Bool](repeating: false, count: text.count)
        var found: [(start: Int, label: String, text: String)] = []
        for pattern in patterns {
            let length = pattern.scalars.count
            guard length <= text.count else { continue }
            var i = 0
            while i + length <= text.count {
                if text[i] == pattern.scalars[0], text[i..<(i + length)].elementsEqual(pattern.scalars),
                    !claimed[i..<(i + length)].contains(true),
                    !pattern.latin
                        || ((i == 0 || !LabelText.isWordScalar(text[i - 1]))
                            && (i + length == text.count || !LabelText.isWordScalar(text[i + length])))
                {
                    for k in i..<(i + length) { claimed[k] = true }
                    found.append((i, pattern.label, String(String.UnicodeScalarView(pattern.scalars))))
                    i += length
                } else {
                    i += 1
                }
            }
        }
        var seen = Set<String>()
        let mentions = found.sorted { $0.start < $1.start }.filter { seen.insert($0.label).inserted }.map {
            ($0.label, $0.text)
        }
        let ignored: Set<Unicode.Scalar> = [" ", "\n", "\t", "\r", ".", ",", "!", "。", "，", "！", "、"]
        let offLabel = mentions.isEmpty || zip(text, claimed).contains { !$1 && !ignored.contains($0) }
        return (mentions, offLabel)
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let expected = item.expected["label"]?.stringValue ?? item.expected.stringValue ?? ""
        let (named, offLabel) = scan(answer)
        // `offLabel`: for routers that escalate when a cheap model is unsure (`on: [off_label]`).
        var evidence = LabelEvidence(expected: expected, mentioned: named.map(\.label), offLabel: offLabel)
        switch named.count {
        case 0:
            return Grade(outcome: .invalid, score: 0, rule: "no declared label named", evidence: evidence)
        case 1:
            let right = named[0].label == expected
            evidence.matched = named[0].text
            return Grade(
                outcome: right ? .pass : .fail, score: right ? 1 : 0, extracted: named[0].label,
                rule: "one label named", evidence: evidence)
        default:
            evidence.ambiguous = true
            return Grade(outcome: .fail, score: 0, rule: "\(named.count) labels named: ambiguous", evidence: evidence)
        }
    }
}
