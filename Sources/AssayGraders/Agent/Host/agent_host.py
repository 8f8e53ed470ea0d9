"""Assay's agent tool host: one process per agent task, inside the sandbox.

It holds two worlds of the task's tool classes, built from the same initial state: the
model's, on which the model's calls run as they come, and the ground truth's, on which each
turn's ground-truth calls run when the turn ends. After each turn it judges the turn as
BFCL's multi-turn checker does (`multi_turn_checker.py`): the ground truth called something
and the model nothing fails; every public attribute of every instance must compare equal
(`!=`, attribute by attribute of the ground truth's instance); every result of the turn's
ground-truth calls must be among the results of the model's calls so far (all turns, as a
multiset).

Results are kept as BFCL keeps them: a str as it is, a dict as json.dumps, anything else
str(); a call that raises gives "Error during execution: <message>". A call may take at most
`call_seconds` of wall time (an alarm interrupts it); its result is cut at `max_result` chars.

The wire: one JSON object per line in, one per line out.
  {"op": "start", "tools": "<dir>", "classes": {"Name": {"module": "file.py", "stateless": false}},
   "involved": [...], "config": {...}, "call_seconds": 5, "max_result": 65536}
      -> {"ok": true} | {"ok": false, "error": "..."}
  {"op": "call", "name": "cd", "arguments": {...}}      -> {"result": "..."}
  {"op": "turn", "ground_truth": ["cd(folder='x')", ...], "called": true}
      -> {"kind": "passed"} | {"kind": "...", "detail": "...", "field": "..."}
"""

import copy
import importlib.util
import inspect
import json
import os
import signal
import sys

# Debian's packages (mpmath for BFCL's MathAPI) where -S left them out.
for extra in ("/usr/lib/python3/dist-packages",):
    if os.path.isdir(extra) and extra not in sys.path:
        sys.path.append(extra)

FORBIDDEN = {"kill", "exit", "quit", "remove", "unlink", "popen", "Popen", "run"}


class CallTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CallTimeout()


signal.signal(signal.SIGALRM, _alarm)


def load_class(tools_dir, name, module_file):
    if tools_dir not in sys.path:
        sys.path.insert(0, tools_dir)
    module_name = os.path.splitext(os.path.basename(module_file))[0]
    if module_name in sys.modules:
        module = sys.modules[module_name]
    else:
        spec = importlib.util.spec_from_file_location(module_name, os.path.join(tools_dir, module_file))
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return getattr(module, name)


class World:
    def __init__(self, classes, involved, config):
        self.instances = {}
        self.methods = {}
        for name in involved:
            cls, stateless = classes[name]
            instance = cls()
            if not stateless:
                instance._load_scenario(copy.deepcopy(config.get(name, {})), long_context=False)
            self.instances[name] = instance
            for method_name, method in inspect.getmembers(instance, predicate=inspect.ismethod):
                if not method_name.startswith("_"):
                    self.methods[method_name] = method


def stringify(value):
    if type(value) == str:
        return value
    if type(value) == dict:
        try:
            return json.dumps(value)
        except Exception:
            return str(value)
    return str(value)


class Host:
    def __init__(self, request):
        tools_dir = request["tools"]
        if not os.path.isabs(tools_dir):
            tools_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), tools_dir)
        classes = {}
        for name, entry in request["classes"].items():
            if name in request["involved"]:
                classes[name] = (load_class(tools_dir, name, entry["module"]), bool(entry.get("stateless")))
        involved = request["involved"]
        for name in involved:
            if name not in classes:
                raise ValueError("the suite declares no class %r" % name)
        config = request.get("config") or {}
        self.call_seconds = float(request.get("call_seconds", 5))
        self.max_result = int(request.get("max_result", 65536))
        self.model = World(classes, involved, config)
        self.truth = World(classes, involved, config)
        self.model_results = []

    def timed(self, function):
        signal.setitimer(signal.ITIMER_REAL, self.call_seconds)
        try:
            return function()
        except CallTimeout:
            raise RuntimeError("the call ran past %g s and was stopped" % self.call_seconds)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def call(self, name, arguments):
        try:
            if name in FORBIDDEN:
                raise Exception(f"Function call {name} is not allowed.")
            method = self.model.methods.get(name)
            if method is None:
                raise NameError(f"name '{name}' is not defined")
            if not isinstance(arguments, dict):
                raise TypeError("the arguments are not an object")
            result = stringify(self.timed(lambda: method(**arguments)))
        except MemoryError:
            result = "Error during execution: out of memory"
        except Exception as error:
            result = f"Error during execution: {str(error)}"
        result = result[: self.max_result]
        self.model_results.append(result)
        return result

    def run_truth(self, calls):
        results = []
        namespace = dict(self.truth.methods)
        for call in calls:
            try:
                name = call.split("(")[0]
                if "." in name:
                    name = name.split(".")[1]
                if name in FORBIDDEN:
                    raise Exception(f"Function call {name} is not allowed.")
                results.append(stringify(self.timed(lambda: eval(call, {}, namespace))))
            except Exception as error:
                results.append(f"Error during execution: {str(error)}")
        return results

    def turn(self, ground_truth, called):
        expected = self.run_truth(ground_truth)
        if not ground_truth:
            return {"kind": "passed"}
        if not called:
            return {"kind": "no_call", "detail": "the ground truth called %d function(s); the agent none" % len(ground_truth)}
        for name, truth in self.truth.instances.items():
            model = self.model.instances[name]
            for attribute in vars(truth):
                if attribute.startswith("_"):
                    continue
                if getattr(model, attribute) != getattr(truth, attribute):
                    return {
                        "kind": "state_mismatch", "field": f"{name}.{attribute}",
                        "detail": "agent: %s; ground truth: %s" % (
                            short(getattr(model, attribute)), short(getattr(truth, attribute))),
                    }
        remaining = list(self.model_results)
        for result in expected:
            try:
                remaining.remove(result)
            except ValueError:
                return {"kind": "missing_result", "detail": short(result)}
        return {"kind": "passed"}


def short(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def reply(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main():
    host = None
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except Exception:
            reply({"ok": False, "error": "not JSON"})
            continue
        op = request.get("op")
        try:
            if op == "start":
                host = Host(request)
                reply({"ok": True})
            elif op == "call":
                reply({"result": host.call(request.get("name", ""), request.get("arguments"))})
            elif op == "turn":
                reply(host.turn(request.get("ground_truth", []), bool(request.get("called"))))
            else:
                reply({"ok": False, "error": "unknown op %r" % op})
        except Exception as error:
            reply({"ok": False, "error": "%s: %s" % (type(error).__name__, error)})


if __name__ == "__main__":
    main()
