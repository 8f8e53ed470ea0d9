import Testing

@testable import AssayRunner

/// The response cache's key is a request's SHA-256 in lower-case hex: stores written by
/// earlier versions are looked up by it, so its spelling must never change (the values are
/// Python's `hashlib.sha256(...).hexdigest()` of the same bytes).
struct RequestHashTests {
    @Test func theKeyIsTheSHA256OfTheRequestInLowerCaseHex() {
        #expect(
            RequestBuilder.hash(endpoint: "e", model: "m", epoch: 1, body: "{}")
                == "ba4a14451f6b1ae3b385a079a5f412e8c44e0f68b3fa0ca4c911593e01c6d106")
        // Bytes under 16 keep their leading zero.
        #expect(
            RequestBuilder.hash(endpoint: "e", model: "m", epoch: 1, body: "\u{0F}")
                == "cf6ac2207e961542c84903ab81c3e767136d23b919449fbc736cb5745d8c600c")
    }
}
