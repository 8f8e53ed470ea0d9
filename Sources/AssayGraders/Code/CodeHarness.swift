import AssayCore
import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The test harness of the code grader: the hidden tests and the model's code run in two
/// processes, and only plain data crosses between them.
///
/// `runner.py` (trusted) reads its instructions on standard input: the tests, the entry point,
/// the time limit, the prompt when the suite's prompts are Python, and a nonce. It closes its
/// input, makes itself undumpable (a process of the same user can then neither read its memory
/// nor open its descriptors), prints `<nonce> ready`, and starts `worker.py`, which imports
/// the model's code as the module `candidate` (so its `if __name__ == "__main__":` block does
/// not run). The tests run in the runner and see, of the candidate's module, only the entry
/// point and the names they look up that are not builtins, standard modules or their own
/// (so a candidate's `abs` or `isinstance` never replaces Python's in the tests), with the
/// prompt's own definitions over the candidate's redefinitions of them (`wanted_names` in
/// `runner.py`); every call into the candidate crosses the wire
/// (`wire.py`), and only plain data comes back, never an object whose `__eq__` the candidate
/// wrote. The verdict is one line, `<nonce> {json} <nonce>`, on the runner's standard output,
/// which the candidate's process does not hold; its own output goes to standard error.
///
/// So nothing the candidate can do passes a wrong answer: printing any marker, exiting early
/// (with any status), `sys.exit`, `os._exit`, `atexit`, monkeypatching `check` or rewriting
/// `builtins` happen in a process whose word is not taken, and defining `abs` or `len` at
/// module level changes only the candidate's own names; the tests are not in its files,
/// and the runner's memory and descriptors are closed to it.
///
/// One interpreter starts per case: the runner forks the candidate's process from itself
/// before it reads the tests (the child closes every descriptor of the runner's but the
/// wire's, and runs nothing of the candidate's before the runner asks), and the harness's
/// modules come compiled (`compiled(for:)`), so that no case compiles them again.
enum CodeHarness {
    /// The harness's files, written beside the candidate into the sandbox's read-only `/src`.
    ///
    /// Their text is in `Code/Harness/*.py`, built into the module by the EmbedFiles plugin
    /// (`EmbeddedFiles`), so that the grader travels with the binary; each file is a whole
    /// module, written out as it is.
    static var files: [String: String] { [main: entry, "runner.py": runner, "worker.py": worker, "wire.py": wire] }

    /// The program the sandbox runs.
    static let main = "main.py"

    /// `main.py`: imports the runner, so that Python reads it compiled (a script's own code is
    /// compiled afresh on every start, an imported module's is read from `__pycache__`).
    static var entry: String { EmbeddedFiles.mainPy }

    /// `runner.py`: the trusted process that runs the hidden tests and writes the verdict.
    static var runner: String { EmbeddedFiles.runnerPy }

    /// `worker.py`: the candidate's process, which imports the model's code and answers the runner.
    static var worker: String { EmbeddedFiles.workerPy }

    /// `wire.py`: the value codec and the request/reply protocol both processes share.
    static var wire: String { EmbeddedFiles.wirePy }

    /// The harness's modules compiled by `python` (`__pycache__/<module>.<tag>.pyc` -> the
    /// bytes), once per interpreter and process: compiling them cost each case about 10 ms.
    /// Hash-checked (PEP 552): Python compares the source's hash with the one in the file and
    /// compiles the source when they differ, so a stale file is never run. With them,
    /// `site-packages.txt`: the interpreter's `site.getsitepackages()`, one a line, which the
    /// runner puts on the path without importing `site` (and `os` with it). Empty when the
    /// interpreter cannot compile them here: the sandbox then compiles them, as before.
    static func compiled(for python: String) async -> [String: Data] {
        let task = compilations.withLock { tasks in
            if let task = tasks[python] { return task }
            let task = Task { await compile(python: python) }
            tasks[python] = task
            return task
        }
        return await task.value
    }

    private static let compilations = Mutex<[String: Task<[String: Data], Never>]>([:])

    private static func compile(python: String) async -> [String: Data] {
        let directory = FilePath(NSTemporaryDirectory()).appending("assay-harness-\(UUID().uuidString)").string
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let modules = ["runner.py": runner, "worker.py": worker, "wire.py": wire]
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            for (name, source) in modules {
                try Data(source.utf8).write(to: URL(fileURLWithPath: FilePath(directory).appending(name).string))
            }
        } catch {
            return [:]
        }
        let paths = modules.keys.sorted().map { FilePath(directory).appending($0).string }
        guard
            let result = try? await Subprocess.run(
                .path(FilePath(python)), arguments: Arguments(["-I", "-S", "-c", EmbeddedFiles.precompilePy] + paths),
                environment: .custom(["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]), output: .string(limit: 65536),
                error: .discarded),
            result.terminationStatus == .exited(0)
        else { return [:] }
        let sitePackages = result.standardOutput
        let cache = FilePath(directory).appending("__pycache__").string
        var compiled: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? [] where name.hasSuffix(".pyc") {
            if let data = FileManager.default.contents(atPath: FilePath(cache).appending(name).string) {
                compiled["__pycache__/" + name] = data
            }
        }
        guard compiled.count == modules.count else { return [:] }
        compiled["site-packages.txt"] = Data(sitePackages.utf8)
        return compiled
    }

    /// What the runner reads on its standard input, as JSON.
    static func instructions(nonce: String, tests: String, entryPoint: String, timeoutSeconds: Double, prompt: String?)
        -> String
    {
        var object: [String: JSONValue] = [
            "nonce": .string(nonce), "tests": .string(tests), "entry_point": .string(entryPoint),
            "timeout": .double(timeoutSeconds),
        ]
        if let prompt { object["prompt"] = .string(prompt) }
        return JSONValue.object(object).compactJSON
    }

    /// The runner's verdict.
    struct Verdict: Decodable, Sendable {
        var outcome: String
        var error: String?
        var assertion: String?
        var traceback: String?
        var candidateTraceback: String?
        var signal: Int?
        var candidateCPUSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case outcome, error, assertion, traceback, signal
            case candidateTraceback = "candidate_traceback"
            case candidateCPUSeconds = "candidate_cpu_seconds"
        }
    }

    /// What the runner printed: whether it started (`<nonce> ready`), and its verdict, if any.
    static func read(_ stdout: String, nonce: String) -> (ready: Bool, verdict: Verdict?) {
        var ready = false
        var verdict: Verdict?
        let framing = nonce + " "
        for line in stdout.split(separator: "\n") where line.hasPrefix(framing) {
            if line == framing + "ready" {
                ready = true
            } else if line.hasSuffix(" " + nonce) {
                let json = line.dropFirst(framing.count).dropLast(nonce.count + 1)
                verdict = try? JSONDecoder().decode(Verdict.self, from: Data(json.utf8))
            }
        }
        return (ready, verdict)
    }
}
