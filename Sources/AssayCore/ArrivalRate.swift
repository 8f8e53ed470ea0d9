/// The rate at which things arrived, measured as a load test measures it: 1 / the
/// least-squares slope of arrival time against arrival number. A few arrivals delayed at the
/// start (new connections on a busy machine) barely move it, where first-to-last would.
public enum ArrivalRate {
    /// Arrivals per second; `times` in seconds, in arrival order. 0 with fewer than two.
    public static func perSecond(_ times: [Double]) -> Double {
        guard times.count > 1 else { return 0 }
        let meanIndex = Double(times.count - 1) / 2
        let meanTime = times.reduce(0, +) / Double(times.count)
        var covariance = 0.0
        var variance = 0.0
        for (index, time) in times.enumerated() {
            covariance += (Double(index) - meanIndex) * (time - meanTime)
            variance += (Double(index) - meanIndex) * (Double(index) - meanIndex)
        }
        return covariance > 0 ? variance / covariance : 0
    }
}
