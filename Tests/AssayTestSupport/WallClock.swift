import Foundation

/// Whether the tests run on a quiet machine: `scripts/test` sets `ASSAY_QUIET_TESTS=1` for the
/// step where the wall-clock suites run alone. Beside the sandbox tests on two cores, a
/// scripted 1 ms answer was measured at 1.6 s: a threshold on wall-clock time (a rate within
/// 2%, a router's 800 ms) is held only there, and `scripts/test` requires those tests to pass.
public enum WallClock {
    public static var isQuiet: Bool { ProcessInfo.processInfo.environment["ASSAY_QUIET_TESTS"] == "1" }
}
