import AssayConfig
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// `--arrivals` and a plan's `load.arrivals` as users write them: the shapes, recorded
/// arrival logs with their bad lines, and what a manifest keeps (old manifests still read).
@Suite struct ArrivalShapeTests {
    typealias Arrivals = LoadProfile.Arrivals

    @Test func shapesParseAndPrintAsWritten() {
        #expect(Arrivals(shape: "constant") == .constant)
        #expect(Arrivals(shape: " Poisson ") == .poisson)
        #expect(Arrivals(shape: "burst:20/5s") == .burst(size: 20, everySeconds: 5))
        #expect(Arrivals(shape: "burst:3/500ms") == .burst(size: 3, everySeconds: 0.5))
        #expect(Arrivals(shape: "ramp:10/s..100/s") == .ramp(fromPerSecond: 10, toPerSecond: 100))
        #expect(Arrivals(shape: "ramp:600/min..0") == .ramp(fromPerSecond: 10, toPerSecond: 0), "a ramp may end at 0")
        for bad in [
            "", "steady", "burst:20", "burst:0/5s", "burst:2.5/5s", "burst:20/0s", "burst:20/soon", "ramp:10/s",
            "ramp:0..0", "ramp:a..b", "ramp:-5..10", "replay:x.jsonl",
        ] {
            #expect(Arrivals(shape: bad) == nil, "'\(bad)' is no shape")
        }
        for text in ["constant", "poisson", "burst:20/5s", "burst:3/0.5s", "ramp:10/s..100/s", "ramp:2.5/s..0/s"] {
            #expect(Arrivals(shape: text)?.description == text, "\(text) reads back as written")
        }
        #expect(Arrivals.replaySource("replay:logs/arrivals.jsonl") == "logs/arrivals.jsonl")
        #expect(Arrivals.replaySource("replay:") == nil && Arrivals.replaySource("burst:1/1s") == nil)
    }

    @Test func burstsAndRampsSetTheirOwnRateAndAGivenOneMustAgree() {
        let burst = Arrivals.burst(size: 20, everySeconds: 5)
        #expect(burst.ownPerSecond == 4)
        #expect(burst.contradiction(rate: 4) == nil)
        #expect(burst.contradiction(rate: 10) == "burst:20/5s averages 4/s, not 10/s")
        let ramp = Arrivals.ramp(fromPerSecond: 10, toPerSecond: 100)
        #expect(ramp.ownPerSecond == 55 && ramp.contradiction(rate: 55) == nil && ramp.contradiction(rate: 50) != nil)
        #expect(Arrivals.constant.ownPerSecond == nil && Arrivals.poisson.ownPerSecond == nil, "they take --rate")
        let log = ArrivalLog(source: "log", times: [0, 1, 2])
        #expect(
            log.map { Arrivals.replay($0).contradiction(rate: 100) } == .some(nil), "a replay is scaled to any rate")
        #expect(log?.perSecond == 1)
    }

    @Test func aLogIsReadFromJSONLinesISOTimesOrBareNumbers() throws {
        let jsonl = try ArrivalLog.parse(
            """
            {"t": 10.5, "path": "/v1/chat/completions"}
            {"t": 10.013}

            # a comment
            {"t": 11.013}
            """, source: "log.jsonl")
        #expect(jsonl.offsets.count == 3 && jsonl.offsets[0] == 0, "sorted, from the earliest")
        #expect(abs(jsonl.offsets[1] - 0.487) < 1e-9 && abs(jsonl.offsets[2] - 1) < 1e-9, "\(jsonl.offsets)")
        #expect(jsonl.source == "log.jsonl" && abs(jsonl.perSecond - 2) < 1e-9)

        let iso = try ArrivalLog.parse(
            """
            {"time": "2025-05-01T12:00:00Z"}
            {"time": "2025-05-01T12:00:00.250Z"}
            {"time": "2025-05-01T14:00:01+02:00"}
            """, source: "iso.jsonl")
        #expect(iso.offsets.map { ($0 * 1000).rounded() } == [0, 250, 1000], "\(iso.offsets)")

        let plain = try ArrivalLog.parse("3\n1\r\n2\n", source: "times.txt")
        #expect(plain.offsets == [0, 1, 2])
    }

    @Test func badLogLinesAreReportedWhereTheyAre() {
        let error = #expect(throws: InputError.self) {
            try ArrivalLog.parse(
                """
                {"t": 0}
                soon
                {"t": "later"}
                {"at": 3}
                {"time": "2025-05-01T12:00:00Z"}
                {"time": "yesterday"}
                [1, 2]
                {"t": 1
                """, source: "arrivals.jsonl")
        }
        let lines = error?.diagnostics.map(\.description) ?? []
        #expect(lines.count == 7, "\(lines)")
        #expect(lines.first { $0.hasPrefix("arrivals.jsonl:2: 'soon' is not a time") } != nil, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(#"arrivals.jsonl:3: "t" must be a number of seconds"#) }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(#"arrivals.jsonl:4: no "t" (seconds) or "time" (ISO 8601) key"#) })
        #expect(
            lines.contains {
                $0.hasPrefix("arrivals.jsonl:5: an ISO 8601 time here, but line 1 gave seconds")
            }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(#"arrivals.jsonl:6: "time" must be an ISO 8601 time"#) })
        #expect(lines.contains { $0.hasPrefix("arrivals.jsonl:7: not a JSON object") })
        #expect(lines.contains { $0.hasPrefix("arrivals.jsonl:8: not JSON") })

        let one = #expect(throws: InputError.self) { try ArrivalLog.parse("5\n5\n", source: "one.txt") }
        #expect(one?.description.contains("one.txt: the arrivals are all at one instant") == true)
        let none = #expect(throws: InputError.self) { try ArrivalLog.parse("# nothing\n", source: "none.txt") }
        #expect(none?.description.contains("none.txt: no arrival times") == true)
        let missing = #expect(throws: InputError.self) { try Arrivals.read("replay:/nonexistent/arrivals.jsonl") }
        #expect(missing?.description == "/nonexistent/arrivals.jsonl: no such file")
    }

    /// Manifests written before the shapes hold `"arrivals": "constant"`; they still read, and
    /// constant and Poisson loads are written as before. A burst or ramp is its text; a replay
    /// keeps its times, so that `--resume` sends the same schedule without the file.
    @Test func manifestsOldAndNewRead() throws {
        let old = #"{"perSecond": 50, "arrivals": "poisson", "requests": 200, "seed": 7}"#
        let profile = try JSONDecoder().decode(LoadProfile.self, from: Data(old.utf8))
        #expect(profile == LoadProfile(perSecond: 50, arrivals: .poisson, requests: 200, seed: 7))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let constant = String(decoding: try encoder.encode(LoadProfile(perSecond: 5)), as: UTF8.self)
        #expect(constant == #"{"arrivals":"constant","perSecond":5,"seed":1}"#)

        let log = try #require(ArrivalLog(source: "a.jsonl", times: [2, 2.5, 4]))
        for arrivals in [
            Arrivals.burst(size: 20, everySeconds: 5), .ramp(fromPerSecond: 0.5, toPerSecond: 100), .replay(log),
        ] {
            let profile = LoadProfile(perSecond: 4, arrivals: arrivals, durationSeconds: 60)
            let data = try encoder.encode(profile)
            #expect(try JSONDecoder().decode(LoadProfile.self, from: data) == profile, "\(arrivals) round-trips")
        }
        let burst = String(decoding: try encoder.encode(Arrivals.burst(size: 20, everySeconds: 5)), as: UTF8.self)
        #expect(burst == #""burst:20\/5s""# || burst == #""burst:20/5s""#, "\(burst)")
        let replay = String(decoding: try encoder.encode(Arrivals.replay(log)), as: UTF8.self)
        #expect(replay == #"{"replay":{"offsets":[0,0.5,2],"source":"a.jsonl"}}"#, "\(replay)")
        let broken = #"{"replay": {"source": "a.jsonl", "offsets": [0]}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Arrivals.self, from: Data(broken.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Arrivals.self, from: Data(#""steady""#.utf8)) }

        let report =
            #"{"profile": \#(old), "scheduled": 2, "started": 2, "spanSeconds": 0.5, "lagP50Ms": 1, "lagP99Ms": 1, "lagMaxMs": 1, "late": 0, "peakInFlight": 1}"#
        let stored = try JSONDecoder().decode(LoadReport.self, from: Data(report.utf8))
        #expect(stored.scheduledPerSecond == nil && stored.rateError.map { abs($0 + 0.96) < 1e-9 } == true)
    }

    @Test func aPlanTakesTheShapes() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("arrivals.jsonl", "{\"t\": 0}\n{\"t\": 0.25}\n{\"t\": 1}\n")
        try dir.write(
            "plan.yaml",
            """
            suites: [a]
            models: [b]
            load: {arrivals: burst:20/5s, duration: 60}
            """)
        let burst = try #require(try PlanFile.load(dir.path("plan.yaml")).settings.load)
        #expect(burst.arrivals == .burst(size: 20, everySeconds: 5) && burst.perSecond == 4, "no rate: the burst's")
        #expect(burst.total(itemsPerPass: 3) == 240)

        try dir.write(
            "replay.yaml",
            "suites: [a]\nmodels: [b]\nload: {rate: 6, arrivals: \"replay:\(dir.path("arrivals.jsonl"))\"}\n")
        let replay = try #require(try PlanFile.load(dir.path("replay.yaml")).settings.load)
        #expect(replay.perSecond == 6 && replay.total(itemsPerPass: 100) == 3, "the log once, scaled to 6/s")
        guard case .replay(let log) = replay.arrivals else {
            Issue.record("not a replay: \(replay.arrivals)")
            return
        }
        #expect(log.offsets == [0, 0.25, 1])

        try dir.write("bad.jsonl", "0\n0.5\nnever\n")
        try dir.write(
            "bad.yaml",
            """
            suites: [a]
            models: [b]
            load:
              rate: 10
              arrivals: ramp:1/s..9/s
            """)
        let contradicted = #expect(throws: InputError.self) { try PlanFile.load(dir.path("bad.yaml")) }
        #expect(
            contradicted?.description.contains(
                "bad.yaml:4: rate: ramp:1/s..9/s averages 5/s, not 10/s: leave the rate out or make them agree")
                == true, "\(contradicted?.description ?? "")")
        try dir.write("bad.yaml", "suites: [a]\nmodels: [b]\nload:\n  arrivals: poisson\n")
        let rateless = #expect(throws: InputError.self) { try PlanFile.load(dir.path("bad.yaml")) }
        #expect(rateless?.description.contains("load needs a rate") == true, "\(rateless?.description ?? "")")
        try dir.write("bad.yaml", "suites: [a]\nmodels: [b]\nload:\n  arrivals: sometimes\n")
        let unknown = #expect(throws: InputError.self) { try PlanFile.load(dir.path("bad.yaml")) }
        #expect(
            unknown?.description.contains("bad.yaml:4: arrivals 'sometimes' is not constant, poisson, burst:20/5s")
                == true, "\(unknown?.description ?? "")")
        try dir.write(
            "bad.yaml", "suites: [a]\nmodels: [b]\nload: {arrivals: \"replay:\(dir.path("bad.jsonl"))\"}\n")
        let badLog = #expect(throws: InputError.self) { try PlanFile.load(dir.path("bad.yaml")) }
        #expect(
            badLog?.description.contains("bad.jsonl:3: 'never' is not a time") == true, "\(badLog?.description ?? "")")
    }
}
