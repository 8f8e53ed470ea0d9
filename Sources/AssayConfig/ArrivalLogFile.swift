import AssayCore

/// Reads a recorded arrival log (`--arrivals replay:FILE`, a plan's `load.arrivals`) from
/// disk; `ArrivalLog.parse` reads its lines.
public enum ArrivalLogFile {
    /// The log at `path`, every bad line reported as `path:line`.
    public static func read(_ path: String) throws(InputError) -> ArrivalLog {
        try ArrivalLog.parse(TextFile.read(path), source: path)
    }
}

extension LoadProfile.Arrivals {
    /// An arrival shape as `--arrivals` and a plan's `load.arrivals` take it, with a replay's
    /// log read from its file. Nil when `text` is none of `forms` (the caller says where it
    /// was written); a log that cannot be read, or has bad lines, throws.
    public static func read(_ text: String) throws(InputError) -> Self? {
        if let path = replaySource(text) { return .replay(try ArrivalLogFile.read(path)) }
        return Self(shape: text)
    }
}
