import AssayCore

/// The cases of one length in one language: every kind of task, each over a haystack of the
/// length's tokens (prompt, instructions and question included, by `TokenEstimate`'s rule).
struct CaseBuilder {
    let length: ContextLength
    let language: HaystackLanguage
    let words: TaskWords
    var generator: SeededGenerator
    var haystacks = 0

    /// Tokens of the prompt that are not the context: the system prompt, the role labels and
    /// the blank line before the question (the question itself is counted per case).
    static let overhead = 40

    init(length: ContextLength, language: HaystackLanguage, seed: UInt64) {
        self.length = length
        self.language = language
        self.words = TaskWords(language: language)
        self.generator = SeededGenerator(seed: seed)
    }

    var en: Bool { language == .en }

    mutating func all(names: inout UniqueNames) -> [GeneratedCase] {
        var cases: [GeneratedCase] = []
        for depth in [0, 25, 50, 75, 100] { cases += singleNeedle(depth: depth, names: &names) }
        cases += multiKey(names: &names)
        cases += multiValue(names: &names)
        cases += variableTracking(names: &names)
        cases += aggregation(names: &names)
        cases += questionAnswering(names: &names)
        return cases
    }

    // MARK: the tasks

    mutating func singleNeedle(depth: Int, names: inout UniqueNames) -> [GeneratedCase] {
        let key = self.key(&names)
        let value = names.number()
        let needle = en ? "The special magic number for \(key) is: \(value)." : "\(key)的特殊魔法数字是：\(value)。"
        let question = numberQuestion(key)
        let context = haystack(inserts: [(depth, needle)], questions: [question])
        return [make(.singleNeedle, "d\(depth)", context, question, [value], depth: depth)]
    }

    mutating func multiKey(names: inout UniqueNames) -> [GeneratedCase] {
        let depths = [10, 35, 65, 90]
        let needles = depths.map { depth in (depth: depth, key: self.key(&names), value: names.number()) }
        let inserts = needles.map { needle in
            (
                needle.depth,
                en
                    ? "The special magic number for \(needle.key) is: \(needle.value)."
                    : "\(needle.key)的特殊魔法数字是：\(needle.value)。"
            )
        }
        let questions = needles.map { numberQuestion($0.key) }
        let context = haystack(inserts: inserts, questions: questions)
        return needles.indices.map { index in
            make(
                .multiKey, "\(index + 1)", context, questions[index], [needles[index].value],
                depth: needles[index].depth)
        }
    }

    mutating func multiValue(names: inout UniqueNames) -> [GeneratedCase] {
        let key = self.key(&names)
        let values = (0..<4).map { _ in names.number() }
        let inserts = zip([10, 35, 65, 90], values).map { depth, value in
            (depth, en ? "One of the special magic numbers for \(key) is: \(value)." : "\(key)的特殊魔法数字之一是：\(value)。")
        }
        let question =
            en
            ? "What are all the special magic numbers for \(key) mentioned in the text above? Answer with every number."
            : "上文中\(key)的所有特殊魔法数字是什么？回答每一个数字。"
        let context = haystack(inserts: inserts, questions: [question])
        return [make(.multiValue, "1", context, question, values, depth: nil)]
    }

    mutating func variableTracking(names: inout UniqueNames) -> [GeneratedCase] {
        let value = names.number()
        let chain = (0..<5).map { _ in names.variable() }
        let prefix = en ? "VAR" : "变量"
        let end = en ? "." : "。"
        var inserts = [(10, "\(prefix) \(chain[0]) = \(value)\(end)")]
        for hop in 1..<chain.count {
            inserts.append((10 + hop * 20, "\(prefix) \(chain[hop]) = \(prefix) \(chain[hop - 1])\(end)"))
        }
        // A second chain with another value: a model that follows any chain is not right.
        let other = (value: names.number(), chain: (0..<3).map { _ in names.variable() })
        inserts.append((20, "\(prefix) \(other.chain[0]) = \(other.value)\(end)"))
        inserts.append((55, "\(prefix) \(other.chain[1]) = \(prefix) \(other.chain[0])\(end)"))
        inserts.append((85, "\(prefix) \(other.chain[2]) = \(prefix) \(other.chain[1])\(end)"))
        let question =
            en
            ? "Find every variable that is assigned the value \(value), directly or through the chain of assignments in the text above. Answer with the variable names."
            : "上文中哪些变量直接或通过赋值链被赋值为 \(value)？回答所有变量名。"
        let context = haystack(inserts: inserts.sorted { $0.0 < $1.0 }, questions: [question])
        return [make(.variableTracking, "1", context, question, chain, depth: nil)]
    }

    /// RULER's frequent-words extraction: a list of made-up words, three of them clearly more
    /// frequent than the rest (10%, 8% and 6% of the list, or more when the list is short).
    mutating func aggregation(names: inout UniqueNames) -> [GeneratedCase] {
        let name = self.key(&names)
        let question =
            en
            ? "Which three words appear most often in word list \(name) above? Answer with the three words."
            : "词表\(name)中出现次数最多的三个词是什么？回答这三个词。"
        let heading = en ? "Word list \(name):" : "词表\(name)："
        var vocabulary: [String] = []
        let parts = words.wordParts
        if en {
            for a in parts { for b in parts { for c in parts { vocabulary.append(a + b + c) } } }
        } else {
            for a in parts { for b in parts where a != b { vocabulary.append(a + b) } }
        }
        generator.shuffle(&vocabulary)
        var probe = TokenTally()
        probe.add(vocabulary.prefix(50).joined(separator: " ") + " ")
        let perWord = Double(probe.tokens) / 50
        let budget = length.tokens - Self.overhead - estimate(question) - estimate(heading)
        let count = max(30, Int(Double(budget) / perWord))
        let noiseWords = min(vocabulary.count - 3, max(20, count / 10))
        let noiseTotal = count * 76 / 100
        // Rounded up: the list then runs past the budget and is cut to it below.
        let noiseEach = (noiseTotal + noiseWords - 1) / noiseWords
        let third = max(count * 6 / 100, noiseEach + 3)
        let second = max(count * 8 / 100, third + 2)
        let first = max(count * 10 / 100, second + 2)
        var list: [String] = []
        for (index, word) in vocabulary.prefix(3).enumerated() {
            list += Array(repeating: word, count: [first, second, third][index])
        }
        for word in vocabulary[3..<(3 + noiseWords)] { list += Array(repeating: word, count: noiseEach) }
        generator.shuffle(&list)
        // Cut to the budget: noise words dropped from the end until the list fits, the three
        // frequent words' counts left untouched.
        var tally = TokenTally()
        tally.add(heading + " " + list.joined(separator: " "))
        let top = Set(vocabulary.prefix(3))
        var dropped = [Bool](repeating: false, count: list.count)
        var index = list.count - 1
        while tally.tokens > budget && index >= 0 {
            if !top.contains(list[index]) {
                var word = TokenTally()
                word.add(list[index] + " ")
                tally.cjk -= word.cjk
                tally.other -= word.other
                dropped[index] = true
            }
            index -= 1
        }
        let kept = zip(list, dropped).filter { !$0.1 }.map(\.0)
        haystacks += 1
        let context = heading + " " + kept.joined(separator: " ")
        return [make(.aggregation, "1", context, question, Array(vocabulary.prefix(3)), depth: nil)]
    }

    /// Facts about three people at 20%, 50% and 80% of a document; one case asks where the
    /// first was born, another what the third did.
    mutating func questionAnswering(names: inout UniqueNames) -> [GeneratedCase] {
        let people = [20, 50, 80].map { depth in
            (
                depth: depth,
                name: names.fresh { generator in
                    let first = words.firstNames[generator.pick(0...(words.firstNames.count - 1))]
                    let last = words.lastNames[generator.pick(0...(words.lastNames.count - 1))]
                    return en ? "\(first) \(last)" : first + last
                },
                town: words.towns[generator.pick(0...(words.towns.count - 1))],
                job: words.jobs[generator.pick(0...(words.jobs.count - 1))]
            )
        }
        let inserts = people.map { person in
            (
                person.depth,
                en
                    ? "\(person.name) was born in \(person.town) and worked as a \(person.job)."
                    : "\(person.name)出生在\(person.town)，是一名\(person.job)。"
            )
        }
        let questions = [
            en
                ? "According to the text above, in which town was \(people[0].name) born? Answer with the town only."
                : "根据上文，\(people[0].name)出生在哪里？只回答地名。",
            en
                ? "According to the text above, what work did \(people[2].name) do? Answer with one word."
                : "根据上文，\(people[2].name)是做什么工作的？只回答职业。",
        ]
        let context = haystack(inserts: inserts, questions: questions)
        return [
            make(.questionAnswering, "town", context, questions[0], [people[0].town], depth: people[0].depth),
            make(.questionAnswering, "work", context, questions[1], [people[2].job], depth: people[2].depth),
        ]
    }

    // MARK: parts

    /// A key such as `quiet-harbor` (English) or `青松` (Chinese), never used before.
    mutating func key(_ names: inout UniqueNames) -> String {
        let words = self.words
        let en = self.en
        return names.fresh { generator in
            let adjective = words.adjectives[generator.pick(0...(words.adjectives.count - 1))]
            let noun = words.nouns[generator.pick(0...(words.nouns.count - 1))]
            return en ? "\(adjective)-\(noun)" : adjective + noun
        }
    }

    func numberQuestion(_ key: String) -> String {
        en
            ? "What is the special magic number for \(key) mentioned in the text above? Answer with the number only."
            : "上文中\(key)的特殊魔法数字是多少？只回答数字。"
    }

    func estimate(_ text: String) -> Int { TokenEstimate.standard.tokens(text) }

    /// Sentences of the language's text filling what the length leaves once the overhead,
    /// the longest question and the inserts are counted, with each insert placed at its depth
    /// (percent of the sentences before it).
    mutating func haystack(inserts: [(Int, String)], questions: [String]) -> String {
        haystacks += 1
        let separator = language.separator
        let fixed =
            Self.overhead + (questions.map(estimate).max() ?? 0)
            + inserts.map { estimate($0.1 + separator) }.reduce(0, +)
        var draw = SentenceDraw(language, seed: generator.next())
        var sentences = draw.fill(tokens: max(0, length.tokens - fixed), separator: separator)
        let total = sentences.count
        // Deepest first, so that placing one does not move the places of the others.
        let deepestFirst = inserts.enumerated().sorted { ($0.element.0, $0.offset) > ($1.element.0, $1.offset) }
        for insert in deepestFirst.map(\.element) {
            let position = min(total, Int((Double(insert.0) / 100 * Double(total)).rounded()))
            sentences.insert(insert.1, at: position)
        }
        return sentences.joined(separator: separator)
    }

    func make(
        _ task: LongContextTask, _ suffix: String, _ context: String, _ question: String, _ values: [String],
        depth: Int?
    ) -> GeneratedCase {
        var tags = [length.tag]
        if let depth { tags.append(ContextLength.depthTag + String(depth)) }
        tags += ["task:\(task.rawValue)", "lang:\(language.rawValue)", "haystack:\(language.rawValue)-\(haystacks)"]
        // The haystack goes in a file of its own, once for the cases that share it.
        let file = "haystacks/\(language.rawValue)-\(haystacks).txt"
        return GeneratedCase(
            id: "\(language.rawValue)-\(task.rawValue)-\(suffix)",
            input: .object([PromptFile.field(for: "context"): .string(file), "question": .string(question)]),
            expected: .object(["values": .array(values.map { .string($0) })]),
            tags: tags, haystack: (file, context))
    }
}
