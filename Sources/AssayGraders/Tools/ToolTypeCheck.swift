import AssayCore

/// BFCL's `type_checker`: whether a value has its parameter's type.
///
/// A value of the declared type passes; an array's elements must each have the elements'
/// type, or the type of one list of acceptable values' elements. A value of another type
/// passes when it has the type of the acceptable values (BFCL's "variable" case: the case
/// accepts, say, a string where an integer is declared); then it is compared as it is,
/// without string normalisation.
enum ToolTypeCheck {
    struct Verdict {
        var valid: Bool
        /// The acceptable values are of another type than the declared one.
        var isVariable: Bool
    }

    static func check(_ value: JSONValue, acceptable: [JSONValue], type: PythonType, elements: PythonType?) -> Verdict {
        let acceptableType = acceptable.first { !isOmittable($0) }.map(PythonType.init(of:))
        let isVariable = acceptableType.map { $0 != type } ?? false
        let valueType = PythonType(of: value)
        if valueType == type {
            guard let elements else { return Verdict(valid: true, isVariable: isVariable) }
            for candidate in acceptable {
                // A candidate that is not a list (`""`) lets any elements through, as in BFCL.
                guard case .array(let candidateElements) = candidate, case .array(let items) = value else {
                    return Verdict(valid: true, isVariable: isVariable)
                }
                if items.allSatisfy({ check($0, acceptable: candidateElements, type: elements, elements: nil).valid }) {
                    return Verdict(valid: true, isVariable: isVariable)
                }
            }
            return Verdict(valid: false, isVariable: isVariable)
        }
        if let acceptableType, valueType == acceptableType {
            return Verdict(valid: true, isVariable: true)
        }
        return Verdict(valid: false, isVariable: isVariable)
    }
}
