import AssayCore
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// The one-interpreter harness (issue 38): the candidate's process is forked from the
/// runner's interpreter instead of started afresh. What it must still not share with the
/// runner (a descriptor, the tests' verdict's output), what it must still have (the site
/// directories, `exit`), and that many cases in flight wait for a slot without holding
/// memory. Speed itself is `assay-bench sandbox`'s to measure, not a test's.
@Suite struct CodeGradingSpeedTests {
    /// The candidate lists its own descriptors: standard input is /dev/null, standard output
    /// is its standard error (not the runner's verdict line), and nothing else is open but the
    /// wire's two pipes (and the directory being listed).
    @Test func theForkedCandidateHoldsNoDescriptorOfTheRunners() async throws {
        let code = """
            import os
            seen = {}
            for name in os.listdir("/proc/self/fd"):
                try:
                    seen[int(name)] = os.readlink("/proc/self/fd/" + name)
                except OSError:
                    pass
            others = {fd: target for fd, target in seen.items() if fd > 2 and not target.startswith("/proc/")}
            pipes = [target for target in others.values() if target.startswith("pipe:")]
            ok = seen.get(0) == "/dev/null" and seen.get(1) == seen.get(2) and len(pipes) == 2 and len(others) == 2
            print("DESCRIPTORS", sorted(seen.items()), "OK" if ok else "BAD")
            def solve():
                return 42 if ok else 0
            """
        let grade = try await SandboxTests.grade(code)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
        #expect(grade.evidence["output"]?.stringValue?.contains("OK") == true, "\(grade.evidence)")
    }

    /// What `site` gave the candidate before Python started with -S: the site directories on
    /// its path (now read from the file Assay writes, not from `site`) and the builtins `exit`,
    /// `quit`, `help`, `copyright`, `credits` and `license`; and it is not the runner (its
    /// parent is).
    @Test func theCandidateStillSeesTheSiteDirectoriesAndExit() async throws {
        let code = """
            import builtins, os, sys
            site_dirs = [path for path in sys.path if path.endswith(("dist-packages", "site-packages"))]
            ok = bool(site_dirs) and callable(getattr(builtins, "exit", None)) and callable(getattr(builtins, "quit", None))
            ok = ok and "Python Software Foundation" in repr(builtins.copyright) and "license" in repr(builtins.license)
            ok = ok and "CWI" in repr(builtins.credits) and "help" in repr(builtins.help)
            print("SITE", site_dirs, "OK" if ok else "BAD")
            def solve():
                return 42 if ok and os.getpid() != os.getppid() else 0
            """
        let grade = try await SandboxTests.grade(code)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
    }

    /// The builtins `site` adds (`exit`, `quit`, `help`) are Python's for the tests too, so a
    /// candidate's own `exit` is not what the tests call (the runner starts with -S and adds
    /// them itself; without that, the tests would be handed the candidate's).
    @Test func theTestsExitIsPythonsNotTheCandidates() async throws {
        let code = """
            def exit(*args):
                return None
            def solve():
                return 42
            """
        let tests =
            "def check(candidate):\n    assert type(exit).__name__ == 'Quitter', type(exit)\n    assert candidate() == 42\n"
        let grade = try await SandboxTests.grade(code, tests: tests)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
    }

    /// 64 cases in flight through a sandbox that runs two at a time: every one is graded, and
    /// the process's memory does not grow with the cases waiting (wide bound: 200 MB).
    @Test(.timeLimit(.minutes(10))) func sixtyFourCasesInFlightAreGradedWithBoundedMemory() async throws {
        let sandbox = try await Sandbox.bubblewrap(concurrency: 2)
        let items = (0..<64).map { index in
            Case(
                id: "c\(index)", input: ["prompt": "Write solve().", "entry_point": "solve"],
                expected: ["tests": .string("def check(candidate):\n    assert candidate() == \(index)\n")],
                line: index + 1)
        }
        let suite = Suite(
            id: "inflight", title: "inflight", kind: .code,
            grader: GraderSpec(name: .code, settings: ["timeout_seconds": 5]),
            prompt: PromptTemplate(template: "{{prompt}}"), cases: items, directory: "/tmp")
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: sandbox))
        let before = Self.residentMB()
        let grades = await withTaskGroup(of: (Int, Grade).self) { group in
            for (index, item) in items.enumerated() {
                let answer = index % 2 == 0 ? "def solve():\n    return \(index)" : "def solve():\n    return -1"
                group.addTask { (index, await grader.grade(item, answer: "```python\n\(answer)\n```")) }
            }
            var grades: [(Int, Grade)] = []
            for await grade in group { grades.append(grade) }
            return grades
        }
        let after = Self.residentMB()
        #expect(grades.count == 64)
        for (index, grade) in grades {
            #expect(grade.outcome == (index % 2 == 0 ? .pass : .fail), "case \(index): \(grade.evidence)")
        }
        #expect(after - before < 200, "resident memory grew from \(before) to \(after) MB")
    }

    static func residentMB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.filter(\.isNumber)
            return (Double(String(digits)) ?? 0) / 1024
        }
        return 0
    }
}
