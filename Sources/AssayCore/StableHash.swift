/// FNV-1a (64-bit) over fields, each followed by a NUL: the same on every process, machine
/// and Swift version (unlike `Hasher`, which is seeded per process). For spreading work over
/// shards and shortening names, never for security.
public enum StableHash {
    public static func fnv1a(_ fields: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in fields {
            for byte in field.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `fnv1a` as 16 hex digits.
    public static func hex(_ fields: [String]) -> String {
        let digits = String(fnv1a(fields), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
