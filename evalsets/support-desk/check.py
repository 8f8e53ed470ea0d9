#!/usr/bin/env python3
"""Validate the support-desk suite: replay every ground truth and check the function docs.

Usage: python3 evalsets/support-desk/check.py   (stdlib only; exits 1 on any problem)
"""

import copy
import importlib.util
import inspect
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {str: "string", int: "integer", float: "float", bool: "boolean", list: "array", dict: "dict"}
problems = []


def problem(msg):
    problems.append(msg)


def read_classes():
    """Parse `Name: {module: ..., functions: ...}` lines under grader.classes in suite.yaml."""
    classes = {}
    with open(os.path.join(HERE, "suite.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\s+(\w+):\s*\{\s*module:\s*([^,}\s]+)\s*,\s*functions:\s*([^,}\s]+)\s*\}", line)
            if m:
                classes[m.group(1)] = (m.group(2), m.group(3))
    return classes


def load_class(name, module_path):
    spec = importlib.util.spec_from_file_location("sd_" + name, os.path.join(HERE, module_path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return getattr(mod, name)


def public_methods(cls):
    return {n: m for n, m in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def public_state(obj):
    return copy.deepcopy({k: v for k, v in vars(obj).items() if not k.startswith("_")})


def check_docs(name, cls, doc_path):
    methods = public_methods(cls)
    docs = {}
    with open(os.path.join(HERE, doc_path), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if d["name"] in docs:
                problem(f"{doc_path}:{i}: {d['name']} documented twice")
            docs[d["name"]] = d
    if set(docs) != set(methods):
        problem(f"{doc_path}: docs {sorted(set(docs) - set(methods))} not methods, "
                f"methods {sorted(set(methods) - set(docs))} not documented")
    enums = {}
    for fname, fn in methods.items():
        d = docs.get(fname)
        if d is None:
            continue
        sig = inspect.signature(fn)
        params = [p for p in sig.parameters.values() if p.name != "self"]
        props = d["parameters"]["properties"]
        if d["parameters"].get("type") != "dict":
            problem(f"{fname}: parameters.type must be dict")
        if [p.name for p in params] != list(props):
            problem(f"{fname}: doc params {list(props)} != signature {[p.name for p in params]}")
        req = sorted(p.name for p in params if p.default is inspect.Parameter.empty)
        if sorted(d["parameters"].get("required", [])) != req:
            problem(f"{fname}: required {d['parameters'].get('required')} != {req}")
        for p in params:
            want = TYPES.get(p.annotation)
            got = props.get(p.name, {}).get("type")
            if want != got:
                problem(f"{fname}.{p.name}: doc type {got} != annotation {want}")
            if got == "array" and "items" not in props[p.name]:
                problem(f"{fname}.{p.name}: array without items")
            if "enum" in props.get(p.name, {}):
                enums[(fname, p.name)] = props[p.name]["enum"]
    return methods, enums


def main():
    classes = read_classes()
    if not classes:
        problem("suite.yaml: no classes found")
    loaded, all_enums = {}, {}
    for name, (module, functions) in classes.items():
        cls = load_class(name, module)
        _, enums = check_docs(name, cls, functions)
        loaded[name] = cls
        all_enums.update(enums)

    cases, ids, langs = [], set(), {}
    with open(os.path.join(HERE, "cases.jsonl"), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                cases.append((i, json.loads(line)))
    n_calls = 0
    for lineno, case in cases:
        cid = case.get("id")
        where = f"cases.jsonl:{lineno} ({cid})"
        if cid in ids:
            problem(f"{where}: duplicate id")
        ids.add(cid)
        tags = case.get("tags", [])
        lang = [t for t in tags if t.startswith("lang:")]
        if len(lang) != 1 or len(tags) < 2:
            problem(f"{where}: needs one lang: tag and a topic tag")
        else:
            langs[lang[0]] = langs.get(lang[0], 0) + 1
        inp, gt = case["input"], case["expected"]["ground_truth"]
        turns = inp["turns"]
        if not 2 <= len(turns) <= 4:
            problem(f"{where}: {len(turns)} turns (want 2-4)")
        if len(gt) != len(turns):
            problem(f"{where}: {len(gt)} ground-truth turns for {len(turns)} user turns")
        instances, namespace = {}, {}
        for cname in inp["classes"]:
            if cname not in loaded:
                problem(f"{where}: unknown class {cname}")
                continue
            obj = loaded[cname]()
            obj._load_scenario(copy.deepcopy(inp["initial_config"].get(cname, {})))
            instances[cname] = obj
            for mname in public_methods(loaded[cname]):
                namespace[mname] = getattr(obj, mname)
        if set(inp["initial_config"]) - set(inp["classes"]):
            problem(f"{where}: initial_config for classes not listed")
        seen_text = ""
        for t, (turn, calls) in enumerate(zip(turns, gt)):
            for msg in turn:
                if msg.get("role") != "user" or not msg.get("content"):
                    problem(f"{where}: turn {t}: every message must be a non-empty user message")
                seen_text += "\n" + msg.get("content", "")
            if not calls:
                problem(f"{where}: turn {t} has no ground-truth calls")
            for call in calls:
                n_calls += 1
                m = re.match(r"^(\w+)\((.*)\)$", call, re.S)
                if not m or m.group(1) not in namespace:
                    problem(f"{where}: turn {t}: bad call {call!r}")
                    continue
                try:
                    import ast
                    node = ast.parse(call, mode="eval").body
                    if node.args:
                        problem(f"{where}: {call}: positional arguments")
                    args = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                except Exception as e:  # noqa: BLE001
                    problem(f"{where}: {call}: cannot parse ({e})")
                    continue
                for k, v in args.items():
                    if (m.group(1), k) in all_enums:
                        if v not in all_enums[(m.group(1), k)]:
                            problem(f"{where}: {call}: {k}={v!r} not in enum")
                    elif isinstance(v, str) and v and v not in seen_text:
                        problem(f"{where}: turn {t}: {call}: {k}={v!r} appears neither in the messages nor in earlier results")
                    elif isinstance(v, float) and not any(s in seen_text for s in (repr(v), f"{v:.2f}", f"{v:g}")):
                        problem(f"{where}: turn {t}: {call}: amount {v} appears neither in the messages nor in earlier results")
                before = {c: public_state(o) for c, o in instances.items()}
                result = eval(call, {}, dict(namespace))
                after = {c: public_state(o) for c, o in instances.items()}
                if not isinstance(result, dict):
                    problem(f"{where}: {call} returned {type(result).__name__}, not dict")
                    continue
                if "error" in result and "expects-error" not in tags:
                    problem(f"{where}: turn {t}: {call} -> error: {result['error']}")
                if before == after and not (result and "error" not in result):
                    problem(f"{where}: turn {t}: {call} neither changed state nor returned data")
                seen_text += "\n" + json.dumps(result, ensure_ascii=False)
        # state must stay plain JSON-like data
        for c, o in instances.items():
            try:
                json.dumps(public_state(o))
            except TypeError as e:
                problem(f"{where}: {c} state not plain data: {e}")

    if len(cases) < 24:
        problem(f"only {len(cases)} cases (want at least 24)")
    for lang in ("lang:en", "lang:zh"):
        if not langs.get(lang):
            problem(f"no {lang} cases")
    for p in problems:
        print("PROBLEM:", p)
    summary = ", ".join(f"{k}={v}" for k, v in sorted(langs.items()))
    tools = sum(len(public_methods(c)) for c in loaded.values())
    status = "FAIL" if problems else "OK"
    print(f"support-desk check {status}: {len(cases)} cases ({summary}), {n_calls} ground-truth calls, "
          f"{len(loaded)} classes, {tools} tools, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
