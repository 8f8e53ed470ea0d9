import AssayCore
import Foundation
import SystemPackage

/// Converts GSM8K-format JSON Lines (`question`, and `answer`: the worked solution ending in
/// `#### N`) into a math suite graded by the numeric grader. The number after `####`, without
/// its thousands separators, is the expected answer; the worked solution is kept as
/// `expected.solution`, never shown. Nothing is fetched.
public enum GSM8KImport {
    @discardableResult
    public static func run(_ source: String, to directory: String, id: String? = nil, force: Bool = false)
        throws(InputError) -> Int
    {
        var problems: [Diagnostic] = []
        var cases: [(id: String, input: JSONValue, expected: JSONValue, tags: [String])] = []
        var ids = CaseIDs()
        for (index, (line, object)) in try JSONLines.objects(in: source, problems: &problems).enumerated() {
            guard
                let fields = JSONLines.texts(
                    ["question", "answer"], of: object, path: source, line: line, problems: &problems)
            else {
                continue
            }
            guard let marker = fields[1].range(of: "####", options: .backwards) else {
                problems.append(Diagnostic(file: source, line: line, "'answer' must end with '#### N'"))
                continue
            }
            let final = fields[1][marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: ",", with: "")
            guard !final.isEmpty, Double(final) != nil || final.contains("/") else {
                problems.append(
                    Diagnostic(file: source, line: line, "the answer after '####' is not a number: '\(final)'"))
                continue
            }
            let solution = String(fields[1][..<marker.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
            let caseID = object["id"]?.templateText ?? String(format: "gsm8k-%04d", index + 1)
            guard ids.claim(caseID, field: "id", path: source, line: line, problems: &problems) else { continue }
            cases.append(
                (
                    caseID, ["question": .string(fields[0])],
                    ["answer": .string(final), "solution": .string(solution)], ["gsm8k"]
                ))
        }
        if cases.isEmpty && problems.isEmpty { problems.append(Diagnostic(file: source, "no problems in the file")) }
        if !problems.isEmpty { throw InputError(problems) }
        try SuiteWriter.write(
            template: EmbeddedFiles.gsm8kSuiteYaml, title: "GSM8K-format problems", source: source, id: id,
            cases: cases, to: directory,
            force: force)
        return cases.count
    }
}
