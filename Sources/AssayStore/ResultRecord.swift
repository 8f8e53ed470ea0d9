import AssayCore
import Foundation
import GRDB

/// A row of the `results` table, for both backends: each stored property is a column
/// (named in `CodingKeys`), read by GRDB's decoding and written by `value(of:)`, whose
/// exhaustive switch will not compile without a new column's value. `ItemResult` <->
/// `ResultRecord` is the only mapping, here, in both directions.
///
/// Adding a result field: the property on `ItemResult`, one here (its column in
/// `CodingKeys` and its type there, its two lines of mapping and its case in `value(of:)`;
/// both stores add a column they lack when they open, `ResultColumns.swift`), and the
/// renderers that show it.
struct ResultRecord: Decodable, FetchableRecord {
    /// The columns, in the table's order. Spelled out rather than derived by GRDB's
    /// snake-case strategy: converting every key of every row was 5 per cent of a run's CPU.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case runId = "run_id"
        case suiteId = "suite_id"
        case caseId = "case_id"
        case model
        case epoch
        case requestHash = "request_hash"
        case status
        case tags
        case expected
        case prompt
        case output
        case reasoning
        case finishReason = "finish_reason"
        case outcome
        case score
        case extracted
        case rule
        case evidence
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case reasoningTokens = "reasoning_tokens"
        case cachedPromptTokens = "cached_prompt_tokens"
        case cost
        case costOutputOnly = "cost_output_only"
        case ttftMs = "ttft_ms"
        case firstReasoningMs = "first_reasoning_ms"
        case latencyMs = "latency_ms"
        case errorKind = "error_kind"
        case errorMessage = "error_message"
        case lastErrorKind = "last_error_kind"
        case fallbackFor = "fallback_for"
        case attempts
        case servedBy = "served_by"
        case cached
        case recordedAt = "recorded_at"
        case cachedAt = "cached_at"
        case routedPrompt = "routed_prompt"
        case answerChunks = "answer_chunks"
        case interTokenMs = "inter_token_ms"
        case maxStallMs = "max_stall_ms"
        case clientRegion = "client_region"
        /// The SHA-256 of the prompt's long piece, stored once in `prompts` (`PromptPiece`).
        case promptPiece = "prompt_piece"
        /// Where the piece was cut from `prompt`, and from the routed prompt's text (UTF-8 offsets).
        case promptPieceAt = "prompt_piece_at"
        case routedPieceAt = "routed_piece_at"

        /// Each column's type: from it both stores add a column they lack when they open
        /// (`ResultColumns.swift`), so a new column needs no migration of its own.
        var type: ResultColumnType {
            switch self {
            case .runId, .suiteId, .caseId, .model, .requestHash, .status, .tags, .expected, .prompt, .output,
                .reasoning, .finishReason, .outcome, .extracted, .rule, .evidence, .errorKind, .errorMessage,
                .lastErrorKind, .fallbackFor, .servedBy, .routedPrompt, .clientRegion, .promptPiece:
                .text
            case .epoch, .promptTokens, .completionTokens, .reasoningTokens, .cachedPromptTokens, .attempts,
                .answerChunks, .promptPieceAt, .routedPieceAt:
                .integer
            case .score, .cost, .ttftMs, .firstReasoningMs, .latencyMs, .recordedAt, .cachedAt, .interTokenMs,
                .maxStallMs:
                .real
            case .costOutputOnly, .cached: .flag
            }
        }
    }

    /// One statement for every row: each column, NULL where the record has no value.
    static let replacingSQL =
        "INSERT OR REPLACE INTO results (" + CodingKeys.allCases.map(\.rawValue).joined(separator: ", ") + ") VALUES ("
        + CodingKeys.allCases.map { _ in "?" }.joined(separator: ", ") + ")"

    var runId: String
    var suiteId: String
    var caseId: String
    var model: String
    var epoch: Int
    var requestHash: String
    var status: String
    /// The case's tags, joined by newlines.
    var tags: String
    var expected: String?
    var prompt: String?
    var output: String?
    var reasoning: String?
    var finishReason: String?
    var outcome: String?
    var score: Double
    var extracted: String?
    var rule: String?
    /// The grade's evidence, as JSON.
    var evidence: String?
    var promptTokens: Int?
    var completionTokens: Int?
    var reasoningTokens: Int?
    var cachedPromptTokens: Int?
    var cost: Double?
    var costOutputOnly: Bool?
    var ttftMs: Double?
    var firstReasoningMs: Double?
    var latencyMs: Double?
    var errorKind: String?
    var errorMessage: String?
    var lastErrorKind: String?
    /// '' for a model's own item (the unique key includes it, and SQLite's NULLs never
    /// collide); the primary model for a fallback's answer.
    var fallbackFor: String
    var attempts: Int
    var servedBy: String?
    var cached: Bool
    var recordedAt: Double
    var cachedAt: Double?
    /// The prompt a routing rule matches, as JSON (`RoutedPrompt`).
    var routedPrompt: String?
    var answerChunks: Int?
    var interTokenMs: Double?
    var maxStallMs: Double?
    /// Where the client that sent the request stood (`--client-region`).
    var clientRegion: String?
    var promptPiece: String?
    var promptPieceAt: Int?
    var routedPieceAt: Int?
    /// The long piece cut out of this record's prompt, to be stored in `prompts` with it; nil
    /// for a record read back, or one whose prompt is stored whole.
    var piece: PromptPiece? = nil

    /// The prompt file `piece` was read from; nil when the piece is not a file's.
    var pieceFile: String? = nil

    /// The row for `r`; `files` says which prompt files' texts the store holds already.
    init(_ r: ItemResult, files: PromptFilePieces? = nil) {
        runId = r.runID
        suiteId = r.suiteID
        caseId = r.caseID
        model = r.model
        epoch = r.epoch
        requestHash = r.requestHash
        status = r.status.rawValue
        tags = r.tags.joined(separator: "\n")
        expected = Self.storable(r.expected)
        prompt = Self.storable(r.prompt)
        output = Self.storable(r.output)
        reasoning = Self.storable(r.reasoning)
        finishReason = r.finishReason
        outcome = r.grade?.outcome.rawValue
        score = r.score
        extracted = Self.storable(r.grade?.extracted)
        rule = Self.storable(r.grade?.rule)
        evidence = r.grade.map { JSONValue.object($0.evidence).compactJSON }
        promptTokens = r.usage?.promptTokens
        completionTokens = r.usage?.completionTokens
        reasoningTokens = r.usage?.reasoningTokens
        cachedPromptTokens = r.usage?.cachedPromptTokens
        cost = r.cost?.amount
        // Stored costs are full or output-only: an assumed input price (`estimated`) is applied
        // when a run is read (Repricing), never written.
        costOutputOnly = r.cost?.outputOnly
        ttftMs = r.timing?.ttftMs
        firstReasoningMs = r.timing?.firstReasoningMs
        latencyMs = r.timing?.latencyMs
        errorKind = r.errorKind?.rawValue
        errorMessage = Self.storable(r.errorMessage)
        lastErrorKind = r.lastErrorKind?.rawValue
        fallbackFor = r.fallbackFor ?? ""
        attempts = r.attempts
        servedBy = r.servedBy
        cached = r.cached
        recordedAt = r.recordedAt.timeIntervalSince1970
        cachedAt = r.cachedAt?.timeIntervalSince1970
        routedPrompt = r.routedPrompt.map(Self.json)
        answerChunks = r.timing?.answerChunks
        interTokenMs = r.timing?.interTokenMs
        maxStallMs = r.timing?.maxStallMs
        clientRegion = r.clientRegion
        cutPiece(routed: r.routedPrompt, files: files)
    }

    /// A long prompt's long piece (a haystack) is stored once, apart (`PromptPiece`): cut out
    /// of the prompt and the routed prompt, with where it was.
    private mutating func cutPiece(routed original: RoutedPrompt?, files: PromptFilePieces?) {
        let routedText = Self.storable(original?.text)
        let file = Self.filePiece(prompt: prompt, routed: routedText, files: files)
        pieceFile = file?.path
        guard let piece = file?.piece ?? PromptPiece.of(prompt: prompt, routed: routedText) else { return }
        if let prompt, let cut = piece.cut(from: prompt) {
            self.prompt = cut.rest
            promptPieceAt = cut.at
        }
        if var routed = original, let routedText, let cut = piece.cut(from: routedText) {
            routed.text = cut.rest
            routedPrompt = Self.json(routed)
            routedPieceAt = cut.at
        }
        if promptPieceAt != nil || routedPieceAt != nil {
            promptPiece = piece.hash
            self.piece = piece
        }
    }

    /// The piece a prompt file stands for in this prompt (its marker, `PromptFile`), its text
    /// read from the file; nil when the prompt names no file, or the file cannot be read (the
    /// prompt is then stored with its marker).
    static func filePiece(prompt: String?, routed: String?, files: PromptFilePieces?) -> (
        piece: PromptPiece, path: String
    )? {
        guard
            let reference = PromptFile.reference(in: routed ?? prompt ?? "")
                ?? prompt.flatMap({ PromptFile.reference(in: $0) })
        else { return nil }
        let marker = PromptFile.marker(reference.path)
        if let hash = files?.hash(of: reference.path) {
            return (PromptPiece(storedHash: hash, marker: marker), reference.path)
        }
        guard let text = try? String(contentsOfFile: reference.path, encoding: .utf8) else { return nil }
        return (PromptPiece(text: text, marker: marker), reference.path)
    }

    /// The result a row holds, its prompt's piece (the row's `piece_text`, joined from
    /// `prompts` by `selectSQL`) put back where it was cut.
    static func result(row: Row) throws -> ItemResult {
        try ResultRecord(row: row).result(piece: row["piece_text"])
    }

    /// Rows of `results` with their prompt's piece: `selectSQL + " WHERE ..."`.
    static let selectSQL =
        "SELECT results.*, prompts.text AS piece_text FROM results LEFT JOIN prompts ON prompts.hash = results.prompt_piece"

    /// The statement that stores a piece, once: nothing when it is there already.
    static let pieceSQLite = "INSERT OR IGNORE INTO prompts (hash, text) VALUES (?, ?)"

    /// The result this row holds. A value no version of Assay writes (an unknown status,
    /// outcome or error kind) is an error naming the row, never read as something else.
    func result(piece: String? = nil) throws -> ItemResult {
        var prompt = self.prompt
        var routedPrompt = try self.routedPrompt.map {
            try JSONDecoder().decode(RoutedPrompt.self, from: Data($0.utf8))
        }
        if let hash = promptPiece {
            guard let piece else {
                throw UnknownValue(
                    column: "prompt_piece", value: hash, row: "\(runId)/\(suiteId)/\(caseId)/\(model) (not in prompts)")
            }
            if let at = promptPieceAt {
                prompt = PromptPiece.join(prompt ?? "", piece, at: at)
            }
            if let at = routedPieceAt, let routed = routedPrompt {
                routedPrompt?.text = PromptPiece.join(routed.text, piece, at: at) ?? routed.text
            }
        }
        func parse<T: RawRepresentable<String>>(_ value: String?, as type: T.Type, _ column: String) throws -> T? {
            guard let value else { return nil }
            guard let parsed = T(rawValue: value) else {
                throw UnknownValue(column: column, value: value, row: "\(runId)/\(suiteId)/\(caseId)/\(model)")
            }
            return parsed
        }
        var grade: Grade?
        if let outcome = try parse(outcome, as: Grade.Outcome.self, "outcome") {
            let evidence =
                try evidence.map { try JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) } ?? [:]
            grade = Grade(outcome: outcome, score: score, extracted: extracted, rule: rule, evidence: evidence)
        }
        guard let status = try parse(status, as: ItemResult.Status.self, "status") else {
            throw UnknownValue(column: "status", value: "", row: runId)
        }
        return ItemResult(
            runID: runId, suiteID: suiteId, caseID: caseId, model: model, epoch: epoch, requestHash: requestHash,
            status: status,
            tags: tags.isEmpty ? [] : tags.split(separator: "\n").map(String.init), expected: expected, prompt: prompt,
            routedPrompt: routedPrompt,
            output: output,
            reasoning: reasoning, finishReason: finishReason, grade: grade,
            usage: promptTokens.flatMap { prompt in
                completionTokens.map {
                    Usage(
                        promptTokens: prompt, completionTokens: $0, reasoningTokens: reasoningTokens,
                        cachedPromptTokens: cachedPromptTokens)
                }
            },
            cost: cost.map { Cost(amount: $0, basis: costOutputOnly == true ? .outputOnly : .full) },
            timing: latencyMs.map {
                Timing(
                    ttftMs: ttftMs, firstReasoningMs: firstReasoningMs, latencyMs: $0, answerChunks: answerChunks,
                    interTokenMs: interTokenMs, maxStallMs: maxStallMs)
            },
            errorKind: try parse(errorKind, as: ErrorKind.self, "error_kind"), errorMessage: errorMessage,
            lastErrorKind: try parse(lastErrorKind, as: ErrorKind.self, "last_error_kind"),
            fallbackFor: fallbackFor.isEmpty ? nil : fallbackFor,
            attempts: attempts, servedBy: servedBy, cached: cached,
            cachedAt: cachedAt.map { Date(timeIntervalSince1970: $0) },
            recordedAt: Date(timeIntervalSince1970: recordedAt), clientRegion: clientRegion)
    }

    /// A routed prompt as the column holds it: JSON with sorted keys, its text storable.
    /// The routed prompt as stored: compact JSON, keys sorted (RoutedPrompt's coding keys,
    /// read back by its `Decodable`). Written by `JSONValue`: Foundation's encoder for every
    /// result was 1% of a run's CPU.
    static func json(_ prompt: RoutedPrompt) -> String {
        JSONValue.object([
            "text": .string(storable(prompt.text) ?? ""), "has_image": .bool(prompt.hasImage),
            "has_audio": .bool(prompt.hasAudio),
        ]).compactJSON
    }

    /// SQLite text stops at NUL when read back: a NUL in a model's text is stored as U+FFFD.
    static func storable(_ text: String?) -> String? {
        guard let text, text.utf8.contains(0) else { return text }
        return text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    struct UnknownValue: Error, CustomStringConvertible {
        var column: String
        var value: String
        var row: String
        var description: String { "result \(row): \(column) '\(value)' is not one this version of Assay knows" }
    }

    /// `INSERT OR REPLACE` of this record's columns: what the group commit runs.
    /// The piece's insert (when the record has a long piece), then the record's own: what a
    /// SQLite store commits for it.
    func statements() -> [WriteBatcher.Statement] {
        var out: [WriteBatcher.Statement] = []
        if let piece, !piece.inStore {
            out.append(
                WriteBatcher.Statement(
                    sql: Self.pieceSQLite, arguments: [piece.hash, Self.storable(piece.text) ?? ""]))
        }
        out.append(replacingStatement())
        return out
    }

    func replacingStatement() -> WriteBatcher.Statement {
        // Through existentials: from `[DatabaseValue]`, GRDB's generic init applies a key path to
        // each value, unspecialised: 2% of a run's CPU (perf), more than the insert itself.
        WriteBatcher.Statement(
            sql: Self.replacingSQL, arguments: StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? }))
    }

    /// Each column's value, in `CodingKeys` order: what both backends bind.
    var values: [DatabaseValue] { CodingKeys.allCases.map(value(of:)) }

    /// The value of one column: an exhaustive switch (a new key without its value does not
    /// compile). Writing went through Codable's encoder into a dictionary before: 18% of a
    /// run's throughput (assay-bench throughput, A/B).
    func value(of column: CodingKeys) -> DatabaseValue {
        switch column {
        case .runId: runId.databaseValue
        case .suiteId: suiteId.databaseValue
        case .caseId: caseId.databaseValue
        case .model: model.databaseValue
        case .epoch: epoch.databaseValue
        case .requestHash: requestHash.databaseValue
        case .status: status.databaseValue
        case .tags: tags.databaseValue
        case .expected: expected.databaseValue
        case .prompt: prompt.databaseValue
        case .output: output.databaseValue
        case .reasoning: reasoning.databaseValue
        case .finishReason: finishReason.databaseValue
        case .outcome: outcome.databaseValue
        case .score: score.databaseValue
        case .extracted: extracted.databaseValue
        case .rule: rule.databaseValue
        case .evidence: evidence.databaseValue
        case .promptTokens: promptTokens.databaseValue
        case .completionTokens: completionTokens.databaseValue
        case .reasoningTokens: reasoningTokens.databaseValue
        case .cachedPromptTokens: cachedPromptTokens.databaseValue
        case .cost: cost.databaseValue
        case .costOutputOnly: costOutputOnly.databaseValue
        case .ttftMs: ttftMs.databaseValue
        case .firstReasoningMs: firstReasoningMs.databaseValue
        case .latencyMs: latencyMs.databaseValue
        case .errorKind: errorKind.databaseValue
        case .errorMessage: errorMessage.databaseValue
        case .lastErrorKind: lastErrorKind.databaseValue
        case .fallbackFor: fallbackFor.databaseValue
        case .attempts: attempts.databaseValue
        case .servedBy: servedBy.databaseValue
        case .cached: cached.databaseValue
        case .recordedAt: recordedAt.databaseValue
        case .cachedAt: cachedAt.databaseValue
        case .routedPrompt: routedPrompt.databaseValue
        case .answerChunks: answerChunks.databaseValue
        case .interTokenMs: interTokenMs.databaseValue
        case .maxStallMs: maxStallMs.databaseValue
        case .clientRegion: clientRegion.databaseValue
        case .promptPiece: promptPiece.databaseValue
        case .promptPieceAt: promptPieceAt.databaseValue
        case .routedPieceAt: routedPieceAt.databaseValue
        }
    }
}
