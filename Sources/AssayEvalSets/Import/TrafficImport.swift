import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// Turns a sample of production requests (JSON Lines, `TrafficRequest`'s shapes) into a chat
/// suite whose cases carry the requests' messages, and a traffic mix derived from the same
/// sample (`traffic.yaml` beside suite.yaml, `TrafficImport+Mix`). Nothing is fetched.
///
/// The grader follows what the sample holds, since a suite has one:
/// - every request has a `label`: **exact-label** (the answer, trimmed and case-folded, is the
///   label);
/// - else every request has a `reference` answer: **ocr**, the edit distance to the reference
///   (CER at most 5%, loosened in suite.yaml): the deterministic grader Assay has for free
///   text against a reference; it passes near-verbatim answers only;
/// - else **answered**: the answer is recorded, not judged (the score is the share answered).
///
/// Labels and references are kept as `expected.label` and `expected.text` whichever grader
/// is chosen. Case ids are the lines' `id`s, else `traffic-0001` and on by the request's place
/// in the file; the same file always gives the same bytes.
public enum TrafficImport {
    /// The traffic mix written beside suite.yaml.
    public static let mixFileName = "traffic.yaml"

    /// The edit-distance threshold a reference answer is graded with (the ocr grader's CER).
    static let referenceThreshold = 0.05

    /// What an import wrote.
    public struct Summary: Sendable {
        public var cases: Int
        public var grader: GraderName
        /// Why this grader, in a sentence.
        public var grading: String
        /// The shares of the derived mix, in the file's order.
        public var shares: [TrafficMix.Share]
        /// How many strings each pattern replaced, in the order the patterns were applied
        /// (patterns that replaced nothing included).
        public var redacted: [(name: String, count: Int)]
        /// Requests left out for a part that is not text (`skipNonText`).
        public var skipped: Int
    }

    /// Writes the suite and its traffic mix in `directory`; every bad line is reported with
    /// `file:line` and nothing is written then.
    @discardableResult
    public static func run(
        _ source: String, to directory: String, id: String? = nil, force: Bool = false,
        redaction: Redaction = .none, skipNonText: Bool = false
    ) throws(InputError) -> Summary {
        var counts: [String: Int] = [:]
        let (requests, skipped) = try readAll(
            source, redaction: redaction, skipNonText: skipNonText, counts: &counts)
        let (grader, grading) = Self.grader(for: requests.map(\.request))
        let suiteID = id ?? (FilePath(directory).lastComponent?.string ?? directory)
        let name = FilePath(source).lastComponent?.string ?? source
        let yaml = SuiteWriter.header(
            EmbeddedFiles.trafficSuiteYaml, id: suiteID, title: "Traffic sample (\(name))", source: name
        )
        .replacingOccurrences(of: "$GRADING", with: grading)
        .replacingOccurrences(of: "$GRADER", with: Self.graderSpec(grader))
        try SuiteWriter.write(
            yaml: yaml,
            cases: requests.map { item in
                var expected: [String: JSONValue] = [:]
                if let label = item.request.label { expected["label"] = .string(label) }
                if let reference = item.request.reference { expected["text"] = .string(reference) }
                return (
                    item.id, ["messages": .array(item.request.messages.map(\.json))], .object(expected),
                    item.request.tags
                )
            }, to: directory, force: force)

        let shares = Self.shares(suite: suiteID, requests: requests.map(\.request))
        let mixPath = FilePath(directory).appending(mixFileName).string
        do {
            try Data(Self.mixYAML(shares, source: name, requests: requests.count).utf8).write(
                to: URL(fileURLWithPath: mixPath), options: .atomic)
        } catch {
            throw InputError(file: mixPath, "cannot write the traffic mix: \(error.localizedDescription)")
        }
        return Summary(
            cases: requests.count, grader: grader, grading: grading, shares: shares,
            redacted: redaction.names.map { ($0, counts[$0] ?? 0) }, skipped: skipped)
    }

    /// Every request of the sample, with its case id, redacted; how many were left out as not
    /// text. Every bad line is reported at once.
    private static func readAll(
        _ source: String, redaction: Redaction, skipNonText: Bool, counts: inout [String: Int]
    ) throws(InputError) -> (requests: [(id: String, request: TrafficRequest)], skipped: Int) {
        var problems: [Diagnostic] = []
        var requests: [(id: String, request: TrafficRequest)] = []
        var ids = CaseIDs()
        var skipped = 0
        for (index, (line, object)) in try JSONLines.objects(in: source, problems: &problems).enumerated() {
            let reading = TrafficRequest.read(
                object, path: source, line: line, skipNonText: skipNonText, problems: &problems)
            guard case .request(var request) = reading else {
                if case .skipped = reading { skipped += 1 }
                continue
            }
            let caseID = request.id ?? String(format: "traffic-%04d", index + 1)
            guard ids.claim(caseID, field: "id", path: source, line: line, problems: &problems) else { continue }
            if !redaction.isEmpty {
                switch redact(&request, with: redaction, counts: &counts) {
                case .success: break
                case .failure(let timeout):
                    problems.append(
                        Diagnostic(
                            file: source, line: line,
                            "redacting '\(timeout.pattern)' took more than \(Redaction.timeLimit) s on this request: nothing was written (simplify the pattern, or take the line out)"
                        ))
                    continue
                }
            }
            requests.append((caseID, request))
        }
        if requests.isEmpty && problems.isEmpty {
            problems.append(
                Diagnostic(
                    file: source,
                    skipped > 0
                        ? "no requests left: all \(skipped) had parts that are not text (--skip-non-text)"
                        : "no requests in the file"))
        }
        if !problems.isEmpty { throw InputError(problems) }

        return (requests, skipped)
    }

    /// The request with every message's text and its reference redacted; the pattern that
    /// ran out of time, if one did.
    static func redact(_ request: inout TrafficRequest, with redaction: Redaction, counts: inout [String: Int])
        -> Result<Void, Redaction.Timeout>
    {
        var found: [String: Int] = [:]
        for index in request.messages.indices {
            switch redaction.apply(to: request.messages[index].text, counts: &found) {
            case .success(let text): request.messages[index].text = text
            case .failure(let timeout): return .failure(timeout)
            }
        }
        if let reference = request.reference {
            switch redaction.apply(to: reference, counts: &found) {
            case .success(let text): request.reference = text
            case .failure(let timeout): return .failure(timeout)
            }
        }
        counts.merge(found, uniquingKeysWith: +)
        return .success(())
    }

    /// The grader the sample allows, and why, for suite.yaml's comment.
    static func grader(for requests: [TrafficRequest]) -> (GraderName, String) {
        let labelled = requests.count(where: { $0.label != nil })
        let referenced = requests.count(where: { $0.reference != nil })
        if labelled == requests.count {
            return (.exactLabel, "Every request has a label: the answer, trimmed and case-folded, must be it.")
        }
        if referenced == requests.count {
            return (
                .ocr,
                "Every request has a reference answer: graded by edit distance to it (character error rate at most \(Int(referenceThreshold * 100))%; raise cer_threshold for free-text answers)."
            )
        }
        if labelled + referenced == 0 {
            return (.answered, "No request has a label or a reference answer: answers are recorded, not judged.")
        }
        return (
            .answered,
            "Only \(labelled) of \(requests.count) requests have a label and \(referenced) a reference answer: answers are recorded, not judged (labels are kept as expected.label, references as expected.text)."
        )
    }

    /// suite.yaml's `grader:` value for `grader`.
    static func graderSpec(_ grader: GraderName) -> String {
        grader == .ocr ? "{name: ocr, cer_threshold: \(referenceThreshold)}" : grader.rawValue
    }
}
