/// Reading JSON by pulling values, without building a `JSONValue` tree: how a streamed chunk
/// is read (`ChatWireFormat.Payload`). A reader asks for the members it knows and the rest is
/// skipped, checked as strictly as `parse` checks it (the same document is refused by both),
/// but with nothing allocated for it: no dictionary, no key, no string it does not keep.
///
/// A member's callback gets the parser at the member's value and reads it (`string()`,
/// `int()`, `members`, `elements`, `value()`) or leaves it, and then it is skipped.
extension JSONParser {
    /// The type of a value, from its first byte.
    public enum Kind: Sendable {
        case object, array, string, number, bool, null
    }

    /// A member's name as it is written: compared with a name without decoding it (a name with
    /// escapes is decoded first).
    public struct Key {
        let raw: UnsafeBufferPointer<UInt8>
        let decoded: [UInt8]?

        public static func == (key: Key, name: StaticString) -> Bool {
            let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            if let decoded = key.decoded { return decoded.elementsEqual(expected) }
            return key.raw.elementsEqual(expected)
        }
    }

    /// Reads the one value of `bytes` with `body`: nothing but whitespace may follow it.
    /// Inlinable, so that a reader's module specializes it for its bytes and its `body`.
    @inlinable
    public static func read<T>(_ bytes: some Collection<UInt8>, _ body: (inout JSONParser) throws(Failure) -> T)
        throws(Failure) -> T
    {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<T, Failure> {
            var parser = JSONParser(bytes: buffer)
            do throws(Failure) {
                parser.skipWhitespace()
                let start = parser.index
                let result = try body(&parser)
                if parser.index == start { try parser.skip() }
                parser.skipWhitespace()
                guard parser.index == buffer.count else {
                    throw parser.failure("unexpected characters after the value")
                }
                return .success(result)
            } catch {
                return .failure(error)
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable(run) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer(run).get()
    }

    /// The type of the value at the cursor; nil at the end or before a byte no value starts with.
    public var kind: Kind? {
        switch current {
        case UInt8(ascii: "{")?: .object
        case UInt8(ascii: "[")?: .array
        case UInt8(ascii: "\"")?: .string
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?: .bool
        case UInt8(ascii: "n")?: .null
        case UInt8(ascii: "-")?, (UInt8(ascii: "0")...UInt8(ascii: "9"))?: .number
        default: nil
        }
    }

    /// Reads past a `null` and says so; anything else is left where it is.
    public mutating func null() throws(Failure) -> Bool {
        guard current == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// The string at the cursor; any other value is a failure that says what was expected.
    public mutating func string(_ what: @autoclosure () -> String) throws(Failure) -> String {
        guard current == UInt8(ascii: "\"") else { throw failure("\(what()) is not a string") }
        return try string()
    }

    /// The number at the cursor as `JSONValue.intValue` reads it (`12.0` is 12); any other
    /// value, or a number with a fraction, is a failure.
    public mutating func int(_ what: @autoclosure () -> String) throws(Failure) -> Int {
        guard kind == .number, let int = try number().intValue else { throw failure("\(what()) is not an integer") }
        return int
    }

    /// The value at the cursor as a tree.
    public mutating func value() throws(Failure) -> JSONValue {
        try value(depth: depth)
    }

    /// Calls `each` for every member of the object at the cursor, the cursor at its value;
    /// a value `each` leaves is skipped. Anything but an object is a failure.
    public mutating func members(
        _ what: @autoclosure () -> String, _ each: (inout JSONParser, Key) throws(Failure) -> Void
    ) throws(Failure) {
        guard current == UInt8(ascii: "{") else { throw failure("\(what()) is not an object") }
        try enter()
        skipWhitespace()
        if current == UInt8(ascii: "}") { return leave() }
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let key = try key()
            try colon()
            let start = index
            try each(&self, key)
            if index == start { try skip() }
            guard try another(before: UInt8(ascii: "}"), in: "an object") else { return leave() }
        }
    }

    /// Calls `each` for every element of the array at the cursor; an element `each` leaves
    /// is skipped. Anything but an array is a failure.
    public mutating func elements(_ what: @autoclosure () -> String, _ each: (inout JSONParser) throws(Failure) -> Void)
        throws(Failure)
    {
        guard current == UInt8(ascii: "[") else { throw failure("\(what()) is not an array") }
        try enter()
        skipWhitespace()
        if current == UInt8(ascii: "]") { return leave() }
        while true {
            let start = index
            try each(&self)
            if index == start { try skip() }
            guard try another(before: UInt8(ascii: "]"), in: "an array") else { return leave() }
        }
    }

    /// Reads past the value at the cursor, checking it as `parse` does.
    public mutating func skip() throws(Failure) {
        switch kind {
        case .object?: try members("an object") { _, _ throws(Failure) in }
        case .array?: try elements("an array") { _ throws(Failure) in }
        case .string?: try skipString()
        case .number?: _ = try number()
        case .bool?, .null?, nil: _ = try value(depth: depth)
        }
    }

    /// Past the opening bracket, one level deeper.
    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth)") }
        index += 1
    }

    /// Past the closing bracket, one level up.
    private mutating func leave() {
        depth -= 1
        index += 1
    }

    /// A member's name: its bytes where it has no escape, else decoded.
    private mutating func key() throws(Failure) -> Key {
        let start = index + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        guard raw.contains(UInt8(ascii: "\\")) else { return Key(raw: raw, decoded: nil) }
        index = start - 1
        return Key(raw: raw, decoded: Array(try string().utf8))
    }

    /// Reads past a string, from its opening quote: its escapes checked, nothing decoded.
    private mutating func skipString() throws(Failure) {
        let start = index
        index += 1
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                switch current {
                case UInt8(ascii: "u")?:
                    index += 1
                    _ = try hex4()
                case UInt8(ascii: "\"")?, UInt8(ascii: "\\")?, UInt8(ascii: "/")?, UInt8(ascii: "b")?,
                    UInt8(ascii: "f")?, UInt8(ascii: "n")?, UInt8(ascii: "r")?, UInt8(ascii: "t")?:
                    index += 1
                case nil: throw failure("unexpected end of input")
                default: throw failure("invalid escape")
                }
            case 0..<0x20:
                throw failure("a control character in a string must be escaped")
            default:
                index += 1
            }
        }
        throw Failure(offset: start, reason: "unterminated string")
    }
}
