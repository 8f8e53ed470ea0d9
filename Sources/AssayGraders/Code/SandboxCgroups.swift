import Foundation
import SystemPackage

/// Memory and process limits for one sandbox as a whole, through the kernel's control groups.
///
/// rlimits bind each process on its own: four forked children may each use the whole address
/// space limit. A control group bounds them together (tmpfs pages written inside count too).
/// Assay makes one group per program, under its own group (found in `/proc/self/cgroup`), in
/// cgroup v2 (`memory.max`, `memory.swap.max`, `pids.max`) or v1 (the `memory` and `pids`
/// hierarchies), where it may write; where it may not (no root, no delegation), there is no
/// group, and `Sandbox.description` says that only per-process limits hold.
struct SandboxCgroups: Sendable {
    enum Layout: Sendable, Hashable {
        /// The parent directory in the unified hierarchy.
        case v2(String)
        /// The parent directories in the memory and pids hierarchies.
        case v1(memory: String, pids: String)
    }

    let layout: Layout

    var name: String {
        switch layout {
        case .v2: "cgroup v2"
        case .v1: "cgroup v1"
        }
    }

    /// The groups this process may make children in, or nil.
    static let available: SandboxCgroups? = detect()

    static func detect(
        root: String = "/sys/fs/cgroup",
        membership: String? = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)
    ) -> SandboxCgroups? {
        let fm = FileManager.default
        var paths: [String: String] = [:]  // controller (or "" for v2) -> our group's path
        for line in (membership ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                paths[String(controller)] = String(parts[2])
            }
        }
        // v2: our group's parent must hand memory and pids down (or the root does).
        if let own = paths[""], fm.fileExists(atPath: FilePath(root).appending("cgroup.controllers").string) {
            for candidate in [root + own, root] {
                let controls =
                    (try? String(
                        contentsOfFile: FilePath(candidate).appending("cgroup.subtree_control").string, encoding: .utf8))
                    ?? ""
                let enabled = Set(controls.split(whereSeparator: \.isWhitespace).map(String.init))
                if enabled.isSuperset(of: ["memory", "pids"]), probe(candidate) {
                    return SandboxCgroups(layout: .v2(candidate))
                }
            }
        }
        if let memory = paths["memory"], let pids = paths["pids"] {
            let memoryDirectory = FilePath(root).appending("memory").string + (memory == "/" ? "" : memory)
            let pidsDirectory = FilePath(root).appending("pids").string + (pids == "/" ? "" : pids)
            if probe(memoryDirectory), probe(pidsDirectory) {
                return SandboxCgroups(layout: .v1(memory: memoryDirectory, pids: pidsDirectory))
            }
        }
        return nil
    }

    /// Whether a child group can be made (and removed) in `directory`.
    private static func probe(_ directory: String) -> Bool {
        let trial = FilePath(directory).appending("assay-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").string
        guard mkdir(trial, 0o755) == 0 else { return false }
        rmdir(trial)
        return true
    }

    /// Makes a group for one program with these limits.
    func make(memoryBytes: Int, processes: Int) -> Group? {
        let name = "assay-\(UUID().uuidString.prefix(13))"
        var settings: [(file: String, value: String)] = []
        var directories: [String] = []
        switch layout {
        case .v2(let parent):
            let directory = FilePath(parent).appending(name).string
            directories = [directory]
            settings = [
                ("\(directory)/memory.max", "\(memoryBytes)"), ("\(directory)/pids.max", "\(processes)"),
                ("\(directory)/memory.swap.max", "0"),
            ]
        case .v1(let memory, let pids):
            directories = [FilePath(memory).appending(name).string, FilePath(pids).appending(name).string]
            settings = [
                ("\(directories[0])/memory.limit_in_bytes", "\(memoryBytes)"),
                ("\(directories[1])/pids.max", "\(processes)"),
                ("\(directories[0])/memory.memsw.limit_in_bytes", "\(memoryBytes)"),
            ]
        }
        var made: [String] = []
        for directory in directories {
            guard mkdir(directory, 0o755) == 0 else {
                Group(directories: made, layout: layout).remove()
                return nil
            }
            made.append(directory)
        }
        let group = Group(directories: made, layout: layout)
        for (file, value) in settings {
            // memsw and swap.max exist only with swap accounting: their absence is fine.
            let optional = file.hasSuffix("memsw.limit_in_bytes") || file.hasSuffix("swap.max")
            if !Self.write(value, to: file) && !optional {
                group.remove()
                return nil
            }
        }
        return group
    }

    static func write(_ value: String, to file: String) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: file) else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data(value.utf8))) != nil
    }

    /// One program's group: where its first process writes its pid, what the kernel counted.
    struct Group: Sendable {
        let directories: [String]
        let layout: Layout

        /// The files a process writes its pid into to join the group (all its children follow).
        var procsFiles: [String] { directories.map { FilePath($0).appending("cgroup.procs").string } }

        /// How many times the kernel's out-of-memory killer acted inside the group.
        var outOfMemoryKills: Int {
            let file =
                switch layout {
                case .v2: FilePath(directories[0]).appending("memory.events").string
                case .v1: FilePath(directories[0]).appending("memory.oom_control").string
                }
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
                return Int(line.dropFirst("oom_kill ".count).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            return 0
        }

        /// Removes the group once its processes are gone (the kernel may take a moment after
        /// the sandbox's last process is reaped): retried after 0.25, 0.5, 1, 2, 4 and then
        /// every 8 ms, for up to a second, without holding a thread (the old 10 ms sleeps
        /// between attempts cost each case 4 ms on average).
        func removeWhenEmpty() async {
            var waited = 0
            var pause = 250
            for directory in directories {
                while rmdir(directory) != 0 && errno != ENOENT && waited < 1_000_000 {
                    try? await Task.sleep(for: .microseconds(pause))
                    waited += pause
                    pause = min(pause * 2, 8_000)
                }
            }
        }

        /// Removes the group, once its processes are gone, waiting on this thread.
        func remove() {
            for directory in directories {
                for attempt in 0..<50 {
                    if rmdir(directory) == 0 || errno == ENOENT { break }
                    if attempt < 49 { usleep(10_000) }
                }
            }
        }
    }
}
