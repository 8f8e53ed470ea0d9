/// The work one math grade may do: a count of steps, a wall-clock backstop and the run's
/// cancellation, so that no answer (or expected answer) can hang a run.
///
/// Steps are the unit of work of the evaluators: one per expression node evaluated (exactly or
/// in floating point), one per pair of terms multiplied in an exact value, one per thousand
/// trial divisions when a radicand is factored. Steps are counted, not timed, so the same
/// answer always gets the same grade. `defaultSteps` (100,000) is 200 times what the costliest
/// comparison of MATH-500 needs (451 steps, over every gold, rewritten form, perturbation and
/// reference solution), and about 0.1 s in a debug build (a step costs about 1 µs there); an
/// identity in 8 variables of 1,800 nodes, or a set of 256 radicals in reverse order, is past it.
/// The clock (2 s) only matters on a machine so loaded that the step count no longer bounds the
/// time. Every 1,024 steps the budget also checks `Task.isCancelled`, so Ctrl-C stops a grade
/// in progress.
///
/// Once spent, a budget stays spent: every later `spend` is refused, the evaluators give up
/// (no exact value, NaN in floating point) and the comparison is undecided, never a pass.
/// Not `Sendable`: one grade's synchronous work owns it.
final class MathBudget {
    /// Why a grade stopped before it was decided.
    enum Stop: Sendable, Hashable {
        case steps, time, cancelled
    }

    static let defaultSteps = 100_000
    static let defaultTime: Duration = .seconds(2)
    static let checkInterval = 1_024

    let limit: Int
    private(set) var spent = 0
    private(set) var stop: Stop?
    /// How many times an exact evaluation gave up because a value grew past the exact limits
    /// (see `ExactValue.maxTerms`, 64-bit overflow, radicands past 10^10, exponents past 4096).
    private(set) var exactLimitHits = 0
    private let deadline: ContinuousClock.Instant
    private var untilCheck = MathBudget.checkInterval

    init(steps: Int = MathBudget.defaultSteps, time: Duration = MathBudget.defaultTime) {
        limit = steps
        deadline = ContinuousClock.now.advanced(by: time)
    }

    /// Spends `steps`; false (now and from then on) when the budget is exhausted, the clock has
    /// run out or the task is cancelled.
    @discardableResult
    func spend(_ steps: Int = 1) -> Bool {
        if stop != nil { return false }
        spent += steps
        if spent > limit {
            stop = .steps
            return false
        }
        untilCheck -= steps
        if untilCheck <= 0 {
            untilCheck = MathBudget.checkInterval
            if Task.isCancelled {
                stop = .cancelled
            } else if ContinuousClock.now >= deadline {
                stop = .time
            }
        }
        return stop == nil
    }

    /// Why a comparison could be neither proven nor refuted (the first such reason), when one was.
    private(set) var undecided: String?

    /// Notes that a comparison was left undecided: a "not equal" verdict of this grade may then be
    /// wrong, so it is reported as undecided rather than as a fail.
    func noteUndecided(_ reason: String) {
        if undecided == nil { undecided = reason }
    }

    /// Notes that an exact value was abandoned at a limit (so a floating-point "close" must not
    /// count as equal).
    func exactLimitHit() { exactLimitHits += 1 }

    var isSpent: Bool { stop != nil }

    /// Why the grade stopped, for the grade's evidence; nil while the budget lasts.
    var reason: String? {
        switch stop {
        case .steps: "the comparison needs more than \(limit) steps of work (the limit of one grade)"
        case .time: "the comparison ran past the time limit of one grade"
        case .cancelled: "grading was cancelled"
        case nil: nil
        }
    }
}
