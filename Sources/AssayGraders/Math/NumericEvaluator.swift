import Foundation

/// A complex double; answers such as `6 - 5i` and `\sqrt{-3}` evaluate through it.
struct Complex: Sendable, Hashable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    static let nan = Complex(.nan, .nan)
    static let i = Complex(0, 1)
    var isFinite: Bool { re.isFinite && im.isFinite }
    var magnitude: Double { hypot(re, im) }
    var isReal: Bool { im == 0 }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    static func * (a: Complex, b: Complex) -> Complex {
        if a.isReal && b.isReal { return Complex(a.re * b.re) }
        return Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    static func / (a: Complex, b: Complex) -> Complex {
        if a.isReal && b.isReal { return Complex(a.re / b.re) }
        let d = b.re * b.re + b.im * b.im
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }

    static func exp(_ z: Complex) -> Complex {
        let m = Foundation.exp(z.re)
        return z.isReal ? Complex(m) : Complex(m * cos(z.im), m * sin(z.im))
    }

    static func log(_ z: Complex) -> Complex {
        if z.isReal && z.re > 0 { return Complex(Foundation.log(z.re)) }
        return Complex(Foundation.log(z.magnitude), atan2(z.im, z.re))
    }

    /// Real powers use `pow` (exact for integer exponents of negative bases); otherwise `exp(w·log z)`.
    static func pow(_ z: Complex, _ w: Complex) -> Complex {
        if z.isReal && w.isReal && (z.re >= 0 || w.re == w.re.rounded()) { return Complex(Foundation.pow(z.re, w.re)) }
        if z.re == 0 && z.im == 0 { return Complex(w.re > 0 ? 0 : .infinity) }
        return exp(w * log(z))
    }
}

/// Evaluates expressions in complex floating point, with variables bound by name.
/// Unknown variables, unsupported shapes and domain errors give NaN; so does every node once the
/// grade's budget is spent (one step per node evaluated).
struct NumericEvaluator {
    var bindings: [String: Complex]
    var budget: MathBudget

    init(bindings: [String: Complex], budget: MathBudget = MathBudget()) {
        self.bindings = bindings
        self.budget = budget
    }

    func value(_ e: MathExpr) -> Complex {
        guard budget.spend() else { return .nan }
        switch e {
        case .number(let r): return Complex(r.doubleValue)
        case .decimal(let d): return Complex(d.value)
        case .real(let x): return Complex(x)
        case .symbol(let s):
            switch s {
            case "pi": return Complex(Double.pi)
            case "e": return bindings["e"] ?? Complex(M_E)
            case "i": return .i
            case "infinity": return Complex(.infinity)
            default: return bindings[s] ?? .nan
            }
        case .sum(let items): return items.reduce(Complex(0)) { $0 + value($1) }
        case .negation(let inner): return -value(inner)
        case .product(let items): return items.reduce(Complex(1)) { $0 * value($1) }
        case .quotient(let n, let d): return value(n) / value(d)
        case .power(let b, let x): return Complex.pow(value(b), value(x))
        case .root(let radicand, let index):
            let r = value(radicand)
            let k = value(index)
            // Odd roots of negative reals are the real roots (`\sqrt[3]{-8}` = -2).
            if r.isReal, r.re < 0, k.isReal, k.re == k.re.rounded(), Int(exactly: k.re).map({ $0 % 2 != 0 }) == true {
                return Complex(-Foundation.pow(-r.re, 1 / k.re))
            }
            if r.isReal, r.re >= 0, k.isReal { return Complex(Foundation.pow(r.re, 1 / k.re)) }
            return Complex.pow(r, Complex(1) / k)
        case .function(let name, let args):
            return function(name, args.map(value))
        default:
            return .nan
        }
    }

    func function(_ name: String, _ a: [Complex]) -> Complex {
        guard let z = a.last else { return .nan }
        let real = a.allSatisfy(\.isReal)
        switch (name, a.count) {
        case ("sin", 1): return real ? Complex(sin(z.re)) : Complex(sin(z.re) * cosh(z.im), cos(z.re) * sinh(z.im))
        case ("cos", 1): return real ? Complex(cos(z.re)) : Complex(cos(z.re) * cosh(z.im), -sin(z.re) * sinh(z.im))
        case ("tan", 1): return function("sin", a) / function("cos", a)
        case ("cot", 1): return function("cos", a) / function("sin", a)
        case ("sec", 1): return Complex(1) / function("cos", a)
        case ("csc", 1): return Complex(1) / function("sin", a)
        case ("exp", 1): return Complex.exp(z)
        case ("ln", 1): return Complex.log(z)
        case ("log", 1): return Complex.log(z) / Complex(Foundation.log(10))
        case ("log", 2): return Complex.log(z) / Complex.log(a[0])
        case ("abs", 1): return Complex(z.magnitude)
        default: break
        }
        guard real else { return .nan }
        let x = z.re
        switch (name, a.count) {
        case ("arcsin", 1): return Complex(asin(x))
        case ("arccos", 1): return Complex(acos(x))
        case ("arctan", 1): return Complex(atan(x))
        case ("sinh", 1): return Complex(sinh(x))
        case ("cosh", 1): return Complex(cosh(x))
        case ("tanh", 1): return Complex(tanh(x))
        case ("floor", 1): return Complex(floor(x))
        case ("ceil", 1): return Complex(ceil(x))
        case ("factorial", 1): return x >= 0 && x <= 170 ? Complex(tgamma(x + 1)) : .nan
        case ("binom", 2):
            let n = a[0].re
            guard n >= 0, n <= 170, x >= 0, x <= n else { return .nan }
            let v = tgamma(n + 1) / (tgamma(x + 1) * tgamma(n - x + 1))
            return Complex(n == n.rounded() && x == x.rounded() ? v.rounded() : v)
        default: return .nan
        }
    }
}

/// SplitMix64 with a fixed seed: the same sample points on every run and platform.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64 = 0x5EED_A55A_7E57_0001) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A sample in [0.15, 2.85] at least 0.05 away from every integer (so 0, 1, 2 never hide a difference).
    mutating func samplePoint() -> Double {
        let unit = Double(next() >> 11) / Double(UInt64(1) << 53)
        var x = 0.15 + 2.7 * unit
        let distance = abs(x - x.rounded())
        if distance < 0.05 { x += 0.1 }
        return x
    }
}
