import AssayCore
import Foundation

/// Reading the text files users give Assay, with errors that say which file and why.
public enum TextFile {
    public static func read(_ path: String) throws(InputError) -> String {
        let data = try readData(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "the file is not valid UTF-8")
        }
        return text
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
