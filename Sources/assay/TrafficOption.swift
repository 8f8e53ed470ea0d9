import ArgumentParser
import AssayConfig
import AssayCore

/// `--traffic FILE`, shared by `compare`, `gate` and `route`: a production mix to weigh
/// results by, beside the eval's own.
struct TrafficOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Also weigh the results by this production mix (traffic/*.yaml: shares by suite, kind, tag or prompt); a gate policy's own traffic: is used otherwise.",
            valueName: "file"))
    var traffic: String?

    /// The mix given by --traffic, else `fallback` (a gate policy's).
    func mix(or fallback: TrafficMix? = nil) throws(InputError) -> TrafficMix? {
        try traffic.map { path throws(InputError) in try TrafficMixFile.load(path) } ?? fallback
    }
}
