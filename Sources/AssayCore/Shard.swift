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

    /// FNV-1a (64-bit) over the item's identity, fields separated by NUL: stable across
    /// processes, machines and Swift versions (unlike `Hasher`, which is seeded per process).
    public static func hash(suite: String, caseID: String, model: String, epoch: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0
            hash &*= 0x0000_0100_0000_01b3
        }
        add(suite)
        add(caseID)
        add(model)
        add(String(epoch))
        return hash
    }
}
