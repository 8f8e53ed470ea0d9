import AssayCore
import Foundation

/// Reading the text files users give Assay, with errors that say which file and why.
public enum TextFile {
    public static func read(_ path: String) throws(InputError) -> String {
        let data = try readData(path)
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(in: data)
            throw InputError(
                file: path, line: line, "not valid UTF-8 (byte \(column) of the line); save the file as UTF-8")
        }
        return text
    }

    /// The line and the 1-based byte within it where `data` stops being UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0, index = 0
        let bytes = [UInt8](data)
        while index < bytes.count {
            let byte = bytes[index]
            let length =
                switch byte {
                case 0x00...0x7F: 1
                case 0xC2...0xDF: 2
                case 0xE0...0xEF: 3
                case 0xF0...0xF4: 4
                default: 0
                }
            let valid =
                length > 0 && index + length <= bytes.count
                && String(validating: bytes[index..<index + length], as: UTF8.self) != nil
            guard valid else { return (line, index - lineStart + 1) }
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += length
        }
        return (line, index - lineStart + 1)
    }

    public static func readData(_ path: String) throws(InputError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw InputError(file: path, "is a directory, expected a file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, "cannot read the file: \(error.localizedDescription)")
        }
    }
}
