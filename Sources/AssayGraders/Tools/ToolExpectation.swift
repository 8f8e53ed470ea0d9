import AssayCore

/// What a tools case accepts, in BFCL's possible-answer form.
///
/// `expected` in cases.jsonl is one of:
/// - `{"calls": [{"get_weather": {"city": ["Paris", "paris, france"], "unit": ["", "celsius"]}}]}`:
///   these calls, each parameter with every acceptable value; `""` among them means the
///   parameter may be left out. One call: exactly one call, to that function (BFCL's simple
///   and multiple categories). Several: as many calls, matched one to one in any order
///   (parallel).
/// - `{"no_call": true}`: no call at all (irrelevance).
/// - `{"any_call": true}`: at least one well-formed call, whatever it is (BFCL's relevance).
enum ToolExpectation: Sendable, Hashable {
    case calls([ExpectedCall])
    case noCall
    case anyCall

    struct ExpectedCall: Sendable, Hashable {
        var name: String
        /// Parameter names in the order the case gives them, each with its acceptable values.
        var parameters: [(name: String, values: [JSONValue])]

        static func == (lhs: ExpectedCall, rhs: ExpectedCall) -> Bool {
            lhs.name == rhs.name && lhs.parameters.count == rhs.parameters.count
                && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.name == $1.name && $0.values == $1.values }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            for parameter in parameters {
                hasher.combine(parameter.name)
                hasher.combine(parameter.values)
            }
        }

        func values(of parameter: String) -> [JSONValue]? {
            parameters.first { $0.name == parameter }?.values
        }
    }

    /// Reads `expected`; the error says what is wrong with it.
    init(_ expected: JSONValue) throws(SchemaError) {
        guard case .object(let fields) = expected else {
            throw SchemaError("'expected' must be an object with 'calls', 'no_call' or 'any_call'")
        }
        let unknown = fields.keys.filter { !["calls", "no_call", "any_call"].contains($0) }.sorted()
        if let key = unknown.first {
            throw SchemaError("'expected' takes 'calls', 'no_call' or 'any_call', not '\(key)'")
        }
        if fields["no_call"]?.boolValue == true {
            guard fields.count == 1 else { throw SchemaError("'expected.no_call' stands alone") }
            self = .noCall
            return
        }
        if fields["any_call"]?.boolValue == true {
            guard fields.count == 1 else { throw SchemaError("'expected.any_call' stands alone") }
            self = .anyCall
            return
        }
        guard case .array(let list)? = fields["calls"], !list.isEmpty else {
            throw SchemaError("'expected.calls' must be a non-empty list (or use 'no_call': true)")
        }
        var calls: [ExpectedCall] = []
        for (index, entry) in list.enumerated() {
            guard case .object(let call) = entry, call.count == 1, let (name, arguments) = call.first,
                case .object(let parameters) = arguments
            else {
                throw SchemaError(
                    "'expected.calls[\(index)]' must be {\"function\": {\"parameter\": [acceptable values]}}")
            }
            var ordered: [(name: String, values: [JSONValue])] = []
            for key in parameters.keys.sorted() {
                // An empty list accepts nothing, given or left out: no answer passes (BFCL has 7).
                guard case .array(let values)? = parameters[key] else {
                    throw SchemaError(
                        "'expected.calls[\(index)].\(name).\(key)' must be a list of acceptable values (\"\" = may be omitted)"
                    )
                }
                ordered.append((key, values))
            }
            calls.append(ExpectedCall(name: name, parameters: ordered))
        }
        self = .calls(calls)
    }
}
