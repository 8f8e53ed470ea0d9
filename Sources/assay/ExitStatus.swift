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
///
/// The command runs in a `ClientHost`: the run loops of the PostgreSQL stores it opens are
/// child tasks of it, ended when it is.
func withExitStatus(readingStore: Bool = false, _ body: () async throws -> Void) async throws {
    try await ClientHost.run {
        do {
            try await exitStatus(readingStore: readingStore, body)
        } catch {
            await StoredRuns.closeAll()
            throw error
        }
        await StoredRuns.closeAll()
    }
}

private func exitStatus(readingStore: Bool, _ body: () async throws -> Void) async throws {
    do {
        try await body()
        for pattern in BoundedRegex.givenUp {
            Terminal.note(
                "warning: prompt_regex '\(pattern.prefix(200))' ran past \(BoundedRegex.timeLimit) s on one prompt and matched nothing "
                    + "from then on: the routing above treats it as not matching; write it without nested or repeated wildcards"
            )
        }
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
///
/// Text from suites, stores and models reaches the terminal through here (and through this
/// module's `print`, which shadows the standard one): its control characters are made
/// visible first (`safe`), so that an answer or a case id holding `ESC [2J` or an OSC
/// sequence cannot clear the screen, retitle the window or forge a line of output.
enum Terminal {
    /// `text` with every control character but newline and tab shown, not sent: C0 (ESC
    /// included) and DEL as their Unicode control pictures (`␛`, `␡`), C1 as `\u{9B}`.
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x00..<0x20: out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case 0x7F: out += "\u{2421}"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00..<0x20, 0x7F, 0x80..<0xA0: true
        default: false
        }
    }

    static func error(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        standardError(lines.map { "error: \($0)" }.joined(separator: "\n") + "\n")
    }

    static func note(_ text: String) {
        standardError(text + "\n")
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(safe(text).utf8))
    }

    /// `text` as it is: only for control sequences Assay writes itself around text already
    /// made `safe` (the live progress lines).
    static func standardError(raw text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var standardErrorIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Every `print` in this module, in place of the standard library's: the text goes out
/// through `Terminal.safe`.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(
        Terminal.safe(items.map { "\($0)" }.joined(separator: separator)), terminator: Terminal.safe(terminator))
}
