import Dispatch
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM during a run: the first stops it gracefully (requests in
/// flight are cancelled, everything graded is kept, the run is marked interrupted); the
/// second exits at once.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let hits = Mutex(0)

    init(onFirst: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let count = hits.withLock { hits in
                    hits += 1
                    return hits
                }
                if count == 1 {
                    Terminal.note(
                        "\nstopping: cancelling the requests in flight, keeping every graded result (press Ctrl-C again to quit at once)"
                    )
                    onFirst()
                } else {
                    Terminal.note("stopped at once")
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives the signals back their default behaviour.
    func remove() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
