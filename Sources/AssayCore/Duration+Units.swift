/// The one conversion between `Duration` and the plain numbers files keep. Plans,
/// manifests and stored results hold seconds and milliseconds as numbers (what a person
/// writes and what JSON carries); inside, time is `Duration` (`.seconds(x)` from a
/// setting), and it becomes a number again only here.
extension Duration {
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    public var inMilliseconds: Double { inSeconds * 1000 }
}

extension Duration {
    /// A span no one will see end (31,700 years): a wait for a rate of nothing, since a
    /// `Duration` cannot be infinite.
    public static let forever: Duration = .seconds(1_000_000_000_000)

    /// Seconds worked out (tokens over a rate) or read where nothing checked them (a catalog's
    /// `burst_seconds`) as a `Duration`: `.seconds(seconds)`, but `forever` when longer or not a
    /// number, and `.zero` when negative. (`.seconds` traps past about 1.7e20 s.)
    public static func clamped(seconds: Double) -> Duration {
        seconds < forever.inSeconds ? .seconds(max(0, seconds)) : forever
    }
}
