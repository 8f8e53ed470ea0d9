import AssayAnalysis

/// The gate's `junit.xml`: one `<testsuite>`, a `<testcase>` per rule; a failed rule is a
/// `<failure>` whose message carries its numbers. CI systems show it as a test report.
enum GateJUnit {
    static func write(_ verdicts: [Gate.Verdict], name: String, to path: String) throws(ReportError) {
        let writer = try XMLWriter(path: path)
        let failures = verdicts.filter { !$0.passed }.count
        writer.start("testsuites")
        writer.attribute("name", "assay gate")
        writer.attribute("tests", verdicts.count)
        writer.attribute("failures", failures)
        writer.start("testsuite")
        writer.attribute("name", name)
        writer.attribute("tests", verdicts.count)
        writer.attribute("failures", failures)
        writer.attribute("errors", 0)
        for verdict in verdicts {
            writer.start("testcase")
            writer.attribute("classname", "assay.gate")
            writer.attribute("name", verdict.rule)
            if verdict.passed {
                writer.element("system-out", text: verdict.detail)
            } else {
                writer.start("failure")
                writer.attribute("type", "gate")
                writer.attribute("message", verdict.detail)
                writer.end()
            }
            writer.end()
        }
        writer.end()
        writer.end()
        try writer.finish()
    }
}
