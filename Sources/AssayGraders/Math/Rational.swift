import Foundation

/// An exact fraction `numerator / denominator` over `Int`, always reduced, denominator > 0.
///
/// Every operation is overflow-checked and returns `nil` instead of trapping, so callers can fall back
/// to floating point when an exact result does not fit in 64 bits.
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    /// Builds a reduced fraction; `nil` when the denominator is zero or reduction overflows
    /// (only possible for `Int.min`).
    public init?(_ numerator: Int, _ denominator: Int = 1) {
        guard denominator != 0 else { return nil }
        var n = numerator
        var d = denominator
        if d < 0 {
            guard n != Int.min, d != Int.min else { return nil }
            n = -n
            d = -d
        }
        let g = Rational.gcd(n.magnitude, d.magnitude)
        guard g > 0 else { return nil }
        self.numerator = n / Int(g)
        self.denominator = d / Int(g)
    }

    private init(reduced numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public static let zero = Rational(reduced: 0, 1)
    public static let one = Rational(reduced: 1, 1)

    public var isZero: Bool { numerator == 0 }
    public var isInteger: Bool { denominator == 1 }
    public var doubleValue: Double { Double(numerator) / Double(denominator) }
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func gcd(_ a: UInt, _ b: UInt) -> UInt {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    static func mul(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : r
    }

    static func add(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    public func adding(_ other: Rational) -> Rational? {
        let g = Int(Rational.gcd(denominator.magnitude, other.denominator.magnitude))
        guard let l = Rational.mul(numerator, other.denominator / g),
            let r = Rational.mul(other.numerator, denominator / g),
            let n = Rational.add(l, r),
            let d = Rational.mul(denominator / g, other.denominator)
        else { return nil }
        return Rational(n, d)
    }

    public func negated() -> Rational? {
        guard numerator != Int.min else { return nil }
        return Rational(reduced: -numerator, denominator)
    }

    public func subtracting(_ other: Rational) -> Rational? {
        guard let n = other.negated() else { return nil }
        return adding(n)
    }

    public func multiplied(by other: Rational) -> Rational? {
        // Cross-reduce first to keep intermediates small.
        let g1 = Int(Rational.gcd(numerator.magnitude, other.denominator.magnitude))
        let g2 = Int(Rational.gcd(other.numerator.magnitude, denominator.magnitude))
        let a = g1 == 0 ? numerator : numerator / g1
        let d2 = g1 == 0 ? other.denominator : other.denominator / g1
        let b = g2 == 0 ? other.numerator : other.numerator / g2
        let d1 = g2 == 0 ? denominator : denominator / g2
        guard let n = Rational.mul(a, b), let d = Rational.mul(d1, d2) else { return nil }
        return Rational(n, d)
    }

    public func reciprocal() -> Rational? {
        guard numerator != 0 else { return nil }
        return Rational(denominator, numerator)
    }

    public func divided(by other: Rational) -> Rational? {
        guard let r = other.reciprocal() else { return nil }
        return multiplied(by: r)
    }

    /// Integer power by repeated squaring; `nil` on overflow, on `0^negative`, or when |exponent| > 4096.
    public func power(_ exponent: Int) -> Rational? {
        guard exponent.magnitude <= 4096 else {
            // Only trivially-bounded bases can be raised this far.
            if numerator.magnitude == 1 && denominator == 1 {
                return numerator == 1 || exponent % 2 == 0 ? .one : Rational(reduced: -1, 1)
            }
            if numerator == 0 && exponent > 0 { return .zero }
            return nil
        }
        if exponent < 0 { return reciprocal()?.power(-exponent) }
        var result = Rational.one
        var base = self
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { guard let r = result.multiplied(by: base) else { return nil }; result = r }
            e >>= 1
            if e > 0 { guard let b = base.multiplied(by: base) else { return nil }; base = b }
        }
        return result
    }

    /// Exact integer `k`-th root of a non-negative integer, when one exists.
    static func exactRoot(_ value: Int, _ k: Int) -> Int? {
        guard value >= 0, k >= 1 else { return nil }
        if k == 1 || value < 2 { return value }
        let guess = Int(pow(Double(value), 1 / Double(k)).rounded())
        for candidate in max(0, guess - 1)...(guess + 1) {
            var acc = 1
            var ok = true
            for _ in 0..<k {
                guard let m = mul(acc, candidate) else { ok = false; break }
                acc = m
            }
            if ok && acc == value { return candidate }
        }
        return nil
    }
}
