import AssayConfig
import AssayCore
import AssayEvalSets
import AssayProviders
import Crypto

/// Turns a case into the request a model is sent, and names that request by a hash.
enum RequestBuilder {
    /// For a tools suite: the case's messages (`input.messages`), its functions
    /// (`input.tools`), `tool_choice` and `parallel_tool_calls`. For a chat suite (an imported
    /// traffic sample): the case's messages as they are, so that the prompt a routing rule
    /// matches is production's own. Otherwise: the system prompt, then one user message: the rendered template, followed by the
    /// case's images (`images`: data URLs by path) as `image_url` parts and sound clips
    /// (`audio`) as `input_audio` parts. A suite's `response_format` goes on the wire as the
    /// model's capabilities allow; where they fall short, the system prompt asks for JSON and
    /// carries the schema (`StructuredOutputMode`). Sent to the model's
    /// wire id on its endpoint, with its extra fields (the catalog's `request:` under the
    /// plan's), and at least its `max_tokens_floor`.
    static func request(
        for item: Case, of suite: Suite, model: ModelSpec, plan: Plan, images: [String: String] = [:],
        audio: [String: CaseAudio.Clip] = [:], file: PromptFile? = nil, agentTools: [ToolDefinition] = []
    ) -> ChatRequest {
        var input = item.input
        if let file, let slot = CasePromptFiles.slot(of: item) {
            // The file's text goes in on the wire only (`PreparedRequest.BodyReader`).
            input[slot] = .string(file.marker)
        }
        let rendered = suite.prompt.render(input)
        var messages: [ChatMessage] = []
        var system = rendered.system
        let structured = suite.responseFormat.map { (format: $0, mode: $0.mode(for: model.capabilities)) }
        if let structured, structured.mode.promptsForJSON(structured.format) {
            // In the system prompt, not the user's: the prompt a routing rule matches stays the
            // case's, whichever model is asked.
            system = (system.map { $0 + "\n\n" } ?? "") + StructuredOutputMode.instruction(structured.format)
        }
        if let system { messages.append(ChatMessage(role: .system, text: system)) }
        if suite.kind.carriesMessages, case .array(let written)? = item.input["messages"] {
            // A tools or chat case carries its conversation; the suite's system prompt goes
            // first unless the case has its own.
            let conversation = written.compactMap(ChatMessage.init(json:))
            if conversation.contains(where: { $0.role == .system }) { messages.removeAll() }
            messages += conversation
        } else if suite.kind == .agent {
            // An agent task's first turn; the loop sends the rest (`AgentLoop`).
            messages += (try? AgentTask(item))?.turns.first ?? []
        } else {
            let pictures = CaseImages.paths(of: item).compactMap { images[$0] }.map(ContentPart.imageURL)
            let clips = CaseAudio.paths(of: item).compactMap { audio[$0] }.map {
                ContentPart.inputAudio(data: $0.base64, format: $0.format)
            }
            messages.append(ChatMessage(role: .user, parts: [.text(rendered.user)] + pictures + clips))
        }
        var maxTokens = plan.settings.generation.maxTokens ?? suite.generation.maxTokens
        if let floor = plan.settings.maxTokensFloors?[model.id] ?? model.maxTokensFloor {
            maxTokens = max(maxTokens ?? floor, floor)
        }
        return ChatRequest(
            model: model.wireID, messages: messages, maxTokens: maxTokens,
            temperature: plan.settings.generation.temperature ?? suite.generation.temperature,
            stream: plan.settings.stream,
            extra: model.request.merging(plan.settings.modelRequests?[model.id] ?? [:]) { _, plan in plan },
            thinkTag: model.thinkTag,
            tools: suite.kind == .tools
                ? (item.input["tools"]?.arrayValue ?? []).compactMap(ToolDefinition.init) : agentTools,
            toolChoice: suite.kind == .tools ? item.input["tool_choice"].flatMap(ToolChoice.init) : nil,
            parallelToolCalls: suite.kind == .tools ? item.input["parallel_tool_calls"]?.boolValue : nil,
            responseFormat: structured.flatMap { $0.mode.wireFormat($0.format) })
    }

    /// The request for `item`, prepared once: its body encoded, its hash computed. A case
    /// whose prompt has a part on disk (`file`) is hashed over the bytes its body streams.
    /// `responseFormat`: the suite's `response_format` written already
    /// (`ChatWireFormat.encodedResponseFormat`), sent as it is to a model that takes it.
    static func prepare(
        for item: Case, of suite: Suite, model: ModelSpec, epoch: Int, plan: Plan, images: [String: String] = [:],
        audio: [String: CaseAudio.Clip] = [:], file: PromptFile? = nil, agentTools: [ToolDefinition] = [],
        responseFormat: String? = nil
    ) -> PreparedRequest {
        PreparedRequest(
            request(
                for: item, of: suite, model: model, plan: plan, images: images, audio: audio, file: file,
                agentTools: agentTools),
            file: file,
            responseFormat: suite.responseFormat?.mode(for: model.capabilities) == .jsonSchema ? responseFormat : nil
        ) { prepared in
            guard prepared.file != nil, let reader = try? PreparedRequest.BodyReader(prepared) else {
                return hash(endpoint: model.endpoint, model: model.id, epoch: epoch, body: prepared.body)
            }
            var hasher = header(endpoint: model.endpoint, model: model.id, epoch: epoch)
            do {
                while let piece = try reader.next() { hasher.update(data: piece) }
            } catch {
                // The file went away since the run was set up: the body as prepared names it.
                return hash(endpoint: model.endpoint, model: model.id, epoch: epoch, body: prepared.body)
            }
            return hex(hasher.finalize())
        }
    }

    /// SHA-256 over the endpoint, the model, the epoch and the exact request body.
    ///
    /// The epoch is part of the key: with `--epochs 5` the five samples of a case are five
    /// different requests, and the cache must not answer the second with the first.
    static func hash(endpoint: String, model: String, epoch: Int, body: String) -> String {
        var hasher = header(endpoint: endpoint, model: model, epoch: epoch)
        hasher.update(data: Array(body.utf8))
        return hex(hasher.finalize())
    }

    /// A hasher that has read what comes before the body.
    static func header(endpoint: String, model: String, epoch: Int) -> SHA256 {
        var hasher = SHA256()
        hasher.update(data: Array("assay-request-v1\n\(endpoint)\n\(model)\n\(epoch)\n".utf8))
        return hasher
    }

    /// Lower-case hex, two digits a byte: written into one buffer (a string per byte, joined,
    /// was 1.5% of a run's CPU).
    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 * SHA256.Digest.byteCount)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
