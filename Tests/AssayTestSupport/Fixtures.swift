import Foundation

/// Small suites and catalogs that tests write into temporary directories.
public enum Fixtures {
    /// A valid exact-label suite with `count` cases; case i expects "positive" when i is odd.
    public static func sentimentSuite(id: String = "mini", count: Int = 4, requires: String = "[text]") -> (
        yaml: String, cases: String
    ) {
        let yaml = """
            id: \(id)
            title: Mini sentiment
            kind: classification
            grader: exact-label
            prompt:
              system: Answer positive or negative (\(id)).
              template: "Review: {{review}}"
            requires: \(requires)
            generation: {max_tokens: 8}
            """
        let cases =
            (1...count).map { index in
                let label = index % 2 == 1 ? "positive" : "negative"
                return
                    #"{"id": "c\#(index)", "input": {"review": "review number \#(index)"}, "expected": {"label": "\#(label)"}}"#
            }.joined(separator: "\n") + "\n"
        return (yaml, cases)
    }

    /// The prompt the sentiment suite's case `index` renders to.
    public static func sentimentPrompt(_ index: Int) -> String { "Review: review number \(index)" }

    public static func sentimentLabel(_ index: Int) -> String { index % 2 == 1 ? "positive" : "negative" }

    /// A catalog with one endpoint at `baseURL` and the given models (`[text]` unless named `*-vision`).
    public static func catalog(
        baseURL: String, models: [String], apiKeyEnv: String? = nil, input: String = "null", output: String = "2.0"
    ) -> String {
        var yaml = """
            prices: {currency: USD, date: "2026-11-23", source: test}
            endpoints:
              - name: test
                base_url: \(baseURL)
                api_key_env: \(apiKeyEnv ?? "null")
            models:

            """
        for model in models {
            let capabilities = model.hasSuffix("-vision") ? "[text, vision]" : "[text]"
            yaml +=
                "  - {id: \(model), family: Test, endpoint: test, capabilities: \(capabilities), price: {input: \(input), output: \(output)}}\n"
        }
        return yaml
    }
}
