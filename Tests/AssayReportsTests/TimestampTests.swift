@testable import AssayReports
import AssayCore
import Foundation
import Testing

/// `SummaryJSON.timestamp` writes what Foundation's ISO8601DateFormatter writes, to the
/// millisecond and its rounding, for any date a store may hold.
@Suite struct TimestampTests {
    @Test func theTimestampIsFoundationsToTheMillisecond() {
        var generator = SeededGenerator(seed: 33)
        var dates: [Double] = [0, 0.9994, 0.9995, 0.9999, 1.0005, -1.5, 951_782_400, 4_107_542_399.9996]
        for index in 0..<20_000 {
            switch index % 4 {
            case 0: dates.append(Double.random(in: 0...2_000_000_000, using: &generator))
            case 1:
                // Half a millisecond past a millisecond: where rounding could go either way.
                dates.append(
                    Double(Int.random(in: 0...2_000_000_000, using: &generator))
                        + Double(Int.random(in: 0...999, using: &generator)) / 1000 + 0.0005)
            case 2: dates.append(Double.random(in: -2_000_000_000...8_000_000_000, using: &generator))
            default: dates.append(Double(Int.random(in: 1_700_000_000...1_900_000_000, using: &generator)))
            }
        }
        var differing: [String] = []
        for seconds in dates {
            let date = Date(timeIntervalSince1970: seconds)
            let ours = SummaryJSON.timestamp(date), foundations = SummaryJSON.formatted(date)
            if ours != foundations { differing.append("\(seconds): \(ours) against \(foundations)") }
        }
        #expect(differing.isEmpty, "\(differing.count) differ: \(differing.prefix(5))")
    }
}
