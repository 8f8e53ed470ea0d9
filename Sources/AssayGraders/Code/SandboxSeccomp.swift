import Foundation

/// The system-call filter bubblewrap installs on the sandboxed program (`--seccomp FD`): no
/// socket but AF_UNIX.
///
/// bubblewrap's `--unshare-net` gives the sandbox a network namespace of its own, with no
/// route out but with its loopback up: model code could listen on 127.0.0.1, connect to itself
/// and pin host memory in TCP buffers (2.25 GiB past a 1,120 MiB limit; the kernel does not
/// charge them to the sandbox's memory). Bringing `lo` down needs CAP_NET_ADMIN in the
/// namespace, and bubblewrap has no option to leave it down, so sockets are refused instead:
/// `socket()` and `socketpair()` of any family but AF_UNIX fail with EACCES (Python raises
/// PermissionError). AF_UNIX stays: `multiprocessing`, `asyncio` and `socket.socketpair()`
/// use it, and it reaches nothing outside the sandbox. io_uring, which can open sockets
/// without the `socket` system call, fails with ENOSYS (libraries fall back to plain calls).
/// A system call of another ABI than the native one (x86's `int 0x80`, x32) fails with EPERM:
/// its numbers are not the ones checked here. Everything else is allowed.
///
/// The program is classic BPF, assembled here (Assay links no libseccomp), for x86_64 and
/// aarch64; on another architecture there is no filter and `Sandbox.description` says so.
enum SandboxSeccomp {
    /// The compiled program (`struct sock_filter[]`, native byte order), or nil on an
    /// architecture it is not written for.
    static let program: [UInt8]? = native.map { assemble($0).flatMap(\.bytes) }

    /// The system-call numbers and audit architecture of one ABI.
    struct Architecture {
        var audit: UInt32
        var socket: UInt32
        var socketpair: UInt32
        /// x86_64 only: numbers from here up are the x32 ABI's.
        var x32Base: UInt32?
    }

    static let x86_64 = Architecture(audit: 0xC000_003E, socket: 41, socketpair: 53, x32Base: 0x4000_0000)
    static let aarch64 = Architecture(audit: 0xC000_00B7, socket: 198, socketpair: 199, x32Base: nil)

    static var native: Architecture? {
        #if arch(x86_64)
            x86_64
        #elseif arch(arm64)
            aarch64
        #else
            nil
        #endif
    }

    /// `io_uring_setup`, `io_uring_enter`, `io_uring_register`: the same on both ABIs.
    static let ioURing: [UInt32] = [425, 426, 427]
    static let afUNIX: UInt32 = 1

    // The kernel's constants (linux/filter.h, linux/seccomp.h, asm-generic/errno-base.h).
    static let retAllow: UInt32 = 0x7FFF_0000
    static func retErrno(_ errno: UInt32) -> UInt32 { 0x0005_0000 | (errno & 0xFFFF) }
    static let eperm: UInt32 = 1
    static let eacces: UInt32 = 13
    static let enosys: UInt32 = 38
    // Offsets in `struct seccomp_data`: nr, arch, then args[0] (its low 32 bits first: both
    // ABIs are little-endian, and `socket` reads its family as an int).
    static let offsetNumber: UInt32 = 0
    static let offsetArchitecture: UInt32 = 4
    static let offsetFirstArgument: UInt32 = 16

    /// One instruction of the program.
    struct Instruction: Equatable {
        var code: UInt16
        var jumpTrue: UInt8 = 0
        var jumpFalse: UInt8 = 0
        var k: UInt32

        static let loadWord: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS
        static let jumpEqual: UInt16 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
        static let jumpGreaterOrEqual: UInt16 = 0x35  // BPF_JMP | BPF_JGE | BPF_K
        static let returnValue: UInt16 = 0x06  // BPF_RET | BPF_K

        /// `struct sock_filter`: code, jt, jf, k, in native (little-endian) byte order.
        var bytes: [UInt8] {
            withUnsafeBytes(of: code.littleEndian, Array.init) + [jumpTrue, jumpFalse]
                + withUnsafeBytes(of: k.littleEndian, Array.init)
        }
    }

    /// The program for one ABI. Jumps go forward only (classic BPF has no other), so each
    /// verdict is a return of its own, placed after every test that leads to it.
    static func assemble(_ arch: Architecture) -> [Instruction] {
        enum Step {
            case load(UInt32)
            /// Jumps to the label when the accumulator is equal (or, `atLeast`, not below).
            case jump(UInt32, atLeast: Bool = false, to: String)
            case ret(UInt32)
            case label(String)
        }
        var steps: [Step] = [
            .load(offsetArchitecture),
            .jump(arch.audit, to: "native"),
            .ret(retErrno(eperm)),
            .label("native"),
            .load(offsetNumber),
        ]
        if let x32 = arch.x32Base { steps.append(.jump(x32, atLeast: true, to: "foreign")) }
        steps += [.jump(arch.socket, to: "family"), .jump(arch.socketpair, to: "family")]
        steps += ioURing.map { .jump($0, to: "nosys") }
        steps += [
            .ret(retAllow),
            .label("family"),
            .load(offsetFirstArgument),
            .jump(afUNIX, to: "unix"),
            .ret(retErrno(eacces)),
            .label("unix"),
            .ret(retAllow),
            .label("nosys"),
            .ret(retErrno(enosys)),
            .label("foreign"),
            .ret(retErrno(eperm)),
        ]
        var labels: [String: Int] = [:]
        var index = 0
        for step in steps {
            if case .label(let name) = step { labels[name] = index } else { index += 1 }
        }
        var program: [Instruction] = []
        for step in steps {
            switch step {
            case .load(let offset): program.append(Instruction(code: Instruction.loadWord, k: offset))
            case .jump(let value, let atLeast, let label):
                // Every label is defined above and lies ahead, well within a UInt8's reach.
                let distance = (labels[label] ?? program.count + 1) - program.count - 1
                program.append(
                    Instruction(
                        code: atLeast ? Instruction.jumpGreaterOrEqual : Instruction.jumpEqual,
                        jumpTrue: UInt8(clamping: distance), k: value))
            case .ret(let value): program.append(Instruction(code: Instruction.returnValue, k: value))
            case .label: break
            }
        }
        return program
    }
}
