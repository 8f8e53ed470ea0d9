import Foundation

extension PromptFile {
    /// The file's text as it goes inside a JSON string, a piece at a time: at most
    /// `chunkBytes` of the file read at once, cut at a character boundary and escaped as
    /// `JSONValue` escapes a whole string (JSON escapes scalar by scalar, so the pieces put
    /// together are the whole text's escaping). One reader per request sent; not shared.
    public final class Reader: @unchecked Sendable {
        /// How much of the file one piece reads.
        /// (Small: every request in flight may hold a piece waiting for its connection.)
        public static let chunkBytes = 16 * 1024

        private let handle: FileHandle
        /// Bytes read but not yet given out: the start of a character cut by the last read.
        private var carry: [UInt8] = []
        private var ended = false

        public init(_ file: PromptFile) throws(InputError) {
            guard let handle = FileHandle(forReadingAtPath: file.path) else {
                throw InputError(file: file.path, "cannot read the prompt file")
            }
            self.handle = handle
        }

        deinit { try? handle.close() }

        /// The next escaped piece; nil at the end of the file.
        public func next() throws(InputError) -> [UInt8]? {
            while !ended {
                let data: Data
                do {
                    data = try handle.read(upToCount: Self.chunkBytes) ?? Data()
                } catch {
                    throw InputError("cannot read a prompt file: \(error.localizedDescription)")
                }
                var bytes = carry
                bytes += data
                carry = []
                if data.isEmpty {
                    ended = true
                } else {
                    // Keep back a character the read cut in two.
                    let cut = Self.characterBoundary(bytes)
                    carry = Array(bytes[cut...])
                    bytes.removeSubrange(cut...)
                }
                guard !bytes.isEmpty else { continue }
                // Most text needs no escape: given as read.
                if !bytes.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
                    return bytes
                }
                return PromptFile.escapedUTF8(String(decoding: bytes, as: UTF8.self))
            }
            return nil
        }

        /// The end of the last whole UTF-8 sequence in `bytes`.
        static func characterBoundary(_ bytes: [UInt8]) -> Int {
            var index = bytes.count
            // Step back over continuation bytes (10xxxxxx) to the lead byte of the last sequence.
            while index > 0, bytes[index - 1] & 0xC0 == 0x80, bytes.count - index < 3 { index -= 1 }
            guard index > 0 else { return bytes.count }
            let lead = bytes[index - 1]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            return bytes.count - (index - 1) >= length ? bytes.count : index - 1
        }
    }
}
