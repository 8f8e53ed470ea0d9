import AssayCore

/// BFCL's value checks: a given value against its parameter's acceptable values, by the
/// parameter's type. Strings (and strings directly inside lists and dicts) are compared
/// after `BFCLText.standardize`; everything else by Python's `==`.
enum ToolValueCheck {
    /// `string_checker`: the standardized string is among the standardized acceptable strings.
    static func string(_ value: String, acceptable: [JSONValue]) -> Bool {
        let wanted = BFCLText.standardize(value)
        return acceptable.contains { candidate in
            if case .string(let text) = candidate { return BFCLText.standardize(text) == wanted }
            return false
        }
    }

    /// `list_checker`: the list, its strings standardized, equals one acceptable list, its
    /// strings standardized. (`""`, the omittable mark, reads as the empty list, as in BFCL.)
    static func list(_ value: [JSONValue], acceptable: [JSONValue]) -> Bool {
        let given = JSONValue.array(value.map(BFCLText.standardize))
        return acceptable.contains { candidate in
            guard let elements = sequence(candidate) else { return false }
            return pythonEquals(given, .array(elements.map(BFCLText.standardize)))
        }
    }

    /// `dict_checker`: some acceptable dict (`""` skipped) has every given key, accepts each
    /// given value (strings standardized), and lets each key not given be omitted.
    static func dict(_ value: [String: JSONValue], acceptable: [JSONValue]) -> Bool {
        acceptable.contains { candidate in
            guard case .object(let wanted) = candidate else { return false }
            for (key, given) in value {
                guard let values = wanted[key].flatMap(sequence) else { return false }
                let standardized = BFCLText.standardize(given)
                if !values.contains(where: { pythonEquals(BFCLText.standardize($0), standardized) }) { return false }
            }
            for (key, values) in wanted where value[key] == nil {
                // Python's `"" in values`: true of any string.
                let omittable: Bool =
                    switch values {
                    case .array(let list): list.contains(where: isOmittable)
                    case .string: true
                    default: false
                    }
                if !omittable { return false }
            }
            return true
        }
    }

    /// `list_dict_checker`: some acceptable list of dicts has as many dicts as the list,
    /// and each given dict passes `dict` against the one at its place.
    static func listOfDicts(_ value: [JSONValue], acceptable: [JSONValue]) -> Bool {
        acceptable.contains { candidate in
            guard let wanted = sequence(candidate), wanted.count == value.count else { return false }
            return zip(value, wanted).allSatisfy { given, expected in
                guard case .object(let fields) = given else { return false }
                return dict(fields, acceptable: [expected])
            }
        }
    }

    /// A value Python would index as a sequence here: a list, or `""` (empty).
    private static func sequence(_ value: JSONValue) -> [JSONValue]? {
        switch value {
        case .array(let elements): elements
        case .string(let text) where text.isEmpty: []
        default: nil
        }
    }
}
