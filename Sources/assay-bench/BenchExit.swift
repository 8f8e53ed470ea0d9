import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// Runs a benchmark's body and turns Assay's errors into their messages and exit codes, as
/// `assay` does: bad input 2, a store that fails under a run 3.
func withExitStatus(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as InputError {
        Terminal.error(error.description)
        throw ExitCode(2)
    } catch let error as StoreError {
        Terminal.error(error.description)
        throw ExitCode(3)
    }
}

/// Notes and errors on standard error; the figures go to standard output.
enum Terminal {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        note(
            text.split(separator: "\n", omittingEmptySubsequences: false).map { "error: \($0)" }.joined(separator: "\n")
        )
    }
}
