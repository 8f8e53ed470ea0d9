import AssayStore

/// The spending cap of a run (`--max-cost`) as the executor uses it: a request is sent only
/// once its estimate is reserved; its real cost then replaces the reservation.
protocol SpendingCap: Sendable {
    /// Reserves `estimate`; false (and stopped for good) when it would pass the cap.
    func reserve(_ estimate: Double) async -> Bool
    /// Replaces a reservation by what the request really cost.
    func settle(reserved: Double, actual: Double) async
    /// True once a reservation was refused: no new request starts.
    var stopped: Bool { get async }
    var spent: Double { get async }
}

/// One process's cap: a request is sent only while the spend so far, plus the estimates of
/// the requests in flight, plus its own estimate stays within the cap.
actor ProcessBudget: SpendingCap {
    let cap: Double?
    private(set) var spent: Double
    private var inFlight = 0.0
    private(set) var stopped = false

    init(cap: Double?, alreadySpent: Double = 0) {
        self.cap = cap
        self.spent = alreadySpent
    }

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

    func settle(reserved: Double, actual: Double) {
        inFlight = max(0, inFlight - reserved)
        spent += actual
    }
}

/// The cap of a run that many workers share: the reservations live in the database
/// (`SharedRunStore.reserve`), so the cap holds across all of them. A worker that dies with
/// requests in flight leaves their reservations standing: the vendor may have billed them.
/// A store that fails to answer refuses the reservation (spending unaccounted is worse than
/// stopping early).
actor SharedBudget: SpendingCap {
    let store: any SharedRunStore
    let run: String
    private(set) var stopped = false

    init(store: any SharedRunStore, run: String) {
        self.store = store
        self.run = run
    }

    func reserve(_ estimate: Double) async -> Bool {
        guard !stopped else { return false }
        let granted = (try? await store.reserve(run: run, amount: estimate)) ?? false
        if !granted { stopped = true }
        return granted
    }

    /// A settle the store fails to take leaves the reservation (the request's upper bound) standing.
    func settle(reserved: Double, actual: Double) async {
        try? await store.settle(run: run, reserved: reserved, actual: actual)
    }

    var spent: Double {
        get async { (try? await store.budgetSpent(run: run)) ?? 0 }
    }
}
