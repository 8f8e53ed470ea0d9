/// The evidence of an OCR grade: the edits between the reference and the answer, counted
/// in characters and in words, the rates they make and the threshold the grade used.
public struct OCREvidence: GradeEvidence {
    public var characterEdits: Int
    public var referenceCharacters: Int
    public var wordEdits: Int?
    public var referenceWords: Int?
    /// The character error rate: `characterEdits` over `referenceCharacters`.
    public var cer: Double?
    /// The word error rate.
    public var wer: Double?
    /// The CER at or under which the item passed.
    public var threshold: Double?

    public init(
        characterEdits: Int, referenceCharacters: Int, wordEdits: Int? = nil, referenceWords: Int? = nil,
        cer: Double? = nil,
        wer: Double? = nil, threshold: Double? = nil
    ) {
        self.characterEdits = characterEdits
        self.referenceCharacters = referenceCharacters
        self.wordEdits = wordEdits
        self.referenceWords = referenceWords
        self.cer = cer
        self.wer = wer
        self.threshold = threshold
    }

    private enum Key {
        static let characterEdits = "char_edits", referenceCharacters = "ref_chars", wordEdits = "word_edits"
        static let referenceWords = "ref_words", cer = "cer", wer = "wer", threshold = "threshold"
    }

    /// Nil unless the evidence holds both character counts, which every OCR grade writes.
    public init?(evidence: [String: JSONValue]) {
        guard let edits = evidence[Key.characterEdits]?.intValue,
            let length = evidence[Key.referenceCharacters]?.intValue
        else { return nil }
        self.init(
            characterEdits: edits, referenceCharacters: length, wordEdits: evidence[Key.wordEdits]?.intValue,
            referenceWords: evidence[Key.referenceWords]?.intValue, cer: evidence[Key.cer]?.doubleValue,
            wer: evidence[Key.wer]?.doubleValue,
            threshold: evidence[Key.threshold]?.doubleValue)
    }

    public var evidence: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            Key.characterEdits: .int(characterEdits), Key.referenceCharacters: .int(referenceCharacters),
        ]
        if let wordEdits { fields[Key.wordEdits] = .int(wordEdits) }
        if let referenceWords { fields[Key.referenceWords] = .int(referenceWords) }
        if let cer { fields[Key.cer] = .double(cer) }
        if let wer { fields[Key.wer] = .double(wer) }
        if let threshold { fields[Key.threshold] = .double(threshold) }
        return fields
    }
}
