/// A task set: what to ask (a prompt template), of what (cases), and how to grade it.
public struct Suite: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var kind: SuiteKind
    public var grader: GraderSpec
    public var prompt: PromptTemplate
    /// What a model must support to be asked this suite; models without it are skipped
    /// and counted as unsupported.
    public var requires: Set<Capability>
    public var generation: Generation
    /// The structured output the suite asks for (`response_format`); nil for free text.
    public var responseFormat: ResponseFormat?
    public var cases: [Case]
    /// The directory that holds suite.yaml; file references in cases are relative to it.
    public var directory: String

    public init(
        id: String, title: String, kind: SuiteKind, grader: GraderSpec, prompt: PromptTemplate,
        requires: Set<Capability> = [.text], generation: Generation = Generation(),
        responseFormat: ResponseFormat? = nil, cases: [Case], directory: String
    ) {
        self.responseFormat = responseFormat
        self.id = id
        self.title = title
        self.kind = kind
        self.grader = grader
        self.prompt = prompt
        self.requires = requires
        self.generation = generation
        self.cases = cases
        self.directory = directory
    }
}

/// What a suite measures. Each kind has the graders and the score that fit it.
public enum SuiteKind: String, Sendable, Hashable, Codable, CaseIterable {
    case code
    case math
    case classification
    case ocr
    /// Speech to text (audio in), graded by CER/WER like OCR.
    case transcription
    /// Function calling: the model is offered tools and graded on the calls it makes.
    case tools
    /// Structured output: the answer is a JSON object, graded field by field.
    case extraction
    /// Conversations sent as they were written (`assay import traffic`: a sample of production
    /// requests): each case carries its messages, so that a run, and a routing rule, sees the
    /// very prompt production saw.
    case chat
    /// Long-context retrieval (`assay generate long-context`): RULER's kinds over haystacks
    /// of a nominal length, tagged `length:` and `depth:`, scored by length.
    case longContext = "long-context"
    /// Multi-turn agents (BFCL's multi-turn categories): each case's user turns are sent with
    /// the tools of its classes; the calls the model makes are executed in the sandbox, their
    /// results sent back, until it answers without a call; graded by the state the calls
    /// leave (`AgentTask`, the `agent-state` grader).
    case agent

    /// Whether the suite's answers are transcripts, scored by pooled CER and WER.
    public var isTranscript: Bool { self == .ocr || self == .transcription }

    /// Whether a case carries its own conversation (`input.messages`), sent instead of the
    /// rendered template: a tools case its turns before the call, a chat case the request as
    /// logged. The suite's prompt is then optional.
    public var carriesMessages: Bool { self == .tools || self == .chat }
}

/// Sampling settings a suite asks for; a plan or the CLI may override them.
public struct Generation: Sendable, Hashable, Codable {
    public var maxTokens: Int?
    public var temperature: Double?

    public init(maxTokens: Int? = nil, temperature: Double? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

/// Which grader a suite uses, and its settings as written in suite.yaml.
public struct GraderSpec: Sendable, Hashable, Codable {
    public var name: GraderName
    public var settings: [String: JSONValue]
    /// The line of each setting in suite.yaml, and of the grader itself, so that a grader's
    /// complaint about a setting says where it is. Not stored with a run.
    public var settingLines: [String: Int] = [:]
    public var line: Int?

    public init(
        name: GraderName, settings: [String: JSONValue] = [:], settingLines: [String: Int] = [:], line: Int? = nil
    ) {
        self.name = name
        self.settings = settings
        self.settingLines = settingLines
        self.line = line
    }

    /// A problem with the setting `key` (nil: with the grader as a whole) of the suite whose
    /// suite.yaml is `file`, at its line.
    public func diagnostic(_ key: String?, file: String, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: key.flatMap { settingLines[$0] } ?? line, message)
    }

    enum CodingKeys: String, CodingKey {
        case name, settings
    }

    /// Equal when they grade alike: where the settings were written does not count.
    public static func == (lhs: GraderSpec, rhs: GraderSpec) -> Bool {
        lhs.name == rhs.name && lhs.settings == rhs.settings
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(settings)
    }
}

/// The graders Assay knows. A suite naming any other is invalid.
public enum GraderName: String, Sendable, Hashable, Codable, CaseIterable {
    /// The answer, trimmed and case-folded, equals the expected label.
    case exactLabel = "exact-label"
    /// The answer's Python code passes the case's tests, run in a sandbox.
    case code
    /// The answer's final number equals the expected one (math).
    case numeric
    /// The answer's final expression equals the expected LaTeX one by value (MATH-style).
    case math
    /// The answer names the expected one of the suite's declared labels (classification).
    case label
    /// The transcription's character error rate is within the threshold (OCR).
    case ocr
    /// The function calls made are among the acceptable ones, as BFCL's AST checker decides.
    case tools
    /// The answer's JSON fields equal the expected ones, each compared by its declared type.
    case fields
    /// The model answered (any non-empty text); nothing about the answer is judged. For a
    /// sample of production traffic that comes with no label and no reference answer.
    case answered
    /// Every expected value appears in the answer, compared after normalisation (NFKC width,
    /// case and whitespace folding), each as a whole word: long-context retrieval (RULER's
    /// needles, variables, frequent words, answers over a document).
    case allValues = "all-values"
    /// After each user turn, the state the model's calls left in the suite's tool classes
    /// equals the state the ground truth's calls leave, and the ground truth's results are
    /// among the model's (BFCL's multi-turn checker): agents.
    case agentState = "agent-state"

    /// Whether the grader runs model-written code (and so needs a sandbox).
    public var runsCode: Bool { self == .code || self == .agentState }
}

/// One item of a suite.
public struct Case: Sendable, Hashable, Codable {
    public var id: String
    /// The fields the prompt template's slots are filled from; `image` holds file paths.
    public var input: [String: JSONValue]
    /// What a right answer is; its shape depends on the grader (`label`, `answer`, `tests`, `text`, `fields`).
    public var expected: JSONValue
    public var tags: [String]
    /// The line of cases.jsonl this case came from, for messages that point at it.
    public var line: Int

    public init(id: String, input: [String: JSONValue], expected: JSONValue, tags: [String] = [], line: Int = 0) {
        self.id = id
        self.input = input
        self.expected = expected
        self.tags = tags
        self.line = line
    }
}
