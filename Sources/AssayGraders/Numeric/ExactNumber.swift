/// A number as exact as its text allows: a rational while it fits in 64-bit integers,
/// a double beyond that (1e300, say).
public enum ExactNumber: Sendable, Hashable, CustomStringConvertible {
    /// numerator / denominator, reduced, denominator > 0.
    case rational(Int, Int)
    case real(Double)

    public static func rational(_ numerator: Int, over denominator: Int) -> ExactNumber {
        guard denominator != 0 else { return .real(Double(numerator) / 0) }
        var (n, d) = (numerator, denominator)
        if d < 0 {
            guard n != Int.min, d != Int.min else { return .real(Double(n) / Double(d)) }
            (n, d) = (-n, -d)
        }
        let divisor = gcd(n.magnitude, d.magnitude)
        return .rational(n / Int(divisor), d / Int(divisor))
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
        if case .rational(let a, let b) = lhs, case .rational(let c, let d) = rhs {
            let (ad, o1) = a.multipliedReportingOverflow(by: d)
            let (cb, o2) = c.multipliedReportingOverflow(by: b)
            let (bd, o3) = b.multipliedReportingOverflow(by: d)
            let (sum, o4) = ad.addingReportingOverflow(cb)
            if !(o1 || o2 || o3 || o4) { return rational(sum, over: bd) }
        }
        return .real(lhs.double + rhs.double)
    }

    public static func * (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if case .rational(let a, let b) = lhs, case .rational(let c, let d) = rhs {
            let (ac, o1) = a.multipliedReportingOverflow(by: c)
            let (bd, o2) = b.multipliedReportingOverflow(by: d)
            if !(o1 || o2) { return rational(ac, over: bd) }
        }
        return .real(lhs.double * rhs.double)
    }

    public static func / (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if case .rational(let c, let d) = rhs, c != 0 { return lhs * .rational(d, over: c) }
        return .real(lhs.double / rhs.double)
    }

    public static prefix func - (value: ExactNumber) -> ExactNumber {
        switch value {
        case .rational(let n, let d) where n != Int.min: .rational(-n, d)
        default: .real(-value.double)
        }
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

private func gcd(_ a: UInt, _ b: UInt) -> UInt {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return max(a, 1)
}
