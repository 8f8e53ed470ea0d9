"""The candidate's process of Assay's code grader: imports the model's code as the module
`candidate` (so its `if __name__ == "__main__":` block does not run) and does what the test
runner asks of it over the wire (wire.py). Nothing here is trusted: the verdict is the
runner's.

The runner forks this process from its own interpreter before it reads the tests (`start`):
the child first closes every descriptor but the two ends of the wire (standard input, which
holds the tests' instructions, becomes /dev/null; standard output, the verdict's, becomes
standard error), then takes the CPU limit the runner sends, and only then runs the
candidate's code."""

import posix as os  # not `os`, whose import (with _collections_abc) cost each case a millisecond or more
import sys

HERE = __file__.rpartition("/")[0]
sys.path.insert(0, HERE)
import wire  # noqa: E402

ModuleType = type(sys)  # types.ModuleType, without the types module (a millisecond's import)


def start(read_fd, write_fd, close=()):
    """The forked child's whole life: it never returns into the runner's code."""
    code = 1
    try:
        for fd in close:
            os.close(fd)
        _isolate(read_fd, write_fd)
        code = main(read_fd, write_fd)
    except SystemExit as error:
        code = error.code if isinstance(error.code, int) else 1
    except BaseException:  # noqa: B036 (whatever happens, the child ends here)
        try:
            import traceback

            traceback.print_exc()
        except BaseException:  # noqa: B036
            pass
    finally:
        os._exit(code)


def _isolate(read_fd, write_fd):
    """Nothing of the runner's stays open: its input (the tests' instructions), its output
    (the verdict's line) and every other descriptor but the wire's two ends."""
    import io

    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    low = 3
    for fd in sorted((read_fd, write_fd)):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, max(os.sysconf("SC_OPEN_MAX"), low + 1))
    # As `python -u` would: what the candidate printed is kept even when it is killed.
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="surrogateescape", write_through=True)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", write_through=True)
    sys.argv = [HERE + "/worker.py"]


def describe(error):
    import traceback

    return {
        "mro": [cls.__name__ for cls in type(error).__mro__],
        "message": _text(error),
        "traceback": "".join(traceback.format_exception(error))[-8000:],
    }


def _text(error):
    try:
        return str(error)[:2000]
    except Exception:  # noqa: BLE001
        return "(the exception's message could not be read)"


def rebuild(description):
    import builtins
    for name in description.get("mro", []):
        cls = getattr(builtins, str(name), None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            return cls(str(description.get("message", "")))
    return RuntimeError(str(description.get("message", "")))


def load(with_prompt, wanted):
    module = ModuleType("candidate")
    module.__file__ = HERE + "/candidate.py"
    sys.modules["candidate"] = module
    sources = (["prompt.py"] if with_prompt else []) + ["candidate.py"]
    for name in sources:
        with open(HERE + "/" + name, encoding="utf-8") as file:
            code = compile(file.read(), name, "exec")
        exec(code, module.__dict__)
    # Only the names the runner asks for (the entry point, and the helpers its tests use
    # that are not builtins): nothing else crosses.
    names = {}
    for name in wanted:
        if isinstance(name, str) and not name.startswith("__") and name in module.__dict__:
            value = module.__dict__[name]
            if not isinstance(value, ModuleType):
                names[name] = value
    return names


def main(read_fd, write_fd):
    """Takes the CPU limit, says hello, then answers the runner until the wire closes."""
    import resource

    channel = wire.Channel(read_fd, write_fd)
    begin = channel.receive()
    if begin.get("op") != "begin" or type(begin.get("cpu")) is not int:
        return 1
    cpu = begin["cpu"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    link = wire.Wire(channel, dict(wire.OPERATIONS, load=load), describe=describe, rebuild=rebuild)
    channel.send({"op": "hello"})
    while True:
        try:
            message = channel.receive()
        except EOFError:
            return 0
        link.serve(message)
