import AssayCore
import Foundation
import Testing

@testable import AssayReports

/// An old result's prompt read from its cached request body reads as a result's own prompt.
@Suite struct PromptTextTests {
    static let request = ChatRequest(
        model: "m",
        messages: [
            ChatMessage(role: .system, text: "Transcribe."),
            ChatMessage(
                role: .user,
                parts: [
                    .text("What is said, and what is shown?"), .inputAudio(data: "UklGRg==", format: "wav"),
                    .imageURL("data:image/png;base64,iVBO"),
                ]),
        ])

    /// The request as the wire writes it (`ChatWireFormat`), by hand.
    static let body = """
        {"model":"m","messages":[{"role":"system","content":"Transcribe."},{"role":"user","content":[\
        {"type":"text","text":"What is said, and what is shown?"},\
        {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},\
        {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}}]}]}
        """

    @Test func imagesAndClipsReadAlikeFromARequestAndFromItsBody() {
        let transcript = "system: Transcribe.\n\nuser: What is said, and what is shown?\n[audio]\n[image]"
        #expect(Self.request.transcript == transcript)
        #expect(PromptText.fromRequestBody(Self.body) == transcript)
    }

    @Test func theRoutedPromptIsTheSameFromMessagesAndFromTheStoredTranscript() throws {
        let typed = try #require(Self.request.routedPrompt)
        #expect(
            typed
                == RoutedPrompt(
                    text: "What is said, and what is shown?\n[audio]\n[image]", hasImage: true, hasAudio: true))
        #expect(RoutedPrompt(transcript: Self.request.transcript) == typed)
        let plain = ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: "2+2?")])
        #expect(plain.routedPrompt == RoutedPrompt(text: "2+2?"))
        #expect(RoutedPrompt(transcript: plain.transcript) == plain.routedPrompt)
        #expect(ChatRequest(model: "m", messages: [ChatMessage(role: .system, text: "x")]).routedPrompt == nil)
    }

    @Test func aRuleOnImagesTakesTheTypedPrompt() throws {
        let vision = RoutingPolicy.Match(hasImage: true)
        #expect(vision.matches(suite: "s", kind: nil, tags: [], prompt: Self.request.routedPrompt))
        #expect(!vision.matches(suite: "s", kind: nil, tags: [], prompt: RoutedPrompt(text: "no picture")))
        #expect(!vision.matches(suite: "s", kind: nil, tags: [], prompt: nil))
    }
}
