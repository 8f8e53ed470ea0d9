import AssayCore
import AssayEvalSets
import AssayGraders

/// Everything `assay validate` checks in a suite: the files (SuiteLoader), the grader's
/// settings and each case's expectation (the grader itself), and the images and sound clips
/// (CaseImages, CaseAudio).
public enum SuiteCheck {
    public static func problems(at path: String) -> [Diagnostic] {
        let fileProblems = SuiteLoader.validate(path)
        guard fileProblems.isEmpty else { return fileProblems }
        do {
            let suite = try SuiteLoader.load(path)
            var problems: [Diagnostic] = []
            do {
                // Nothing runs here: the sandbox only lets the code grader check its settings.
                _ = try Graders.make(for: suite, context: GraderContext(sandbox: Sandbox.unsandboxed()))
            } catch {
                problems += error.diagnostics
            }
            do {
                _ = try CaseImages.load(suite)
            } catch {
                problems += error.diagnostics
            }
            do {
                _ = try CaseAudio.load(suite)
            } catch {
                problems += error.diagnostics
            }
            return problems
        } catch {
            return error.diagnostics
        }
    }
}
