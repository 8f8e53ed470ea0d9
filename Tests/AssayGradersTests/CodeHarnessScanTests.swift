import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayGraders

/// The runner reads the names the tests may take from the candidate (`scan` in `runner.py`)
/// from symtable's C half on Python 3.11, with the rules of the symtable module written out
/// (the module cost each case about a millisecond). Both readings must agree, name for name,
/// on sources that exercise every rule: module level, functions, classes, `global`,
/// `nonlocal`, comprehensions, lambdas, imports in functions, and a function named `top`
/// (symtable takes any table named "top" for the module's). With `ASSAY_HUMANEVAL`, on every
/// HumanEval task's tests and prompt too. (On another Python both are the module's reading.)
@Suite struct CodeHarnessScanTests {
    static let sources: [String] = [
        "def check(candidate):\n    assert candidate(1) == helper(2)\n    assert abs(x) < eps\n",
        "import math\nfrom typing import List\nx = 1\ndef f(a, *b, **c):\n    global g, h\n    g = a\n    return h + y\n",
        "class C:\n    attr = outside\n    def m(self):\n        return self.attr + free\n    class D:\n        z = C\n",
        "def outer():\n    v = 1\n    def inner():\n        nonlocal v\n        v += w\n        return lambda q: q + v + u\n    return inner\n",
        "items = [k for k in source if k in wanted]\nsquares = {k: k * k for k in range(n)}\ngen = (t for t in table)\n",
        "def top():\n    local = 1\n    return local + glob\ntop_level = top()\n",
        "def f():\n    import os\n    from sys import path as p\n    global imported\n    import imported\n    return os, p\n",
        "try:\n    pass\nexcept Exception as error:\n    handled = error\nwith open(name) as handle:\n    data = handle.read()\n",
        "if (n := count()) > 1:\n    total = [y := v for v in values]\ndel total\nasync def a():\n    await thing\n",
        "x: int = 1\ny: Annotated\ndef f(p: Type) -> Ret:\n    z: Local = p\n    return z\n",
    ]

    @Test func theRunnersScanAgreesWithTheSymtableModule() async throws {
        var sources = Self.sources
        if let path = ProcessInfo.processInfo.environment["ASSAY_HUMANEVAL"],
            FileManager.default.fileExists(atPath: path)
        {
            sources += try Self.humanEvalSources(path)
        }
        let report = try await Self.compare(sources)
        #expect(report.contains("agree \(sources.count) of \(sources.count)"), "\(report)")
    }

    /// Runs `runner.scan` and `runner._scan_with_symtable` on every source with
    /// /usr/bin/python3; says how many agreed, and the first that did not.
    static func compare(_ sources: [String]) async throws -> String {
        let dir = try TempDirectory()
        defer { dir.remove() }
        for (name, text) in CodeHarness.files {
            try text.write(toFile: dir.path(name), atomically: false, encoding: .utf8)
        }
        let input = try JSONSerialization.data(withJSONObject: sources)
        try input.write(to: URL(fileURLWithPath: dir.path("sources.json")))
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import runner
            sources = json.load(open(sys.argv[1] + "/sources.json"))
            agree, first = 0, None
            for source in sources:
                fast, slow = runner.scan(source, "<s>"), runner._scan_with_symtable(source, "<s>")
                if fast == slow and (fast[0] or fast[1]):
                    agree += 1
                elif first is None:
                    first = (source, sorted(fast[0]), sorted(fast[1]), sorted(slow[0]), sorted(slow[1]))
            print("python %d.%d: agree %d of %d; first disagreement: %r" % (sys.version_info[:2] + (agree, len(sources), first)))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-I", "-S", "-c", script, dir.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func humanEvalSources(_ path: String) throws -> [String] {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var jsonl = path
        if path.hasSuffix(".gz") {
            jsonl = dir.path("HumanEval.jsonl")
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/sh")
            gunzip.arguments = ["-c", #"gzip -dc "$1" > "$2""#, "sh", path, jsonl]
            try gunzip.run()
            gunzip.waitUntilExit()
        }
        var sources: [String] = []
        for line in try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                continue
            }
            for key in ["test", "prompt"] {
                if let text = object[key] as? String { sources.append(text) }
            }
        }
        return sources
    }
}
