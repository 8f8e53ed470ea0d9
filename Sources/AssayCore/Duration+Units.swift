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
