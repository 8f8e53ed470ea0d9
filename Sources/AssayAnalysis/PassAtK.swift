/// pass@k, the unbiased estimator of the Codex paper (Chen et al. 2021).
///
/// For one case with `n` samples of which `c` passed: pass@k = 1 - C(n-c, k) / C(n, k),
/// computed in the numerically stable product form 1 - prod_{i=n-c+1}^{n} (1 - k/i).
/// It is 1 when n - c < k (every draw of k samples holds a pass), and it is defined only
/// for k <= n. A suite's pass@k is the mean over its cases.
public enum PassAtK {
    public static func estimate(n: Int, c: Int, k: Int) -> Double? {
        guard k >= 1, n >= 1, k <= n, c >= 0, c <= n else { return nil }
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        var product = 1.0
        for i in (n - c + 1)...n {
            product *= 1 - Double(k) / Double(i)
        }
        return 1 - product
    }

    /// The ks worth reporting for `n` samples per case: 1, the usual 5, 10, 20, 50, 100 up to
    /// n, and n itself.
    public static func reportedKs(samples n: Int) -> [Int] {
        guard n >= 1 else { return [] }
        return Array(Set([1, n] + [5, 10, 20, 50, 100].filter { $0 <= n })).sorted()
    }

    /// The mean pass@k over cases, each given as (samples, passes); nil when a case has
    /// fewer than k samples (the estimate would not be defined for it).
    public static func mean(_ cases: [(n: Int, c: Int)], k: Int) -> Double? {
        guard !cases.isEmpty else { return nil }
        var sum = 0.0
        for item in cases {
            guard let value = estimate(n: item.n, c: item.c, k: k) else { return nil }
            sum += value
        }
        return sum / Double(cases.count)
    }
}
