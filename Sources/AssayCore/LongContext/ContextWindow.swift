/// Whether a prompt fits a model's context window, judged before anything is sent.
public enum ContextWindow {
    /// Why a prompt of `promptTokens` (estimated) with room for `maxTokens` of answer does not
    /// fit a window of `window` tokens; nil when it fits, or when the window is unknown (0).
    public static func refusal(promptTokens: Int, maxTokens: Int?, window: Int) -> String? {
        guard window > 0 else { return nil }
        let answer = maxTokens ?? 0
        guard promptTokens + answer > window else { return nil }
        return
            "prompt of about \(promptTokens) tokens (estimated) + max_tokens \(answer) exceeds the context window of \(window) tokens: not sent"
    }
}
