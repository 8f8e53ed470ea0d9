import AssayCore
import Foundation

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
enum CodeHarness {
    /// The harness's files, written beside the candidate into the sandbox's read-only `/src`.
    static var files: [String: String] { ["runner.py": runner, "worker.py": worker, "wire.py": wire] }

    /// What the runner reads on its standard input, as JSON.
    static func instructions(nonce: String, tests: String, entryPoint: String, timeoutSeconds: Double, prompt: String?) -> String {
        var object: [String: JSONValue] = [
            "nonce": .string(nonce), "tests": .string(tests), "entry_point": .string(entryPoint), "timeout": .double(timeoutSeconds),
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
