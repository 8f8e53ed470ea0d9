import Foundation
import Testing
@testable import AssayGraders

/// Every MATH-500 gold answer, rewritten into equivalent forms (all must be accepted) and perturbed
/// (all must be rejected); prints an agreement table by subject.
@Suite struct MathAgreementTests {
    struct Row {
        var problems = 0, parsed = 0
        var variantsTried = 0, variantsAccepted = 0
        var perturbationsTried = 0, perturbationsRejected = 0
    }

    /// Grades one candidate against the gold; a candidate that cannot be parsed counts as not accepted.
    static func accepted(_ v: Variant, gold: String, slowest: inout (Double, String)) -> (Bool, String) {
        let start = Date()
        defer {
            let t = Date().timeIntervalSince(start)
            if t > slowest.0 {
                slowest = (t, "\(v.text.prefix(80).replacingOccurrences(of: "\n", with: " ")) vs \(gold)")
            }
        }
        var answer = v.text
        if v.viaExtract {
            guard let extracted = FinalAnswer.extract(v.text) else { return (false, "no answer extracted") }
            answer = extracted.answer
        }
        do {
            let verdict = try MathEquivalence.compare(answer: answer, gold: gold)
            return (verdict.equal, verdict.rule)
        } catch {
            return (false, "parse error: \(error.reason)")
        }
    }

    @Test func math500Agreement() throws {
        let problems = try Math500Fixture.load()
        var rows: [String: Row] = [:]
        var failures: [String] = []
        var comparisons = 0
        var variantKinds: [String: Int] = [:]
        var fewVariants: [String] = []
        var perturbationKinds: [String: Int] = [:]
        var slowest: (Double, String) = (0, "")
        let start = Date()
        for p in problems {
            var row = rows[p.subject] ?? Row()
            row.problems += 1
            defer { rows[p.subject] = row }
            guard let gold = try? MathParser.parse(p.answer) else { continue }
            row.parsed += 1
            let variants = VariantGenerator.variants(gold: p.answer, parsed: gold)
            if variants.count < 5 { fewVariants.append(p.answer) }
            for v in variants {
                variantKinds[v.kind, default: 0] += 1
                row.variantsTried += 1
                comparisons += 1
                let (ok, rule) = Self.accepted(v, gold: p.answer, slowest: &slowest)
                if ok {
                    row.variantsAccepted += 1
                } else {
                    failures.append("VARIANT NOT ACCEPTED [\(v.kind)] gold=\(p.answer) answer=\(v.text) (\(rule))")
                }
            }
            for v in Perturbations.perturbations(gold: gold) {
                perturbationKinds[v.kind, default: 0] += 1
                row.perturbationsTried += 1
                comparisons += 1
                let (ok, rule) = Self.accepted(v, gold: p.answer, slowest: &slowest)
                if !ok {
                    row.perturbationsRejected += 1
                } else {
                    failures.append("PERTURBATION ACCEPTED [\(v.kind)] gold=\(p.answer) answer=\(v.text) (\(rule))")
                }
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print("golds with fewer than 5 variants: \(fewVariants.count) \(fewVariants)")
        var total = Row()
        var table = [
            "| subject | gold parsed | variants accepted / tried | perturbations rejected / tried |",
            "|---|---|---|---|",
        ]
        for (subject, r) in rows.sorted(by: { $0.key < $1.key }) {
            table.append(
                "| \(subject) | \(r.parsed)/\(r.problems) | \(r.variantsAccepted)/\(r.variantsTried) | \(r.perturbationsRejected)/\(r.perturbationsTried) |"
            )
            total.problems += r.problems; total.parsed += r.parsed
            total.variantsTried += r.variantsTried; total.variantsAccepted += r.variantsAccepted
            total.perturbationsTried += r.perturbationsTried; total.perturbationsRejected += r.perturbationsRejected
        }
        table.append(
            "| **all** | \(total.parsed)/\(total.problems) | \(total.variantsAccepted)/\(total.variantsTried) | \(total.perturbationsRejected)/\(total.perturbationsTried) |"
        )
        print(table.joined(separator: "\n"))
        print(
            String(
                format: "agreement: %d comparisons in %.3f s (%.1f µs each, parse + extract + compare)",
                comparisons, elapsed, elapsed / Double(max(comparisons, 1)) * 1e6))
        print(String(format: "slowest single comparison: %.1f µs (", slowest.0 * 1e6) + slowest.1 + ")")
        print(
            "variant kinds:",
            variantKinds.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        print(
            "perturbation kinds:",
            perturbationKinds.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        for f in failures { print(f) }
        #expect(failures.isEmpty)
        #expect(total.parsed == problems.count)
    }
}
