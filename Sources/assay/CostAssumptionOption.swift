import ArgumentParser
import AssayAnalysis
import AssayCore

/// `--assume-input-ratio R`: an explicit assumption for models whose input price is not
/// quoted, so that their costs can be ranked and gated beside full ones. Without it, such
/// costs cover output tokens only and are kept apart (rankings) or refused (a gate's cost rule).
struct CostAssumptionOption: ParsableArguments {
    @Option(
        name: .customLong("assume-input-ratio"),
        help: ArgumentHelp(
            "Price input tokens at R x the output price for models with no quoted input price (their costs become estimated, and every report says so).",
            valueName: "R"))
    var inputRatio: Double?

    /// The ratio, checked: a finite number from 0 to 100; else `stated` (a gate policy's).
    func ratio(or stated: Double? = nil) throws(InputError) -> Double? {
        guard let inputRatio else { return stated }
        guard inputRatio.isFinite, inputRatio >= 0, inputRatio <= 100 else {
            throw InputError(
                file: "--assume-input-ratio",
                "'\(inputRatio)' is not a ratio from 0 to 100 (input price = R x output price; 0.6 is typical)")
        }
        return inputRatio
    }
}
