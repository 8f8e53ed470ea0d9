import AssayAnalysis
import AssayCore
import AssayRunner
import Foundation
import Synchronization

/// Shows a run's progress on stderr: on a terminal, a live line per model (done/total,
/// rate, ETA, cost so far, errors) redrawn twice a second; elsewhere (CI logs), the same
/// lines every five seconds.
final class ProgressPrinter: Sendable {
    private struct ModelProgress {
        var total = 0
        var done = 0
        /// Items done before this session (a resumed run): not part of the rate.
        var resumedFrom = 0
        var errors = 0
        /// Answers replayed from the response cache: not asked now.
        var replayed = 0
        var cost = 0.0
    }

    private struct State {
        var order: [String] = []
        var models: [String: ModelProgress] = [:]
        var start = ContinuousClock.now
        var linesShown = 0
        /// Endpoints whose rate a 429 or their headers set: the rate now and why.
        var throttled: [String: (perSecond: Double, source: EndpointTraffic.LimitSource)] = [:]
    }

    private let state = Mutex(State())
    private let live: Bool
    private let enabled: Bool
    private let ticker: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(enabled: Bool, live: Bool) {
        self.enabled = enabled
        self.live = live
    }

    func handle(_ event: RunEvent) {
        guard enabled else { return }
        switch event {
        case .started(let runID, let totals, let completed):
            state.withLock { state in
                state.order = totals.keys.sorted()
                for (model, total) in totals {
                    state.models[model, default: ModelProgress()].total = total
                    state.models[model, default: ModelProgress()].done = completed[model] ?? 0
                    state.models[model, default: ModelProgress()].resumedFrom = completed[model] ?? 0
                }
                state.start = .now
            }
            let done = completed.values.reduce(0, +)
            Terminal.note(
                "run \(runID): \(totals.values.reduce(0, +)) items across \(totals.count) model\(totals.count == 1 ? "" : "s")"
                    + (done > 0 ? " (\(done) done before: resuming)" : ""))
            let interval: Duration = live ? .milliseconds(500) : .seconds(5)
            ticker.withLock {
                $0 = Task { [weak self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        guard !Task.isCancelled else { return }
                        self?.draw()
                    }
                }
            }
        case .budgetStopped(let spent, let cap):
            Terminal.note("spending cap reached: \(Format.money(spent)) spent of \(Format.money(cap)); no new requests")
        case .throttled(let endpoint, let perSecond, let source):
            state.withLock { $0.throttled[endpoint] = (perSecond, source) }
        case .finished(let result):
            guard result.fallbackFor == nil else {
                state.withLock {
                    $0.models[result.fallbackFor ?? "", default: ModelProgress()].cost += result.cost?.amount ?? 0
                }
                return
            }
            state.withLock { state in
                state.models[result.model, default: ModelProgress()].done += 1
                if result.status == .error { state.models[result.model, default: ModelProgress()].errors += 1 }
                if result.cached { state.models[result.model, default: ModelProgress()].replayed += 1 }
                state.models[result.model, default: ModelProgress()].cost += result.cost?.amount ?? 0
            }
        }
    }

    /// Stops redrawing and leaves the final state on screen.
    func stop() {
        guard enabled else { return }
        ticker.withLock {
            $0?.cancel()
            $0 = nil
        }
        draw()
    }

    private func draw() {
        let text = state.withLock { state -> String in
            let elapsed = (ContinuousClock.now - state.start).inSeconds + 0.001
            var lines: [String] = []
            let width = state.order.map(\.count).max() ?? 0
            for model in state.order {
                guard let progress = state.models[model] else { continue }
                let rate = Double(progress.done - progress.resumedFrom) / elapsed
                let remaining = progress.total - progress.done
                let eta = rate > 0 && remaining > 0 ? " eta \(Self.duration(Double(remaining) / rate))" : ""
                lines.append(
                    "\(model.padding(toLength: width, withPad: " ", startingAt: 0))  \(progress.done)/\(progress.total)"
                        + "  \(String(format: "%.1f", rate))/s\(eta)  \(Format.money(progress.cost))  errors \(progress.errors)"
                        + (progress.replayed > 0 ? "  replayed from cache \(progress.replayed)" : ""))
            }
            for (endpoint, limit) in state.throttled.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "endpoint \(endpoint): " + TrafficText.throttle(perSecond: limit.perSecond, source: limit.source))
            }
            var out = ""
            if live && state.linesShown > 0 {
                out += "\u{1B}[\(state.linesShown)A"
            }
            for line in lines {
                out += (live ? "\u{1B}[2K" : "") + Terminal.safe(line) + "\n"
            }
            state.linesShown = lines.count
            return out
        }
        Terminal.standardError(raw: text)
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}
