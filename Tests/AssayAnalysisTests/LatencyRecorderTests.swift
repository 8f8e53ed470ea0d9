@testable import AssayAnalysis
import AssayCore
import Foundation
import Testing

/// `LatencyRecorder` reads the percentiles of a few thousand values from the values sorted,
/// not from a walk over HdrHistogram's buckets: the figures must be the histogram's own, to
/// the microsecond, whatever the values.
@Suite struct LatencyRecorderTests {
    @Test(arguments: [1, 2, 3, 7, 20, 100, 999, 4_096])
    func percentilesFromTheKeptValuesAreTheHistogramsOwn(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        for shape in 0..<4 {
            var recorder = LatencyRecorder()
            for index in 0..<count {
                let value: Double =
                    switch shape {
                    case 0: Double.random(in: 0...5_000, using: &generator)  // milliseconds with fractions
                    case 1: Double((index % 5) * 100)  // ties and zeros
                    case 2: exp(Double.random(in: 0...15, using: &generator))  // a long tail, past an hour
                    default: Double.random(in: 0...0.01, using: &generator)  // below a microsecond
                    }
                recorder.record(milliseconds: value)
            }
            let fast = recorder.stats, slow = recorder.histogramStats
            #expect(fast == slow, "shape \(shape), \(count) values: \(fast) against \(slow)")
        }
    }

    @Test func pastTheLimitAndAcrossAddedRecordersTheHistogramStillAnswers() {
        var generator = SeededGenerator(seed: 7)
        var a = LatencyRecorder(), b = LatencyRecorder()
        for _ in 0..<3_000 { a.record(milliseconds: Double.random(in: 1...900, using: &generator)) }
        for _ in 0..<3_000 { b.record(milliseconds: Double.random(in: 1...900, using: &generator)) }
        var both = a
        both.add(b)  // 6,000 values: past the limit, the histogram alone
        #expect(both.stats == both.histogramStats)
        #expect(both.stats.count == 6_000)
        var small = LatencyRecorder()
        small.record(milliseconds: 5)
        small.add(a)  // 3,001 values, kept
        #expect(small.stats == small.histogramStats && small.stats.count == 3_001)
    }
}
