import AssayCore
import Testing

@Suite struct ArrivalRateTests {
    @Test func evenArrivalsGiveTheirRateAndALateFirstOneBarelyMovesIt() {
        let even = (0..<200).map { Double($0) * 0.02 }
        #expect(abs(ArrivalRate.perSecond(even) - 50) < 1e-9)
        // The first arrival 150 ms early against the rest: first-to-last would say 48.2/s.
        var late = even
        late[0] = -0.15
        let rate = ArrivalRate.perSecond(late)
        #expect(abs(rate - 50) < 0.5, "\(rate)")
        #expect(abs(Double(late.count - 1) / (late[late.count - 1] - late[0]) - 50) > 0.5)
    }

    @Test func tooFewOrSimultaneousArrivalsHaveNoRate() {
        #expect(ArrivalRate.perSecond([]) == 0)
        #expect(ArrivalRate.perSecond([1]) == 0)
        #expect(ArrivalRate.perSecond([2, 2, 2]) == 0)
    }
}
