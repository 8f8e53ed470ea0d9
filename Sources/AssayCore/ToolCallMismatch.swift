/// The first way a model's function calls differ from what a tools case accepts: the
/// evidence of a failed tool-call grade, typed.
///
/// It travels in `Grade.evidence` under one key, written and read only here
/// (`init?(evidence:)`, `evidence`), so that reports group failures by `kind` without
/// reading evidence by string key themselves.
public struct ToolCallMismatch: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A call names another function than the one wanted.
        case wrongFunction = "wrong_function"
        /// A required parameter, or one the case does not let be omitted, is missing.
        case missingParameter = "missing_parameter"
        /// A parameter the function does not declare, or the case does not expect.
        case unexpectedParameter = "unexpected_parameter"
        /// A value of another type than the parameter's.
        case badType = "bad_type"
        /// A value of the right type that is none of the acceptable ones.
        case badValue = "bad_value"
        /// More or fewer calls than wanted (none, where calls were wanted).
        case wrongNumberOfCalls = "wrong_number_of_calls"
        /// A call made where none was wanted (irrelevance).
        case unwantedCall = "unwanted_call"
        /// Arguments that are not a JSON object.
        case invalidArguments = "invalid_arguments"

        /// The words a report uses for the kind.
        public var title: String {
            switch self {
            case .wrongFunction: "wrong function"
            case .missingParameter: "missing parameter"
            case .unexpectedParameter: "unexpected parameter"
            case .badType: "bad type"
            case .badValue: "bad value"
            case .wrongNumberOfCalls: "wrong number of calls"
            case .unwantedCall: "call made when none was wanted"
            case .invalidArguments: "invalid JSON arguments"
            }
        }
    }

    public var kind: Kind
    /// The function concerned (the wanted one, or the one called).
    public var function: String?
    public var parameter: String?
    /// What was wanted: a function name, a type, a count.
    public var expected: String?
    /// What came: a function name, a type, a value as JSON, a count, a parser's reason.
    public var got: String?

    public init(
        _ kind: Kind, function: String? = nil, parameter: String? = nil, expected: String? = nil, got: String? = nil
    ) {
        self.kind = kind
        self.function = function
        self.parameter = parameter
        self.expected = expected
        self.got = got
    }

    /// One line: "bad value for calculate_area.unit: \"cm2\"".
    public var description: String {
        let target = [function, parameter].compactMap { $0 }.joined(separator: ".")
        switch kind {
        case .wrongFunction: return "wrong function: \(got ?? "?") instead of \(expected ?? "?")"
        case .wrongNumberOfCalls: return "wrong number of calls: \(got ?? "?") instead of \(expected ?? "?")"
        case .unwantedCall: return "a call was made (\(function ?? "?")) when none was wanted"
        case .invalidArguments: return "invalid JSON arguments to \(function ?? "?"): \(got ?? "")"
        case .badType: return "bad type for \(target): \(got ?? "?") instead of \(expected ?? "?")"
        case .badValue: return "bad value for \(target): \(got ?? "?")"
        case .missingParameter, .unexpectedParameter: return "\(kind.title): \(target)"
        }
    }
}

extension ToolCallMismatch {
    /// The key of `Grade.evidence` the mismatch is kept under.
    static let evidenceKey = "tool_mismatch"

    /// The mismatch a grade's evidence holds; nil when it holds none.
    public init?(evidence: [String: JSONValue]) {
        guard case .object(let fields)? = evidence[Self.evidenceKey], let raw = fields["kind"]?.stringValue,
            let kind = Kind(rawValue: raw)
        else { return nil }
        self.init(
            kind, function: fields["function"]?.stringValue, parameter: fields["parameter"]?.stringValue,
            expected: fields["expected"]?.stringValue, got: fields["got"]?.stringValue)
    }

    /// Adds the mismatch to a grade's evidence.
    public func record(in evidence: inout [String: JSONValue]) {
        var fields: [String: JSONValue] = ["kind": .string(kind.rawValue)]
        if let function { fields["function"] = .string(function) }
        if let parameter { fields["parameter"] = .string(parameter) }
        if let expected { fields["expected"] = .string(expected) }
        if let got { fields["got"] = .string(got) }
        evidence[Self.evidenceKey] = .object(fields)
    }
}
