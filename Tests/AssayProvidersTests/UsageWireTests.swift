import AssayCore
import Foundation
import Testing

@testable import AssayProviders

/// Usage as vendors report it: cached prompt tokens in OpenAI's and DeepSeek's shapes.
@Suite struct UsageWireTests {
    func usage(_ json: String) throws -> Usage? {
        try ChatWireFormat.decode(Array(#"{"choices":[],"usage":\#(json)}"#.utf8)).usage?.usage()
    }

    @Test func cachedTokensAreReadInBothShapes() throws {
        let openAI = try usage(
            #"{"prompt_tokens":1000,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":400},"completion_tokens_details":{"reasoning_tokens":100}}"#
        )
        #expect(
            openAI == Usage(promptTokens: 1000, completionTokens: 300, reasoningTokens: 100, cachedPromptTokens: 400))
        let deepSeek = try usage(
            #"{"prompt_tokens":1000,"completion_tokens":300,"prompt_cache_hit_tokens":640,"prompt_cache_miss_tokens":360}"#
        )
        #expect(deepSeek == Usage(promptTokens: 1000, completionTokens: 300, cachedPromptTokens: 640))
        let plain = try usage(#"{"prompt_tokens":10,"completion_tokens":3}"#)
        #expect(plain == Usage(promptTokens: 10, completionTokens: 3))
    }

    /// More cached tokens than the prompt had would price the rest below zero.
    @Test func aCachedCountPastThePromptIsADecodeError() {
        #expect(throws: ProviderError.self) {
            try usage(#"{"prompt_tokens":10,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":11}}"#)
        }
        #expect(throws: ProviderError.self) {
            try usage(#"{"prompt_tokens":10,"completion_tokens":3,"prompt_cache_hit_tokens":-1}"#)
        }
    }
}
