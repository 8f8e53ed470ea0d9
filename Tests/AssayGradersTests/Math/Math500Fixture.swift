import AssayTestSupport
import Foundation

/// One MATH-500 problem from `Tests/Fixtures/math500.jsonl`.
struct Math500Problem: Decodable, Sendable {
    var problem: String
    var solution: String
    var answer: String
    var subject: String
    var level: Int
    var unique_id: String
}

enum Math500Fixture {
    static let url = URL(fileURLWithPath: PackagePaths.root + "/Tests/Fixtures/math500.jsonl")

    static func load() throws -> [Math500Problem] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { line in
            try decoder.decode(Math500Problem.self, from: Data(line.utf8))
        }
    }
}
