// The Python below is Assay's own, embedded so that the grader travels with the binary.
// Edit it here; SandboxTests, HostileCodeTests and HumanEvalHarnessTests exercise it.

extension CodeHarness {
    /// `worker.py`: the candidate's process, which imports the model's code and answers the runner.
    static let worker = #"""
"""The candidate's process of Assay's code grader: imports the model's code as the module
`candidate` (so its `if __name__ == "__main__":` block does not run) and does what the test
runner asks of it over the wire (wire.py). Nothing here is trusted: the verdict is the
runner's."""

import os
import sys
import traceback
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def describe(error):
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
    module = types.ModuleType("candidate")
    module.__file__ = os.path.join(HERE, "candidate.py")
    sys.modules["candidate"] = module
    sources = (["prompt.py"] if with_prompt else []) + ["candidate.py"]
    for name in sources:
        with open(os.path.join(HERE, name), encoding="utf-8") as file:
            code = compile(file.read(), name, "exec")
        exec(code, module.__dict__)
    # Only the names the runner asks for (the entry point, and the helpers its tests use
    # that are not builtins): nothing else crosses.
    names = {}
    for name in wanted:
        if isinstance(name, str) and not name.startswith("__") and name in module.__dict__:
            value = module.__dict__[name]
            if not isinstance(value, types.ModuleType):
                names[name] = value
    return names


def main():
    channel = wire.Channel(int(sys.argv[1]), int(sys.argv[2]))
    link = wire.Wire(channel, dict(wire.OPERATIONS, load=load), describe=describe, rebuild=rebuild)
    channel.send({"op": "hello"})
    while True:
        try:
            message = channel.receive()
        except EOFError:
            os._exit(0)
        link.serve(message)


if __name__ == "__main__":
    main()
"""#
}
