import AssayCore

/// BFCL's AST checker over Assay's values: the calls a model made against what a case
/// accepts, with the first mismatch named.
///
/// The order of checks is BFCL's: the function's name; its required parameters; each
/// given parameter (declared and expected, then its type, then its value); then the
/// expected parameters not given, which must be omittable. Several expected calls are
/// matched as BFCL's `parallel_function_checker_no_order` matches them: each expected call,
/// in order, takes the first call not yet taken that passes against it.
struct ToolCallChecker: Sendable {
    /// The case's functions by name.
    let functions: [String: FunctionSchema]
    let expectation: ToolExpectation
    /// The names the functions went out under (`math_factorial` for `math.factorial`): a call
    /// under one is a call to its function, as BFCL's checker takes it for the models whose
    /// vendors refuse dots (`underscore_to_dot`). Calls read from the wire are mapped back
    /// already; calls graded from elsewhere may not be.
    let names: ToolNames

    init(functions: [String: FunctionSchema], expectation: ToolExpectation) {
        self.functions = functions
        self.expectation = expectation
        self.names = ToolNames(functions.keys.sorted())
    }

    /// A call BFCL's decoder (`json.loads` of the arguments, then `is_function_calling_format_output`)
    /// reads as a call: arguments whose text is a JSON object.
    private static func decodable(_ call: ToolCall) -> Bool {
        guard case .json(.object) = call.arguments else { return false }
        return !call.argumentsText.isBlank
    }

    /// Nil when the calls are accepted.
    func check(_ calls: [ToolCall]) -> ToolCallMismatch? {
        // Where no call is wanted, calls that cannot be read as calls (arguments that are not a
        // JSON object) are no call, as BFCL's relevance check takes them: its decoder fails on
        // them, or `is_empty_output` finds no call in what it decoded. Nothing was called.
        // Blank arguments too: `json.loads("")` fails, though vendors send a call without
        // arguments that way (read as `{}` everywhere else).
        if case .noCall = expectation, calls.contains(where: { !Self.decodable($0) }) { return nil }
        for call in calls {
            switch call.arguments {
            case .invalid(let reason):
                return ToolCallMismatch(.invalidArguments, function: call.name, got: reason)
            case .json(let value):
                if case .object = value { continue }
                return ToolCallMismatch(
                    .invalidArguments, function: call.name, got: "the arguments are not a JSON object")
            }
        }
        switch expectation {
        case .noCall:
            guard let first = calls.first else { return nil }
            return ToolCallMismatch(.unwantedCall, function: first.name, got: String(calls.count))
        case .anyCall:
            if let blank = calls.first(where: { !Self.decodable($0) }) {
                return ToolCallMismatch(
                    .invalidArguments, function: blank.name, got: "no arguments: BFCL's decoder reads no call")
            }
            return calls.isEmpty ? ToolCallMismatch(.wrongNumberOfCalls, expected: "at least 1", got: "0") : nil
        case .calls(let expected):
            guard calls.count == expected.count else {
                return ToolCallMismatch(.wrongNumberOfCalls, expected: String(expected.count), got: String(calls.count))
            }
            var taken = Set<Int>()
            for wanted in expected {
                var firstMismatch: ToolCallMismatch?
                var matched = false
                for (index, call) in calls.enumerated() where !taken.contains(index) {
                    if let mismatch = check(call, against: wanted) {
                        firstMismatch = firstMismatch ?? mismatch
                    } else {
                        taken.insert(index)
                        matched = true
                        break
                    }
                }
                if !matched {
                    return firstMismatch
                        ?? ToolCallMismatch(
                            .wrongNumberOfCalls, expected: String(expected.count), got: String(calls.count))
                }
            }
            return nil
        }
    }

    /// One call against one expected call (BFCL's `simple_function_checker`).
    func check(_ call: ToolCall, against wanted: ToolExpectation.ExpectedCall) -> ToolCallMismatch? {
        guard let schema = functions[wanted.name] else {
            // The grader refuses such a case when it loads; a wanted function is always declared.
            return ToolCallMismatch(.wrongFunction, expected: wanted.name, got: call.name)
        }
        guard call.name == schema.name || call.name == names.wireName(schema.name) else {
            return ToolCallMismatch(.wrongFunction, function: wanted.name, expected: wanted.name, got: call.name)
        }
        guard case .json(.object(let given)) = call.arguments else {
            return ToolCallMismatch(.invalidArguments, function: call.name, got: "the arguments are not a JSON object")
        }
        for name in schema.required where given[name] == nil {
            return ToolCallMismatch(.missingParameter, function: call.name, parameter: name)
        }
        for name in given.keys.sorted() {
            guard var value = given[name] else { continue }
            guard let parameter = schema.parameters[name], let acceptable = wanted.values(of: name) else {
                return ToolCallMismatch(.unexpectedParameter, function: call.name, parameter: name)
            }
            // Python accepts an int where a float is declared.
            if parameter.type == .float, case .int(let int) = value { value = .double(Double(int)) }
            let verdict = ToolTypeCheck.check(
                value, acceptable: acceptable, type: parameter.type, elements: parameter.elements)
            guard verdict.valid else {
                return ToolCallMismatch(
                    .badType, function: call.name, parameter: name, expected: parameter.declared,
                    got: PythonType(of: value).rawValue)
            }
            let accepted: Bool
            switch (verdict.isVariable, value) {
            case (false, .object(let fields)) where parameter.type == .dict:
                accepted = ToolValueCheck.dict(fields, acceptable: acceptable)
            case (false, .array(let items)) where parameter.type == .list && parameter.elements == .dict:
                accepted = ToolValueCheck.listOfDicts(items, acceptable: acceptable)
            case (false, .string(let text)) where parameter.type == .str:
                accepted = ToolValueCheck.string(text, acceptable: acceptable)
            case (false, .array(let items)) where parameter.type == .list:
                accepted = ToolValueCheck.list(items, acceptable: acceptable)
            default:
                accepted = pythonContains(acceptable, value)
            }
            if !accepted {
                return ToolCallMismatch(.badValue, function: call.name, parameter: name, got: value.compactJSON)
            }
        }
        for parameter in wanted.parameters
        where given[parameter.name] == nil && !parameter.values.contains(where: isOmittable) {
            return ToolCallMismatch(.missingParameter, function: call.name, parameter: parameter.name)
        }
        return nil
    }
}
