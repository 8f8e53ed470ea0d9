import Foundation

/// The throwaway PostgreSQL that `scripts/test` starts (`scripts/test-postgres`), as a URL;
/// nil when none runs (a plain `swift test`): the shared-store tests then skip themselves,
/// and `scripts/test` fails if they did not pass.
public enum TestPostgres {
    public static var url: String? {
        ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A run id no other test (or earlier test run) in the shared database has.
    public static func uniqueRunID(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(12).lowercased())"
    }
}
