/// A number as exact as its text allows: a rational while it fits in 64-bit integers,
/// a double beyond that (1e300, say).
public enum ExactNumber: Sendable, Hashable, CustomStringConvertible {
    /// numerator / denominator, reduced, denominator > 0.
    case rational(Int, Int)
    case real(Double)

    public static func rational(_ numerator: Int, over denominator: Int) -> ExactNumber {
        guard let value = Rational(numerator, denominator) else {
            return .real(Double(numerator) / Double(denominator))
        }
        return ExactNumber(value)
    }

    /// The math grader's exact fraction, as a number.
    init(_ value: Rational) { self = .rational(value.numerator, value.denominator) }

    /// The exact fraction, when there is one (one rational type for both graders: `Rational`).
    var exact: Rational? {
        guard case .rational(let n, let d) = self else { return nil }
        return Rational(n, d)
    }

    public var double: Double {
        switch self {
        case .rational(let n, let d): Double(n) / Double(d)
        case .real(let value): value
        }
    }

    public var isRational: Bool {
        if case .rational = self { return true }
        return false
    }

    /// `12`, `-3/4`, `0.1` (a double), as a person reads it.
    public var description: String {
        switch self {
        case .rational(let n, 1): String(n)
        case .rational(let n, let d): "\(n)/\(d)"
        case .real(let value): String(value)
        }
    }

    public static func + (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if let a = lhs.exact, let b = rhs.exact, let sum = a.adding(b) { return ExactNumber(sum) }
        return .real(lhs.double + rhs.double)
    }

    public static func * (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if let a = lhs.exact, let b = rhs.exact, let product = a.multiplied(by: b) { return ExactNumber(product) }
        return .real(lhs.double * rhs.double)
    }

    public static func / (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if let a = lhs.exact, let b = rhs.exact, !b.isZero, let quotient = a.divided(by: b) {
            return ExactNumber(quotient)
        }
        return .real(lhs.double / rhs.double)
    }

    public static prefix func - (value: ExactNumber) -> ExactNumber {
        if let a = value.exact, let negated = a.negated() { return ExactNumber(negated) }
        return .real(-value.double)
    }

    /// 10^exponent, exact while it fits.
    static func powerOfTen(_ exponent: Int) -> ExactNumber {
        guard abs(exponent) <= 18 else { return .real(pow10(exponent)) }
        var power = 1
        for _ in 0..<abs(exponent) { power *= 10 }
        return exponent >= 0 ? .rational(power, 1) : .rational(1, power)
    }

    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(abs(exponent), 400) { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }

    /// Equal when both are rational and equal; otherwise within the tolerances:
    /// |a - b| <= max(absolute, relative * max(|a|, |b|)).
    public func matches(_ other: ExactNumber, relativeTolerance: Double, absoluteTolerance: Double) -> Bool {
        if isRational && other.isRational { return self == other }
        let (a, b) = (double, other.double)
        guard a.isFinite, b.isFinite else { return a == b }
        return abs(a - b) <= max(absoluteTolerance, relativeTolerance * max(abs(a), abs(b)))
    }
}
