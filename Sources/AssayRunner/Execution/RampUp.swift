/// Spaces out a run's first requests: slot `i` of `slots` opens `i * seconds / slots` after
/// the first, so the first `slots` requests (the run's concurrency) start evenly over
/// `seconds` instead of all at once.
///
/// Why: a run that starts `concurrency` requests at once keeps them in step (they finish
/// together and their successors start together), so the endpoint sees a burst every
/// round; endpoints that throttle bursts answer with 429s, and every answer in a burst
/// waits behind the others in the server's queue. Spaced once, the requests stay spaced:
/// each successor starts when its own predecessor ends.
struct RampUp {
    let seconds: Double
    let slots: Int
    private var opened = 0
    private var start: ContinuousClock.Instant?

    init(seconds: Double, slots: Int) {
        self.seconds = seconds
        self.slots = slots
    }

    /// Returns when the next slot opens: at once after the ramp, or when cancelled.
    mutating func waitForNextSlot() async {
        guard seconds > 0, opened < slots else { return }
        let clock = ContinuousClock()
        let first = start ?? clock.now
        start = first
        let offset = seconds * Double(opened) / Double(slots)
        opened += 1
        try? await Task.sleep(until: first + .seconds(offset), clock: clock)
    }
}
