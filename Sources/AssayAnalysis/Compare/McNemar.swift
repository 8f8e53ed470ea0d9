import Foundation

/// McNemar's exact test on paired right/wrong outcomes: of the discordant pairs, b went one
/// way and c the other; under "no difference" each way is a fair coin, so
/// p = min(1, 2 x P(Binomial(b + c, 1/2) <= min(b, c))), two-sided.
public enum McNemar {
    public static func exactP(b: Int, c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
        // Sum C(n, i) / 2^n for i in 0...k, in logs: exact enough for any n.
        var total = 0.0
        for i in 0...k {
            total += exp(logChoose(n, i) - Double(n) * log(2.0))
        }
        return min(1, 2 * total)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
