import AssayCore

/// The text long-context prompts are made of: sentences of public-domain books (one a line in
/// `haystack-en.txt` and `haystack-zh.txt`, built in by the EmbedFiles plugin), drawn in a
/// seeded order until a haystack holds the tokens it should. Nothing is downloaded.
///
/// English: Dickens, Austen, Melville, Carroll, Lincoln, the King James Bible, Tolstoy (in
/// Garnett's translation), Twain, Charlotte Brontë, Aesop and Andersen, and plain sentences
/// written for Assay. Chinese: the Daodejing, the Analects, Zhuangzi, Mencius, the Thousand
/// Character Classic, the Three Character Classic, Tang poems, Tao Yuanming, Liu Yuxi, Fan
/// Zhongyan, Ouyang Xiu, Han Yu and Zhuge Liang, and plain sentences written for Assay. A
/// sentence recurs in a long haystack (the files hold about 13 KB); RULER's own "noise"
/// haystack repeats five sentences.
public enum HaystackLanguage: String, Sendable, CaseIterable, Hashable {
    case en, zh

    /// The sentences of this language's text.
    var sentences: [String] {
        let text = self == .en ? EmbeddedFiles.haystackEnTxt : EmbeddedFiles.haystackZhTxt
        return text.split(separator: "\n").map { String($0) }.filter { !$0.isEmpty }
    }

    /// What sentences are joined with.
    var separator: String { self == .en ? " " : "" }
}

/// Characters counted the way `TokenEstimate` counts them, so that a text's estimated tokens
/// are known as it grows.
struct TokenTally {
    var cjk = 0
    var other = 0

    mutating func add(_ text: String) {
        for scalar in text.unicodeScalars {
            if TokenEstimate.isCJK(scalar) { cjk += 1 } else { other += 1 }
        }
    }

    var tokens: Int { TokenEstimate.count(cjk: cjk, other: other) }
}

/// A seeded draw of sentences: each pass over the text in a new shuffled order.
struct SentenceDraw {
    let sentences: [String]
    var generator: SeededGenerator
    var order: [Int] = []
    var next = 0

    init(_ language: HaystackLanguage, seed: UInt64) {
        sentences = language.sentences
        generator = SeededGenerator(seed: seed)
    }

    mutating func draw() -> String {
        if next >= order.count {
            order = Array(sentences.indices)
            generator.shuffle(&order)
            next = 0
        }
        defer { next += 1 }
        return sentences[order[next]]
    }

    /// Sentences until their estimated tokens (joined by `separator`) reach `tokens`.
    mutating func fill(tokens: Int, separator: String) -> [String] {
        var tally = TokenTally()
        var out: [String] = []
        while true {
            let sentence = draw()
            var probe = tally
            probe.add(sentence + separator)
            if probe.tokens > tokens { break }
            tally = probe
            out.append(sentence)
        }
        return out
    }
}

extension SeededGenerator {
    /// Fisher-Yates with this generator's own draws: the same order on every platform and
    /// Swift version (the standard library's shuffle does not promise that).
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            let other = Int(next() % UInt64(index + 1))
            items.swapAt(index, other)
        }
    }

    /// A number in `range`, from this generator's own draws.
    mutating func pick(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
