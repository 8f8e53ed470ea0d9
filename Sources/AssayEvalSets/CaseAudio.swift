import AssayCore
import Foundation
import SystemPackage

/// The sound clips cases refer to (`input.audio`: a path or a list of paths, relative to the
/// suite directory, confined to it as images are), read and checked before a run, as the
/// base64 `input_audio` parts requests carry.
public enum CaseAudio {
    /// A clip as a request carries it.
    public struct Clip: Sendable, Hashable {
        public var base64: String
        /// `wav` or `mp3`, from the file's first bytes.
        public var format: String
    }

    /// The largest clip Assay sends (base64 makes the request a third larger).
    public static let maxBytes = 8 * 1024 * 1024

    /// The paths `item` refers to, as written.
    public static func paths(of item: Case) -> [String] {
        CaseImages.filePaths(item.input["audio"])
    }

    /// Clips by path (as written in the case), for every clip of `suite`. Every clip that is
    /// missing, outside the suite, unreadable, too large or not WAV or MP3 is a problem at its
    /// case's line.
    public static func load(_ suite: Suite) throws(InputError) -> [String: Clip] {
        var clips: [String: Clip] = [:]
        var problems: [Diagnostic] = []
        for item in suite.cases {
            for path in paths(of: item) where clips[path] == nil {
                do {
                    clips[path] = try clip(CaseImages.confined(path, to: suite.directory))
                } catch {
                    problems.append(
                        Diagnostic(
                            file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                            "case '\(item.id)': audio '\(path)': \(error.message)"))
                }
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return clips
    }

    /// The clip in the file at `path`: RIFF/WAVE, or MP3 (an ID3 tag or an MPEG frame sync).
    public static func clip(_ path: String, maxBytes: Int = maxBytes) throws(CaseImages.ImageError) -> Clip {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxBytes {
            throw CaseImages.ImageError(message: "\(size) bytes is over the \(maxBytes / 1024 / 1024) MB limit")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= maxBytes else {
            throw CaseImages.ImageError(
                message: "the file cannot be read, or is over the \(maxBytes / 1024 / 1024) MB limit")
        }
        let bytes = [UInt8](data.prefix(12))
        let format: String
        if bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] {
            format = "wav"
        } else if bytes.starts(with: [0x49, 0x44, 0x33])
            || (bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        {
            format = "mp3"
        } else {
            throw CaseImages.ImageError(message: "not a WAV or MP3 file")
        }
        return Clip(base64: data.base64EncodedString(), format: format)
    }
}
