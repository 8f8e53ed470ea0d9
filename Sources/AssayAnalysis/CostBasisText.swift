import AssayCore

/// A cost's basis as every report marks it: nothing for a full cost, `~` for an estimated
/// one, `*` for output tokens only; and the footnotes that say what the marks mean.
public enum CostBasisText {
    public static func mark(_ basis: CostBasis) -> String {
        switch basis {
        case .full: ""
        case .estimated: "~"
        case .outputOnly: "*"
        }
    }

    /// The footnotes a run's report carries for the bases its costs have.
    public static func lines(_ summary: RunSummary) -> [String] {
        var lines: [String] = []
        if let assumption = summary.run.costAssumption, summary.models.contains(where: { $0.spend.basis == .estimated })
        {
            lines.append("~ estimated cost: \(assumption)")
        }
        let outputOnly = summary.rankings.outputOnly
        if !outputOnly.isEmpty {
            lines.append(
                "* output tokens only (no input price quoted): \(outputOnly.joined(separator: ", ")) ranked apart, after the models "
                    + "costed in full, and off the frontier; their cost is too low and correct/$ too high "
                    + "(--assume-input-ratio R ranks them with an assumed input price)")
        }
        return lines
    }
}
