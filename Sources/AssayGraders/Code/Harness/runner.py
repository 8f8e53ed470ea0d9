"""The test runner of Assay's code grader: runs a case's hidden tests against the candidate.

It first forks the candidate's process (worker.py), before it has read anything: the child
holds no byte of the tests, closes every descriptor of the runner's but the two ends of the
wire, and runs no code of the candidate's until the runner asks it to. Then the runner makes
itself undumpable (so that a process of the same user can neither read its memory nor open
its descriptors), reads its instructions from standard input (the tests, the entry point,
the time limit, the prompt when it is Python, and a nonce) and closes it. One interpreter
start per case: forking an interpreter that has already imported the harness costs about a
millisecond, a fresh one about forty. The tests run here, with Python's own builtins and, of the candidate's module, only
the entry point and the non-builtin names they look up (wanted_names); every call into the
candidate's code crosses the wire, and only plain data comes back (wire.py). The verdict is
one line on standard output, framed by the nonce: nothing the candidate prints, exits with or
patches can make it.
"""

import builtins
import math
import posix as os  # not `os`: its import (with _collections_abc) cost each case a millisecond or more
import sys
import time

import _signal as signal  # the signals' numbers, without the enum module `signal` imports

HERE = __file__.rpartition("/")[0]
sys.path.insert(0, HERE)
import wire  # noqa: E402
import worker  # noqa: E402

# What only the runner needs (_symtable, traceback, ctypes) is imported after the fork, so
# that the candidate's process does not pay for it.


class CandidateEnded(BaseException):
    """The candidate's process exited or raised SystemExit/KeyboardInterrupt: the program ended
    before the tests finished. A BaseException, so that the tests cannot catch it."""


class Verdict:
    def __init__(self):
        self.ended = None
        self.out_of_time = False
        self.memory = False
        self.malformed = None


def rebuild_for(verdict):
    def rebuild(description):
        names = [str(name) for name in description.get("mro", [])][:64]
        message = str(description.get("message", ""))[:2000]
        trace = str(description.get("traceback", ""))[-8000:]
        for name in names:
            if name in ("SystemExit", "KeyboardInterrupt", "GeneratorExit"):
                verdict.ended = "the candidate raised %s" % name
                error = CandidateEnded(verdict.ended)
                break
            cls = getattr(builtins, name, None)
            if isinstance(cls, type) and issubclass(cls, Exception):
                error = cls(message) if name != "KeyError" else KeyError(message)
                if cls is MemoryError:
                    verdict.memory = True
                break
        else:
            error = RuntimeError(message)
        error.assay_candidate = (names[0] if names else "Exception", message, trace)
        return error

    return rebuild


def describe(error):
    # Our own errors (from the tests' callbacks): the kind and message only, never a traceback
    # (it would show the tests' source to the candidate).
    return {"mro": [cls.__name__ for cls in type(error).__mro__], "message": str(error)[:500]}


def scan(source, filename):
    """The names `source` looks up as globals (at module level, or from any function or class
    in it), and the names its module level binds (or a function binds with `global`).

    On Python 3.11, symtable's own rules (Symbol.is_referenced, is_global,
    is_declared_global, is_assigned, is_imported, and its module scope: a table named "top")
    applied to its C half's flags: the module itself, with weakref and _collections_abc,
    cost each case about a millisecond. Elsewhere, the module."""
    if sys.version_info[:2] != (3, 11):
        return _scan_with_symtable(source, filename)
    import _symtable as st

    global_scopes = (st.GLOBAL_IMPLICIT, st.GLOBAL_EXPLICIT)
    referenced, bound = set(), set()
    top = st.symtable(source, filename, "exec")
    tables = [top]
    while tables:
        table = tables.pop()
        tables.extend(table.children)
        module = table is top
        module_scope = table.name == "top"
        for name, flags in table.symbols.items():
            scope = (flags >> st.SCOPE_OFF) & st.SCOPE_MASK
            if flags & st.USE and (module or scope in global_scopes or (module_scope and flags & st.DEF_BOUND)):
                referenced.add(name)
            if flags & (st.DEF_LOCAL | st.DEF_IMPORT) and (module or scope == st.GLOBAL_EXPLICIT):
                bound.add(name)
    return referenced, bound


def _scan_with_symtable(source, filename):
    """`scan` through the symtable module."""
    import symtable

    referenced, bound = set(), set()
    top = symtable.symtable(source, filename, "exec")
    tables = [top]
    while tables:
        table = tables.pop()
        tables.extend(table.get_children())
        module = table is top
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if symbol.is_referenced() and (module or symbol.is_global()):
                referenced.add(name)
            if (symbol.is_assigned() or symbol.is_imported()) and (module or symbol.is_declared_global()):
                bound.add(name)
    return referenced, bound


def wanted_names(tests, prompt, entry_point):
    """The names of the candidate's module the tests may see: those the tests (or the prompt's
    helpers) look up and nothing of theirs defines, less every builtin and standard module.

    HumanEval's harness runs prompt + completion + tests in one namespace, so a completion could
    define `abs`, `len`, `isinstance` or `AssertionError` and the tests would call its versions
    (`return 0` bodies passed 6 of HumanEval's 164 tasks so). Here the tests always reach Python's own: a
    builtin's name (and a module's: `math`) is never the candidate's, nor is `check`, which
    the runner itself calls. The entry point is always asked for, and bound for the tests
    unless it is a builtin's name (then the tests reach it as `check`'s argument only)."""
    referenced, bound = scan(tests, "<tests>")
    if prompt is not None:
        prompt_referenced, prompt_bound = scan(prompt, "<prompt>")
        referenced |= prompt_referenced
        bound |= prompt_bound
    reserved = set(builtins.__dict__) | set(getattr(sys, "stdlib_module_names", ())) | bound | {"check"}
    return sorted(name for name in referenced if name not in reserved and not name.startswith("__")) + [entry_point]


def undumpable():
    """prctl(PR_SET_DUMPABLE, 0), through ctypes's C half: ctypes itself (its types, its
    byte-order checks) cost each case 1.5 ms."""
    try:
        import _ctypes

        class Int(_ctypes._SimpleCData):
            _type_ = "i"

        class Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL
            _restype_ = Int

        prctl = Function(_ctypes.dlsym(_ctypes.dlopen(None, os.RTLD_NOW), "prctl"))
        prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except (ImportError, OSError, AttributeError, TypeError):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def error_text(error):
    candidate = getattr(error, "assay_candidate", None)
    if candidate is not None:
        kind, message = candidate[0], candidate[1]
        return kind + (": " + message if message else "")
    import traceback

    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return text.splitlines()[-1] if text else type(error).__name__


def failing_line(error, tests):
    line = None
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == "<tests>":
            line = frame.tb_lineno
        frame = frame.tb_next
    if line is None:
        return None
    lines = tests.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else None


def site_packages():
    """What Python's `site` would have given both processes (the sandbox starts Python with
    -S: `site` ran the .pth files of every site directory and cost each case 3 ms or more):
    the site-packages directories on the path, and the builtins `exit`, `quit`, `help`,
    `copyright`, `credits` and `license`. The .pth files and sitecustomize do not run. The
    directories are this interpreter's `site.getsitepackages()`, asked once by Assay and
    written beside the harness (`site-packages.txt`): `site` imports `os`, which cost each
    case a millisecond or more; without the file, `site` is asked."""
    try:
        with open(HERE + "/site-packages.txt", encoding="utf-8") as file:
            paths = [line for line in file.read().split("\n") if line]
    except OSError:
        import site

        paths = site.getsitepackages()
    import _sitebuiltins
    import _stat

    for path in paths:
        try:
            directory = _stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            directory = False
        if directory and path not in sys.path:
            sys.path.append(path)
    builtins.quit = _sitebuiltins.Quitter("quit", "Ctrl-D (i.e. EOF)")
    builtins.exit = _sitebuiltins.Quitter("exit", "Ctrl-D (i.e. EOF)")
    builtins.help = _sitebuiltins._Helper()
    builtins.copyright = _SitePrinter("copyright", sys.copyright)
    builtins.credits = _SitePrinter("credits", """\
    Thanks to CWI, CNRI, BeOpen.com, Zope Corporation and a cast of thousands
    for supporting Python development.  See www.python.org for more information.""")
    builtins.license = _SitePrinter("license", "See https://www.python.org/psf/license/")


class _SitePrinter:
    """`site`'s copyright, credits and license, made on first use (its printer imports os)."""

    def __init__(self, name, data):
        self._arguments = (name, data)

    def _printer(self):
        import _sitebuiltins
        import os as real_os

        files, dirs = (), ()
        if self._arguments[0] == "license":
            here = real_os.path.dirname(real_os.__file__)
            files, dirs = ["LICENSE.txt", "LICENSE"], [real_os.path.join(here, real_os.pardir), here, real_os.curdir]
        return _sitebuiltins._Printer(*self._arguments, files, dirs)

    def __repr__(self):
        return repr(self._printer())

    def __call__(self):
        return self._printer()()


# Modules without state worth keeping from the candidate (no random generator, no file, no
# descriptor, no secret) that a prompt may import: imported before the fork when the prompt
# imports them, so that the candidate's process inherits them instead of importing them a
# second time (typing, which 21 of HumanEval's prompts import, cost each of those cases about
# 10 ms in each process).
SHAREABLE = frozenset((
    "typing", "math", "cmath", "re", "string", "collections", "functools", "itertools", "operator", "heapq",
    "bisect", "fractions", "decimal", "copy", "enum", "dataclasses", "abc",
))


def preimport_prompt_modules():
    """Imports the SHAREABLE modules the prompt (`prompt.py`, the suite's, never the candidate's)
    names on a line of its own starting at its first column (`import typing`, `from typing
    import List`). Nothing else of the prompt runs here. Read as text, not parsed: the AST's
    classes cost more than the imports saved; a line of a docstring that reads like an import
    costs at most an import from the list."""
    try:
        with open(HERE + "/prompt.py", encoding="utf-8") as file:
            source = file.read()
    except (OSError, ValueError):
        return
    for line in source.split("\n"):
        if line.startswith(("import ", "from ")):
            words = line.replace(",", " ").split()
            for name in words[1:] if words[0] == "import" else words[1:2]:
                if name in SHAREABLE:
                    try:
                        __import__(name)
                    except Exception:  # noqa: BLE001 (the candidate's process imports it, or fails, as before)
                        pass


def main():
    if sys.flags.no_site:
        site_packages()
    preimport_prompt_modules()
    to_worker_read, to_worker_write = os.pipe()
    from_worker_read, from_worker_write = os.pipe()
    # The candidate's process, forked before anything of the tests is read: its memory is a
    # copy of an interpreter that has imported the harness and nothing else.
    pid = os.fork()
    if pid == 0:
        worker.start(to_worker_read, from_worker_write, close=(to_worker_write, from_worker_read))
    os.close(to_worker_read)
    os.close(from_worker_write)
    undumpable()
    spec = wire.loads(sys.stdin.buffer.read().decode("utf-8"))
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    nonce = spec["nonce"]
    _write("%s ready\n" % nonce)
    tests = spec["tests"]
    prompt = spec.get("prompt")
    entry_point = spec["entry_point"]
    timeout = float(spec["timeout"])

    verdict = Verdict()
    result = {"outcome": "passed"}
    # The candidate's time is its process's CPU time (kernel-counted, the same on a busy
    # machine as on an idle one): SIGXCPU at the limit, SIGKILL a second later, set by the
    # child itself before it runs any of the candidate's code. A candidate that waits instead
    # (sleep, a blocking read) is stopped by the wall clock.
    cpu = max(1, math.ceil(timeout))
    wall = 2 * timeout + 20
    channel = wire.Channel(from_worker_read, to_worker_write)
    # What the candidate may ask of the tests' objects (a key function, an iterator): to call
    # them and iterate them, never to read their attributes (a function's globals hold the tests).
    allowed = {name: wire.OPERATIONS[name] for name in ("call", "iter", "next", "len", "bool", "str")}
    link = wire.Wire(channel, allowed, describe=describe, rebuild=rebuild_for(verdict), cache=True)

    started = time.monotonic()
    try:
        channel.send({"op": "begin", "cpu": cpu})
        hello = channel.receive()  # the process is ready and limited: the candidate's clock starts now
    except (EOFError, ValueError, OSError):
        # The child could not start: the sandbox's failure, not the candidate's (it never ran).
        _write("%s %s %s\n" % (nonce, wire.dumps({"outcome": "sandbox_error", "error": (
            "the candidate's process did not start (status %s)" % (reap(pid)[0],))}), nonce))
        return
    try:
        if hello.get("op") != "hello":
            raise ValueError("no hello")
        channel.budget = wall
        wanted = wanted_names(tests, prompt, entry_point)
        names = link.request("load", (prompt is not None, wanted), {})
        if not isinstance(names, dict):
            raise ValueError("the module's names are not a dict")
        # Only the names asked for (never a builtin's): the candidate cannot shadow the
        # builtins the tests use, whatever its module defines.
        namespace = {"__name__": "__assay_tests__", "__builtins__": builtins}
        for name in wanted[:-1]:
            if name in names:
                namespace[name] = names[name]
        if prompt is not None:
            # The prompt's own definitions (HumanEval's helpers): the tests use these, not
            # the candidate's redefinitions of them.
            exec(compile(prompt, "<prompt>", "exec"), namespace)
        if entry_point not in names:
            raise AttributeError("module 'candidate' has no attribute '%s'" % entry_point)
        candidate = names[entry_point]
        if entry_point not in builtins.__dict__:
            namespace[entry_point] = candidate
        exec(compile(tests, "<tests>", "exec"), namespace)
        check = namespace.get("check")
        if check is None:
            raise NameError("the tests define no check(candidate)")
        check(candidate)
    except CandidateEnded:
        pass
    except wire.OutOfTime:
        verdict.out_of_time = True
    except EOFError:
        verdict.ended = "the candidate's process ended"
    except MemoryError:
        verdict.memory = True
        result = {"outcome": "memory", "error": "MemoryError"}
    except BaseException as error:  # noqa: B036 (any failure of the tests is a verdict)
        import linecache
        import traceback

        # The tests' own lines in their traceback (they have no file).
        for name, text in (("<tests>", tests), ("<prompt>", prompt or "")):
            linecache.cache[name] = (len(text), None, text.splitlines(True), name)
        result = {"outcome": "failed", "error": error_text(error), "assertion": failing_line(error, tests),
                  "traceback": "".join(traceback.format_exception(error))}
        candidate = getattr(error, "assay_candidate", None)
        if candidate is not None:
            result["candidate_traceback"] = candidate[2]

    killed = alive(pid)
    if killed:
        os.kill(pid, signal.SIGKILL)
    status, used = reap(pid)
    # SIGXCPU comes only from the CPU limit (the kernel's count may read a tick short of it);
    # SIGKILL near the limit is its hard limit.
    over_cpu = status == -signal.SIGXCPU or (status == -signal.SIGKILL and used >= cpu - 0.1)
    if verdict.out_of_time:
        result = {"outcome": "timeout", "error": "the candidate waited past %g s of wall clock" % wall}
    elif verdict.ended is not None:
        if killed:
            status = None  # it raised SystemExit (or the like) and was still running
        if over_cpu:
            result = {"outcome": "timeout", "error": "the candidate ran past %d s of CPU time" % cpu}
        elif status is not None and status < 0:
            result = {"outcome": "crashed", "error": "the candidate's process died (signal %d)" % -status, "signal": -status}
        else:
            how = verdict.ended if status is None else "its process exited with status %d" % status
            result = {"outcome": "failed", "error": "the program exited before the tests finished (%s)" % how}
    elif verdict.memory and result["outcome"] != "passed":
        result["outcome"] = "memory"
    result["candidate_cpu_seconds"] = round(used, 6)
    result["runner_seconds"] = round(time.monotonic() - started, 6)
    _write("%s %s %s\n" % (nonce, wire.dumps(result), nonce))
    # Nothing is left to do: the interpreter's orderly teardown would only cost time.
    os._exit(0)


def alive(pid):
    """Whether the process still runs (without reaping it: its CPU time is read when it is)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


def reap(pid):
    """The exit status (negative: the signal) and the CPU seconds the process used."""
    try:
        _, status, usage = os.wait4(pid, 0)
    except ChildProcessError:
        return None, 0.0
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, usage.ru_utime + usage.ru_stime


def _write(line):
    data = line.encode("utf-8", "replace")
    while data:
        data = data[os.write(1, data):]


if __name__ == "__main__":
    main()
