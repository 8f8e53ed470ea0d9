import AssayCore
import Foundation

/// Prices from LiteLLM's `model_prices_and_context_window.json`, the price map most LLM
/// tooling reads (shipped in the PyPI package `litellm` as
/// `litellm/model_prices_and_context_window_backup.json`), applied to the catalog's models
/// that name an entry (`prices_from: {litellm: "deepinfra/deepseek-ai/DeepSeek-V3.2"}`).
///
/// The catalog file is edited in place, one model's `price: {...}` at a time, so that its
/// comments and layout survive: a price must be a one-line flow mapping to be updated. A
/// pinned price (`pinned: true`), a price in another currency than the map's (USD) and a
/// price with an off-peak window are left as they are, and said so.
public enum LiteLLMPrices {
    /// One entry's prices, per million tokens (the map quotes per token).
    public struct Quote: Sendable, Equatable {
        public var input: Double?
        public var cachedInput: Double?
        public var output: Double?
    }

    /// What the import does to one model.
    public struct Change: Sendable {
        public enum Action: Sendable, Equatable {
            case update
            case unchanged
            /// Left alone, with the reason.
            case kept(String)
        }

        public var model: String
        public var entry: String
        public var line: Int
        public var old: Price
        public var new: Quote
        public var action: Action

        /// One line of the diff `assay prices import` prints.
        public var summary: String {
            func value(_ value: Double?) -> String { value.map(LiteLLMPrices.number) ?? "null" }
            switch action {
            case .kept(let reason): return "  \(model): kept (\(reason))"
            case .unchanged: return "  \(model): unchanged (\(entry))"
            case .update:
                var parts: [String] = []
                for (name, before, after) in [
                    ("input", old.inputPerMillion, new.input),
                    ("cached_input", old.cachedInputPerMillion, new.cachedInput),
                    ("output", Optional(old.outputPerMillion), new.output),
                ] {
                    parts.append(
                        before == after ? "\(name) \(value(after))" : "\(name) \(value(before)) -> \(value(after))")
                }
                return "~ \(model): " + parts.joined(separator: ", ") + " (\(entry))"
            }
        }
    }

    /// The map's entries that quote an output price.
    public static func load(_ path: String) throws(InputError) -> [String: Quote] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the price map")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw InputError(file: path, "not JSON: \(error.localizedDescription)")
        }
        guard let entries = object as? [String: Any] else {
            throw InputError(file: path, "not a LiteLLM price map: the top level is not an object")
        }
        var quotes: [String: Quote] = [:]
        for (name, value) in entries {
            guard let fields = value as? [String: Any] else { continue }
            func perMillion(_ key: String) -> Double? {
                guard let number = fields[key] as? NSNumber, !(number is Bool), number.doubleValue.isFinite,
                    number.doubleValue >= 0
                else { return nil }
                return rounded(number.doubleValue * 1_000_000)
            }
            guard let output = perMillion("output_cost_per_token") else { continue }
            quotes[name] = Quote(
                input: perMillion("input_cost_per_token"), cachedInput: perMillion("cache_read_input_token_cost"),
                output: output)
        }
        guard !quotes.isEmpty else {
            throw InputError(file: path, "not a LiteLLM price map: no entry has output_cost_per_token")
        }
        return quotes
    }

    /// What importing `quotes` would do to the catalog file: one change per model that names
    /// an entry. A model naming an entry the map does not have is a problem with its line.
    public static func changes(catalog file: YAMLFile, quotes: [String: Quote]) throws(InputError) -> [Change] {
        let catalog = try CatalogFile.read(file)
        let document = try file.decode(CatalogFile.Document.self)
        var changes: [Change] = []
        var problems: [Diagnostic] = []
        for (index, entry) in document.models.enumerated() {
            guard let name = entry.pricesFrom?["litellm"], let model = catalog.model(named: entry.id) else { continue }
            let node = file.root?["models"]?.elements?[index]
            guard let quote = quotes[name] else {
                problems.append(
                    file.diagnostic(
                        at: node?["prices_from"],
                        "model '\(entry.id)': the price map has no entry '\(name)' (with an output price)"))
                continue
            }
            let action: Change.Action
            if entry.price.pinned == true {
                action = .kept("pinned")
            } else if model.price.currency != "USD" {
                action = .kept("priced in \(model.price.currency); the map quotes USD")
            } else if model.price.offPeak != nil {
                action = .kept("has an off-peak window; update it by hand")
            } else if quote.input == model.price.inputPerMillion
                && quote.cachedInput == model.price.cachedInputPerMillion
                && quote.output == model.price.outputPerMillion
            {
                action = .unchanged
            } else {
                action = .update
            }
            changes.append(
                Change(
                    model: entry.id, entry: name, line: node?["price"]?.line ?? node?.line ?? 0, old: model.price,
                    new: quote, action: action))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return changes
    }

    /// The catalog's text with every `update` written: the model's one-line `price: {...}`
    /// replaced by the map's prices, the entry as source and `date` as the date.
    public static func apply(_ changes: [Change], to text: String, path: String, date: String) throws(InputError)
        -> String
    {
        var lines = text.lines().map(String.init)
        var problems: [Diagnostic] = []
        for change in changes where change.action == .update {
            let index = change.line - 1
            guard lines.indices.contains(index), let range = flowMapping(after: "price:", in: lines[index]) else {
                problems.append(
                    Diagnostic(
                        file: path, line: change.line,
                        "model '\(change.model)': write its price as a one-line mapping (price: {...}) to import it"))
                continue
            }
            var fields = ["input: \(change.new.input.map(number) ?? "null")"]
            if let cached = change.new.cachedInput { fields.append("cached_input: \(number(cached))") }
            fields.append("output: \(change.new.output.map(number) ?? "0")")
            // The map has no separate reasoning price: one set by hand stays.
            if let reasoning = change.old.reasoningPerMillion { fields.append("reasoning: \(number(reasoning))") }
            fields.append("date: \"\(date)\"")
            fields.append(
                "source: \"LiteLLM model_prices_and_context_window.json: \(change.entry.replacingOccurrences(of: "\"", with: "'"))\""
            )
            lines[index].replaceSubrange(range, with: "{" + fields.joined(separator: ", ") + "}")
        }
        if !problems.isEmpty { throw InputError(problems) }
        return lines.joined(separator: "\n")
    }

    /// The `{...}` after `key` on a line, when it closes on the same line.
    static func flowMapping(after key: String, in line: String) -> Range<String.Index>? {
        guard let keyRange = line.range(of: key),
            let open = line[keyRange.upperBound...].firstIndex(where: { !$0.isWhitespace }), line[open] == "{"
        else { return nil }
        var depth = 0
        var index = open
        var quote: Character?
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "{" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 { return open..<line.index(after: index) }
            }
            index = line.index(after: index)
        }
        return nil
    }

    /// Per-token prices times a million carry binary noise (0.26000000000000001): six decimals.
    static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
