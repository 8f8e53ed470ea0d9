/// One of N static shards of a run's work items (`assay run --shard 2/8`), for CI matrices:
/// an item belongs to the shard its stable hash (suite, case, model, epoch) falls in, so each
/// shard is balanced across models and suites, and holds the same items whenever the plan is
/// run again, on any machine. `assay merge` joins the shards' stores into one run.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// "2/8" as shard 2 of 8; nil when it is not that, or out of range.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 100_000,
            (1...count).contains(index)
        else {
            return nil
        }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the item is this shard's.
    public func takes(suite: String, caseID: String, model: String, epoch: Int) -> Bool {
        Int(Self.hash(suite: suite, caseID: caseID, model: model, epoch: epoch) % UInt64(count)) == index - 1
    }

    /// `StableHash` over the item's identity: stable across processes, machines and Swift
    /// versions (unlike `Hasher`, which is seeded per process).
    public static func hash(suite: String, caseID: String, model: String, epoch: Int) -> UInt64 {
        StableHash.fnv1a([suite, caseID, model, String(epoch)])
    }
}
