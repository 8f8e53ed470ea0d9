import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// Exit codes, as DESIGN.md fixes them.
enum ExitStatus {
    static let gateFailed = ExitCode(1)
    static let badInput = ExitCode(2)
    static let incomplete = ExitCode(3)
}

/// Runs a command body and turns Assay's errors into their messages and exit codes.
///
/// A store that fails while a run writes it leaves the run incomplete (3); a store that
/// cannot be read by a verb that only reads (`readingStore`: report, compare, gate, route)
/// is bad input (2), like any other file that is not what it should be.
func withExitStatus(readingStore: Bool = false, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as InputError {
        Terminal.error(error.description)
        throw ExitStatus.badInput
    } catch let error as StoreError {
        if readingStore {
            Terminal.error("\(error.path): cannot read the store: \(error.message)")
            throw ExitStatus.badInput
        }
        Terminal.error(error.description)
        throw ExitStatus.incomplete
    }
}

/// Writing to the terminal: results on stdout, everything else on stderr.
enum Terminal {
    static func error(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        standardError(lines.map { "error: \($0)" }.joined(separator: "\n") + "\n")
    }

    static func note(_ text: String) {
        standardError(text + "\n")
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var standardErrorIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
}
