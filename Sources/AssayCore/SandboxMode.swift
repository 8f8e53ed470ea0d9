/// How model-written code ran: in a sandbox, or (only when the user said so with
/// `--unsafe-no-sandbox`) without one.
///
/// The run manifest stores it beside the sandbox's description (`RunManifest.sandboxMode`);
/// manifests stored before it existed have the description only, and `init(description:)` reads
/// their mode off it, the one place that does.
public enum SandboxMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// In a bubblewrap sandbox.
    case bubblewrap
    /// Unsandboxed (`--unsafe-no-sandbox`): nothing isolated the code.
    case unsandboxed = "none"

    /// The mode a sandbox's description names ("bubblewrap 0.8.0; ...", or "none: model code
    /// ran unsandboxed ..."): for manifests stored before the mode was.
    public init(description: String) {
        self = description.hasPrefix("none") ? .unsandboxed : .bubblewrap
    }
}
