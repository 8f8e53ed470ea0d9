import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay label RUN TEXT`: names a stored run for reports and the published site.
struct LabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Name a stored run (\"before V4 upgrade\"), with an optional note, for reports and `assay publish`.",
        discussion: """
            The label replaces any the run had (`assay run --label` gives one at the start);
            --clear removes it. A published site shows it on the run's page, the model pages
            and the feed. Rebuild the run's report (`assay report RUN`) or the site
            (`assay publish`) to show the change.

            Examples:
              assay label latest "before V4 upgrade" --note "routing change #412 follows"
              assay label 20261204-101500-ab12 --clear
            """
    )

    @Argument(help: ArgumentHelp("The run: its id, or 'latest'.", valueName: "run"))
    var run: String

    @Argument(help: ArgumentHelp("What to call it.", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("A note kept with the label: why the run was made.", valueName: "text"))
    var note: String?

    @Flag(help: "Remove the run's label and note.")
    var clear = false

    @Option(help: ArgumentHelp("The store: a SQLite file, or a postgres:// URL.", valueName: "file|url"))
    var store = Store.defaultPath

    func validate() throws {
        if clear {
            if text != nil || note != nil { throw ValidationError("--clear removes the label: give no TEXT or --note") }
            return
        }
        guard text != nil else { throw ValidationError("give the label's TEXT, or --clear") }
        try RunLabelCheck.check(label: text, note: note, labelFlag: "TEXT")
    }

    func run() async throws {
        try await withExitStatus(readingStore: true) {
            let opened = try await StoredRuns.open(store, writing: true)
            let manifest = try await StoredRuns.manifest(run, in: opened)
            let label = text.map { RunLabel(text: $0, note: note) }
            try await opened.setLabel(run: manifest.id, label)
            if let label {
                print("run \(manifest.id): \"\(label.text)\"" + (label.note.map { " (\($0))" } ?? ""))
            } else {
                print("run \(manifest.id): no label")
            }
        }
    }
}

/// What a label and a note may be: one line each, at most 200 and 2,000 characters.
enum RunLabelCheck {
    static func check(label: String?, note: String?, labelFlag: String) throws {
        if let label {
            let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { throw ValidationError("\(labelFlag) is empty: give the run a name") }
            if label.count > 200 { throw ValidationError("\(labelFlag) is \(label.count) characters: keep it to 200") }
            if label.contains(where: \.isNewline) {
                throw ValidationError("\(labelFlag) is one line: drop the line break")
            }
        }
        if let note {
            if label == nil { throw ValidationError("--note goes with a label: give \(labelFlag) too") }
            if note.count > 2_000 { throw ValidationError("--note is \(note.count) characters: keep it to 2000") }
        }
    }
}
