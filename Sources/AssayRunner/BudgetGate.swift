/// The spending cap of a run (`--max-cost`): a request is sent only while the spend so far,
/// plus the estimates of the requests in flight, plus its own estimate stays within the cap.
/// Once one is refused, no new request starts.
actor BudgetGate {
    let cap: Double?
    private(set) var spent: Double
    private var inFlight = 0.0
    private(set) var stopped = false

    init(cap: Double?, alreadySpent: Double = 0) {
        self.cap = cap
        self.spent = alreadySpent
    }

    /// Reserves `estimate`; false (and stopped for good) when it would pass the cap.
    func reserve(_ estimate: Double) -> Bool {
        guard !stopped else { return false }
        guard let cap else { return true }
        if spent + inFlight + estimate > cap {
            stopped = true
            return false
        }
        inFlight += estimate
        return true
    }

    /// Replaces a reservation by what the request really cost.
    func settle(reserved: Double, actual: Double) {
        inFlight = max(0, inFlight - reserved)
        spent += actual
    }
}
