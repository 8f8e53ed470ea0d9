import AssayCore
import Foundation

/// PII-like strings replaced by `[NAME]` before an imported request is written
/// (`assay import traffic --redact email,phone --redact-pattern NAME=REGEX`).
///
/// The built-in patterns are tight on purpose, and two are checked beyond the pattern:
/// - `email`: local@domain.tld;
/// - `phone`: a run of 10 to 15 digits, a leading `+` or `(` allowed, with at most two of
///   space, `.`, `-`, `(` and `)` between digits (so dates such as 2024-01-15 10:30 are left
///   alone, and so are 7-digit local numbers; a longer run is not cut to a phone's length);
/// - `card`: 13 to 19 digits, spaces or hyphens between, that pass the Luhn check;
/// - `ipv4`: four dotted numbers of at most 255;
/// - `cn-id`: an 18-character resident identity number whose check character is right.
///
/// Patterns are applied one after the other, each to the text the one before left: the
/// user's (`--redact-pattern`, in the order given) first, being the most specific, then the
/// built-ins in a fixed order (cn-id, card, email, ipv4, phone) whatever the order asked, so
/// that a card or an address is named as such before phone could take its digits.
///
/// Matching is bounded: a user's pattern that can backtrack catastrophically is refused when
/// read (`BoundedRegex.hazard`), and a text any pattern takes longer than `timeLimit` over is
/// refused, not written half-redacted.
public struct Redaction: Sendable {
    /// One named pattern, and the check a match must pass beyond it (a checksum).
    struct Pattern: @unchecked Sendable {  // NSRegularExpression is immutable, and thread-safe for matching
        var name: String
        var regex: NSRegularExpression
        var check: @Sendable (Substring) -> Bool = { _ in true }

        /// What a match becomes: `[EMAIL]`, `[CN-ID]`.
        var marker: String { "[" + name.uppercased() + "]" }
    }

    /// The built-in patterns, in the order they are applied.
    public static let builtInNames = ["cn-id", "card", "email", "ipv4", "phone"]

    /// Seconds every pattern together may take over one text.
    public static let timeLimit = 2.0

    let patterns: [Pattern]

    /// No pattern: nothing is redacted.
    public static let none = Redaction(patterns: [])

    init(patterns: [Pattern]) {
        self.patterns = patterns
    }

    /// The built-in patterns `named` (from `--redact`, commas allowed in each) and the
    /// user's `NAME=REGEX` patterns; every problem with them in one error.
    public init(named: [String], custom: [String]) throws(InputError) {
        var problems: [Diagnostic] = []
        var wanted = Set<String>()
        for name in named.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if Self.builtInNames.contains(name) {
                wanted.insert(name)
            } else {
                problems.append(
                    Diagnostic(
                        file: "--redact",
                        "no built-in pattern '\(name)'; the built-in ones are \(Self.builtInNames.joined(separator: ", ")) (--redact-pattern NAME=REGEX declares another)"
                    ))
            }
        }
        var mine: [Pattern] = []
        var names = Set<String>()
        for declaration in custom {
            let problem: String?
            switch Self.custom(declaration) {
            case .success(let pattern) where Self.builtInNames.contains(pattern.name):
                problem =
                    "'\(pattern.name)' is a built-in pattern: ask for it with --redact \(pattern.name), or name yours otherwise"
            case .success(let pattern) where !names.insert(pattern.name).inserted:
                problem = "two patterns are named '\(pattern.name)'"
            case .success(let pattern):
                mine.append(pattern)
                problem = nil
            case .failure(let failure):
                problem = failure.message
            }
            if let problem {
                problems.append(Diagnostic(file: "--redact-pattern", "'\(declaration.prefix(200))': \(problem)"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        self.init(patterns: mine + Self.builtIns.filter { wanted.contains($0.name) })
    }

    /// Whether any pattern is to be applied.
    public var isEmpty: Bool { patterns.isEmpty }

    /// The names of the patterns, in the order they are applied.
    public var names: [String] { patterns.map(\.name) }

    /// `text` with every match replaced by its pattern's marker, each pattern's replacements
    /// added to `counts`; a `Timeout` naming the pattern when matching ran past `timeLimit`
    /// (hostile text, or a pattern that backtracks on it).
    func apply(to text: String, counts: inout [String: Int]) -> Result<String, Timeout> {
        var text = text
        let clock = ContinuousClock()
        let start = clock.now
        for pattern in patterns {
            let left = Self.timeLimit - (clock.now - start).inSeconds
            guard left > 0, let ranges = BoundedRegex.ranges(of: pattern.regex, in: text, timeLimit: left) else {
                return .failure(Timeout(pattern: pattern.name))
            }
            let taken = ranges.filter { pattern.check(text[$0]) }
            guard !taken.isEmpty else { continue }
            var out = ""
            var cursor = text.startIndex
            for range in taken {
                out += text[cursor..<range.lowerBound]
                out += pattern.marker
                cursor = range.upperBound
            }
            out += text[cursor...]
            text = out
            counts[pattern.name, default: 0] += taken.count
        }
        return .success(text)
    }

    /// Matching ran out of time on a text.
    struct Timeout: Error {
        var pattern: String
    }

    /// A `NAME=REGEX` declaration, compiled and checked.
    static func custom(_ declaration: String) -> Result<Pattern, PatternProblem> {
        guard let equals = declaration.firstIndex(of: "=") else {
            return .failure(PatternProblem("write it NAME=REGEX, such as order=ORD-[0-9]{8}"))
        }
        let name = String(declaration[..<equals])
        let source = String(declaration[declaration.index(after: equals)...])
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameScalar) else {
            return .failure(
                PatternProblem("the name may use only letters, digits, '-' and '_' (it becomes the marker [NAME])"))
        }
        guard !source.isEmpty else { return .failure(PatternProblem("the regular expression is empty")) }
        if let hazard = BoundedRegex.hazard(in: source) {
            return .failure(PatternProblem("the regular expression \(hazard)"))
        }
        guard let regex = try? NSRegularExpression(pattern: source) else {
            return .failure(PatternProblem("not a regular expression (ICU syntax)"))
        }
        if regex.firstMatch(in: "", range: NSRange(location: 0, length: 0)) != nil {
            return .failure(
                PatternProblem("the regular expression matches empty text: it must match the text to redact"))
        }
        return .success(Pattern(name: name.lowercased(), regex: regex))
    }

    static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
        default: false
        }
    }

    /// What is wrong with a `--redact-pattern`, in words.
    struct PatternProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// The built-in patterns, in the order they are applied. Each is linear in the text: a
    /// lookbehind lets a match start only where a run of its characters starts, and a
    /// repeated group ends with a character its separators cannot be, so it is read one way.
    /// A run of digits is taken whole or not at all (the lookarounds see past separators): a
    /// 20-digit number is no card, and its last 15 digits no phone.
    static let builtIns: [Pattern] = [
        builtIn("cn-id", #"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])"#, check: ResidentID.isValid),
        builtIn("card", #"(?<![0-9]|[0-9][ -])[0-9](?:[ -]?[0-9]){12,18}(?![ -]?[0-9])"#, check: Luhn.isValid),
        builtIn("email", #"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"#),
        builtIn(
            "ipv4", #"(?<![0-9.])[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9]|\.[0-9])"#,
            check: { $0.split(separator: ".").allSatisfy { (Int($0) ?? 256) <= 255 } }),
        builtIn(
            "phone", #"(?<![0-9+(]|[0-9][ .()-]{1,2})[+(]?[0-9](?:[ .()-]{0,2}[0-9]){9,14}(?![ .()-]{0,2}[0-9]|:[0-9])"#
        ),
    ]

    private static func builtIn(
        _ name: String, _ source: String,
        check: @escaping @Sendable (Substring) -> Bool = {
            _ in true
        }
    ) -> Pattern {
        // Fixed patterns, tested to compile (RedactionTests): a failure here is a bug in them.
        guard let regex = try? NSRegularExpression(pattern: source) else {
            preconditionFailure("the built-in pattern '\(name)' does not compile")
        }
        return Pattern(name: name, regex: regex, check: check)
    }
}

/// The Luhn check that card numbers carry in their last digit.
enum Luhn {
    static func isValid(_ text: Substring) -> Bool {
        let digits = text.compactMap(\.wholeNumberValue)
        guard (13...19).contains(digits.count) else { return false }
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }
}

/// The check character of a Chinese resident identity number (GB 11643-1999, ISO 7064
/// MOD 11-2): the 18th character, from the first 17 digits.
enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    static func isValid(_ text: Substring) -> Bool {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else { return false }
        var sum = 0
        for (index, weight) in weights.enumerated() {
            guard let digit = characters[index].wholeNumberValue else { return false }
            sum += digit * weight
        }
        return characters[17] == checks[sum % 11]
    }
}
