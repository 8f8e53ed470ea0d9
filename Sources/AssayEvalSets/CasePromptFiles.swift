import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// Prompt text cases keep in files (issue 34): `input.<slot>_file`, a path relative to the
/// suite directory, fills the template's `{{<slot>}}` with the file's text (a long-context
/// haystack: `context_file`). A suite loaded holds the paths only; a run reads each file once
/// to measure it (`PromptFile`), and then again only as a request streams it.
public enum CasePromptFiles {
    /// The slot a file fills in `item`'s prompt, and the path as written; nil when none does.
    public static func reference(of item: Case) -> (slot: String, path: String)? {
        for key in item.input.keys.sorted() where key.hasSuffix(PromptFile.suffix) {
            if let path = item.input[key]?.stringValue {
                return (String(key.dropLast(PromptFile.suffix.count)), path)
            }
        }
        return nil
    }

    /// The slot a file fills in `item`'s prompt; nil when none does.
    public static func slot(of item: Case) -> String? { reference(of: item)?.slot }

    /// Every file `suite`'s cases name, measured, by path as written. A file missing, outside
    /// the suite or unreadable is a problem at its case's line.
    public static func load(_ suite: Suite) throws(InputError) -> [String: PromptFile] {
        var files: [String: PromptFile] = [:]
        var problems: [Diagnostic] = []
        let casesFile = FilePath(suite.directory).appending("cases.jsonl").string
        for item in suite.cases {
            guard let path = reference(of: item)?.path, files[path] == nil else { continue }
            do {
                files[path] = try PromptFile.measure(path: CaseImages.confined(path, to: suite.directory))
            } catch let error as CaseImages.ImageError {
                problems.append(
                    Diagnostic(file: casesFile, line: item.line, "case '\(item.id)': file '\(path)': \(error.message)"))
            } catch let error as InputError {
                problems += error.diagnostics.map {
                    Diagnostic(file: casesFile, line: item.line, "case '\(item.id)': \($0.message)")
                }
            } catch {
                problems.append(Diagnostic(file: casesFile, line: item.line, "case '\(item.id)': \(error)"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return files
    }

    /// `item`'s input with its file's text in the slot the file fills: for what needs the
    /// prompt whole (the test server's oracle, tests), not for requests.
    public static func filled(_ item: Case, of suite: Suite) throws(InputError) -> [String: JSONValue] {
        guard let (slot, path) = reference(of: item) else { return item.input }
        var input = item.input
        do {
            let full = try CaseImages.confined(path, to: suite.directory)
            input[slot] = .string(try String(contentsOfFile: full, encoding: .utf8))
        } catch let error as CaseImages.ImageError {
            throw InputError(file: suite.directory, "case '\(item.id)': file '\(path)': \(error.message)")
        } catch {
            throw InputError(file: suite.directory, "case '\(item.id)': file '\(path)': \(error.localizedDescription)")
        }
        return input
    }
}
