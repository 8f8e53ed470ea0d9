import AssayAnalysis
import AssayCore
import Foundation

/// Writes a run's report files under `reports/<run-id>/`.
public enum ReportFiles {
    /// Writes summary.json (atomically: a reader never sees half a file) and returns its path.
    @discardableResult
    public static func write(_ summary: RunSummary, under reportsDirectory: String) throws(InputError) -> String {
        let directory = (reportsDirectory as NSString).appendingPathComponent(summary.run.id)
        let path = (directory as NSString).appendingPathComponent("summary.json")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(SummaryJSON.render(summary).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(file: path, "cannot write the report: \(error.localizedDescription)")
        }
        return path
    }
}
