import AssayCore
import AssayStore
import Crypto
import Foundation
import Synchronization

/// One worker's slices of its endpoints' rate limits in a shared store (`SharedRateLimits`):
/// registered before the first request, renewed every `refresh`, given back at the end.
///
/// On each renewal every limiter keeps `1 / holders` of its key's limits, publishes the key's
/// rate it learned from 429s when it cut since the last renewal, and adopts a fresher one
/// another worker published. A worker that finds others already on a key holds its requests
/// for `joinHold` (a little over one refresh): by then every other worker has seen it and given
/// up part of its share, so the key's limit is never over-spent while the shares change.
final class SharedLimits: Sendable {
    static let refresh: Duration = .milliseconds(500)
    /// A slice not renewed for this long is a dead worker's: the others take up its share.
    static let lease: Duration = .seconds(3)
    static let joinHold: Duration = .milliseconds(600)

    private struct Slice: Sendable {
        var key: String
        var limiter: EndpointLimiter
    }

    private struct Learning: Sendable {
        /// When this worker's published estimate was cut; nil before it published one.
        var publishedCut: ContinuousClock.Instant?
        /// When the estimate this worker last adopted was published (the database's clock).
        var adoptedAt = -Double.infinity
    }

    private let store: any SharedRateLimits
    private let holder: String
    private let slices: [Slice]
    private let learning: Mutex<[String: Learning]>

    /// `keys`: each endpoint's key fingerprint (`fingerprint`), by endpoint name.
    init(store: any SharedRateLimits, holder: String, limiters: [String: EndpointLimiter], keys: [String: String]) {
        self.store = store
        self.holder = holder
        slices = limiters.sorted { $0.key < $1.key }.compactMap { name, limiter in
            keys[name].map { Slice(key: $0, limiter: limiter) }
        }
        learning = Mutex([:])
    }

    /// What identifies a key's limits across workers and machines: a SHA-256 of the
    /// endpoint's base URLs and its key (the key itself never leaves the process).
    static func fingerprint(baseURLs: [String], key: String?) -> String {
        let text = baseURLs.sorted().joined(separator: "\n") + "\u{0}" + (key ?? "")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Takes this worker's slices before its first request; holds its limiters when others
    /// already share a key.
    func join() async throws(StoreError) {
        for slice in slices {
            let share = try await renew(slice)
            if share.holders > 1 { slice.limiter.hold(for: Self.joinHold) }
        }
    }

    /// Renews the slices every `refresh` until cancelled. A failed renewal is tried again
    /// next time; until its lease runs out, the others keep counting this worker. Once it
    /// could have run out (the store unreachable that long), the others may have taken up this
    /// worker's share: its requests are held until a renewal says how the key is shared now.
    func keep() async {
        let clock = ContinuousClock()
        var renewed = [String: ContinuousClock.Instant](uniqueKeysWithValues: slices.map { ($0.key, clock.now) })
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.refresh) } catch { return }
            for slice in slices {
                if (try? await renew(slice)) != nil {
                    renewed[slice.key] = clock.now
                    slice.limiter.suspend(false)
                } else if let last = renewed[slice.key], clock.now - last > Self.lease - Self.refresh {
                    slice.limiter.suspend(true)
                }
            }
        }
    }

    /// Gives the slices back (the others take up the share at their next renewal).
    func leave() async {
        for slice in slices { try? await store.leaveLimits(key: slice.key, holder: holder) }
    }

    private func renew(_ slice: Slice) async throws(StoreError) -> LimitShare {
        let known = learning.withLock { $0[slice.key] ?? Learning() }
        let learned = slice.limiter.learnedKeyRate
        // A cut of its own (an adopted rate has none) newer than the one it published.
        let publish = learned?.cutAt.map { cut in known.publishedCut.map { cut > $0 } ?? true } ?? false
        let share = try await store.shareLimits(
            key: slice.key, holder: holder, lease: Self.lease, learned: publish ? learned?.perSecond : nil,
            learnedChanged: publish)
        slice.limiter.share(holders: share.holders)
        var adopt: Double?
        learning.withLock { all in
            var state = all[slice.key] ?? Learning()
            if publish, let cut = learned?.cutAt { state.publishedCut = cut }
            if let fresher = share.learned, fresher.at > state.adoptedAt {
                state.adoptedAt = fresher.at
                adopt = fresher.perSecond
            }
            all[slice.key] = state
        }
        if let adopt { slice.limiter.adopt(keyPerSecond: adopt) }
        return share
    }
}
