import Foundation

/// Number formats for people.
public enum Format {
    /// `66.7%`.
    public static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    /// Dollars with enough digits to show a small spend: `$0`, `$0.000123`, `$0.0000012`, `$1.25`.
    public static func money(_ value: Double) -> String {
        if value == 0 { return "$0" }
        if abs(value) < 0.01 {
            // Two significant digits, however small.
            let decimals = min(12, max(2, Int(-floor(log10(abs(value)))) + 1))
            var text = String(format: "%.\(decimals)f", value)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return "$" + text
        }
        return "$" + String(format: "%.2f", value)
    }

    /// Correct answers per dollar, whole (`4200`); `free` at no cost; `?` when the cost is unknown.
    public static func value(_ value: QualityPerDollar) -> String {
        switch value {
        case .perDollar(let perDollar): String(format: "%.0f", perDollar)
        case .free: "free"
        case .unknown: "?"
        }
    }

    /// `12.3` below 100 ms, whole milliseconds above.
    public static func milliseconds(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }
}
