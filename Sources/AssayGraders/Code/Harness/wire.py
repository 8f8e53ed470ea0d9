"""The wire between the test runner and the candidate's process (Assay's code grader).

Values cross as a flat table of nodes (never a nested structure, so that a list nested
100,000 deep crosses without recursion); a node is a short JSON list whose children are node
indices. Only plain data crosses as data: None, bool, int, float, complex, str, bytes,
bytearray, list, tuple, dict, set, frozenset, Decimal, Fraction, range, date, time, datetime,
timedelta, timezone and ZoneInfo. Anything else (a function, a class, an instance, a
generator) crosses as a handle: the receiver holds a proxy, and what it does with the proxy
is asked of the owner. A subclass of a plain type crosses as its base type, so a custom
`__eq__` never reaches the other side. Identity is kept within a message (a container sent
twice arrives as one object) and across a call: a container of the request's arguments that
comes back in the reply ("A" nodes) is the requester's own object, and in-place changes to
the arguments are written back.

Large arguments (a container of 256 or more items, a string or bytes of 4 KiB or more) are
sent once and kept by the receiver; sent again, they cross as a reference ("K") while a quick
check (length and sampled items) says they did not change. `Cache.stale` tells afterwards
whether one changed in a way that check missed, so that the runner can run the tests again
without the cache.
"""

import binascii
import posix as os  # not `os`: its import (with _collections_abc) cost each case a millisecond or more
import select
import sys
import time

sys.set_int_max_str_digits(0)

MUTABLE = (list, dict, set, bytearray)
# Values JSON carries exactly (Python's json: int vs float vs bool kept, floats by repr,
# NaN and the infinities included): containers of only these cross as one node.
PLAIN = (type(None), bool, int, float, str)
PLAIN_INT = 10 ** 100
MAX_MESSAGE = 256 * 1024 * 1024
LARGE_ITEMS = 256
LARGE_BYTES = 4096



def _loaded(module, name):
    """`module.name` if the module has been imported, else None. datetime, Decimal, Fraction
    and ZoneInfo are imported only when a value of theirs crosses (each import cost the
    harness a millisecond or more per case): no such value exists before its module is."""
    value = getattr(sys.modules.get(module), name, None)
    return value if isinstance(value, type) else None


class _Scanning:
    """What the C scanner of Python's json reads of its decoder: json.loads's defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}.__getitem__
    memo = {}


def _codec():
    """json.dumps(separators=(",", ":")) and json.loads of compact text, from the json
    module's own C parts (`_json`) without the module, whose import (it compiles regular
    expressions) cost every case about 7 ms. Proven on a sample at import; where the C parts
    are missing or differ, the json module itself."""
    try:
        import _json

        scanner = _json.make_scanner(_Scanning())

        def dumps(value):
            # A fresh encoder each time, as json.dumps makes one: its record of the containers
            # being encoded (to refuse cycles) starts empty.
            encoder = _json.make_encoder({}, _unencodable, _json.encode_basestring_ascii, None, ":", ",", False, False, True)
            return "".join(encoder(value, 0))

        def loads(text):
            text = text.strip(" \t\n\r")
            try:
                value, end = scanner(text, 0)
            except StopIteration as stop:
                raise ValueError("not JSON (at %s)" % (stop.value,)) from None
            if end != len(text):
                raise ValueError("extra data after the JSON value")
            return value

        sample = {"a": [1, -2.5, 1e300, float("inf"), None, True, False, "\u00e9\ud800\"\n", 10 ** 30], "": {}}
        text = dumps(sample)
        if text != '{"a":[1,-2.5,1e+300,Infinity,null,true,false,"\\u00e9\\ud800\\"\\n",1000000000000000000000000000000],"":{}}':
            raise ValueError(text)
        if loads(text) != sample or loads("NaN") == loads("NaN"):
            raise ValueError(text)
        return dumps, loads
    except Exception:  # noqa: BLE001 (any doubt: the module)
        import json

        return (lambda value: json.dumps(value, separators=(",", ":"))), json.loads


def _unencodable(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


dumps, loads = _codec()


def _b64encode(data):
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def _b64decode(text):
    return binascii.a2b_base64(text)


class OutOfTime(BaseException):
    """The other side used up its time. A BaseException, so that no `except Exception` in the
    tests can swallow it."""


class Handle:
    """An object of the other process, known by its number there."""

    __slots__ = ()


def _type_name(obj):
    kind = type(obj)
    return "%s.%s" % (getattr(kind, "__module__", "?"), getattr(kind, "__qualname__", "?"))


def _large(obj):
    if isinstance(obj, (str, bytes)):
        return len(obj) >= LARGE_BYTES
    if isinstance(obj, (list, tuple, dict, set, frozenset)):
        return len(obj) >= LARGE_ITEMS
    return False


class Cache:
    """The sender's record of the large values the receiver keeps."""

    def __init__(self):
        self.entries = {}  # id -> [value, slot, picture, reused]
        self.slots = 0

    def reference(self, obj):
        entry = self.entries.get(id(obj))
        if entry is None or entry[0] is not obj or not _unchanged(obj, entry[2]):
            return None
        entry[3] = True
        return entry[1]

    def store(self, obj):
        slot = self.slots
        self.slots += 1
        self.entries[id(obj)] = [obj, slot, _picture(obj), False]
        return slot

    def refresh(self, obj):
        entry = self.entries.get(id(obj))
        if entry is not None and entry[0] is obj:
            entry[2] = _picture(obj)
            entry[3] = False

    def stale(self):
        """True when a value that crossed as a reference had changed by then, unseen."""
        return any(entry[3] and not _same(entry[2]) for entry in self.entries.values())


def _picture(root):
    """Every mutable container reachable from `root`, with a shallow copy of its contents."""
    pictures, seen, stack = [], set(), [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if type(obj) in (list, tuple, set, frozenset):
            if type(obj) is list:
                pictures.append((obj, list.copy(obj)))
            elif type(obj) is set:
                pictures.append((obj, set.copy(obj)))
            stack.extend(item for item in obj if type(item) in (list, tuple, dict, set, frozenset, bytearray))
        elif type(obj) is dict:
            pictures.append((obj, dict.copy(obj)))
            stack.extend(item for item in obj.values() if type(item) in (list, tuple, dict, set, frozenset, bytearray))
        elif type(obj) is bytearray:
            pictures.append((obj, bytes(obj)))
    return pictures


def _same(pictures):
    for obj, copy in pictures:
        if len(obj) != len(copy):
            return False
        if type(obj) is bytearray:
            if bytes(obj) != copy:
                return False
        elif type(obj) is list:
            if any(a is not b for a, b in zip(obj, copy)):
                return False
        elif type(obj) is dict:
            if obj.keys() != copy.keys() or any(obj[key] is not value for key, value in copy.items()):
                return False
        elif obj != copy:
            return False
    return True


def _unchanged(obj, pictures):
    """The quick check: the length, and for a list sixteen of its items, as when it was sent."""
    if not pictures or pictures[0][0] is not obj:
        return True  # immutable at the top (str, bytes, tuple, frozenset)
    copy = pictures[0][1]
    if len(obj) != len(copy):
        return False
    if type(obj) is list and copy:
        count = len(copy)
        for position in {0, count - 1, count // 2, count // 3, (2 * count) // 3} | {(index * 7919) % count for index in range(11)}:
            if obj[position] is not copy[position]:
                return False
    return True


def _plain(items):
    """True when every item is a scalar JSON carries exactly (and not a huge int or string)."""
    for item in items:
        kind = type(item)
        if kind is int:
            if not -PLAIN_INT < item < PLAIN_INT:
                return False
        elif kind is str:
            if len(item) >= LARGE_BYTES:
                return False
        elif kind not in PLAIN:
            return False
    return True


class Encoder:
    """Turns values into a node table. `exports` keeps what is sent as handles; `arguments`
    maps the ids of a request's argument containers to their node numbers (for "A" nodes);
    `cache`, when given, sends large values once."""

    def __init__(self, exports, arguments=None, cache=None):
        self.nodes = []
        self.memo = {}
        self.exports = exports
        self.arguments = arguments or {}
        self.cache = cache
        self.containers = []  # (node, container) of every container in the table
        self.stored = []  # (node, slot) for the receiver to keep
        self.stored_values = []
        self.alive = []  # what the memo refers to stays alive, so that no id is reused

    def encode_all(self, values):
        roots = [self._encode(value) for value in values]
        table = {"nodes": self.nodes, "roots": roots}
        if self.stored:
            table["keep"] = self.stored
        return table

    def _encode(self, value):
        root = self._node(value)
        if not isinstance(root, tuple):
            return root
        stack = [root]
        while stack:
            index, obj, kind = stack.pop()
            if kind == "d":
                children = []
                for key, item in dict.items(obj):
                    children.append(self._child(key, stack))
                    children.append(self._child(item, stack))
                self.nodes[index] = ["d", children]
            elif kind in ("l", "t", "S", "fs"):
                items = list.copy(obj) if kind == "l" else list(obj)
                self.nodes[index] = [kind, [self._child(item, stack) for item in items]]
            elif kind in ("dt", "time"):
                self.nodes[index][-2] = self._child(obj.tzinfo, stack)
            elif kind == "tz":
                self.nodes[index] = ["tz", self._child(obj.utcoffset(None), stack), obj.tzname(None)]
        return root[0]

    def _child(self, obj, stack):
        node = self._node(obj)
        if isinstance(node, tuple):
            stack.append(node)
            return node[0]
        return node

    def _add(self, node):
        self.nodes.append(node)
        return len(self.nodes) - 1

    def _node(self, obj):
        """The node number of `obj`, or (number, obj, kind) when its children are to come."""
        kind = type(obj)
        # Plain scalars: no identity to keep, nothing to look up.
        if kind is int:
            return self._add(["i", hex(obj)])
        if kind is str and len(obj) < LARGE_BYTES:
            return self._add(["s", obj])
        if obj is None:
            return self._add(["N"])
        if kind is bool:
            return self._add(["T" if obj else "F"])
        if kind is float:
            return self._add(["f", float.hex(obj)])
        key = id(obj)
        if key in self.memo:
            return self.memo[key]
        self.alive.append(obj)
        if key in self.arguments:
            index = self.memo[key] = self._add(["A", self.arguments[key]])
            return index
        large = self.cache is not None and _large(obj)
        if large:
            slot = self.cache.reference(obj)
            if slot is not None:
                index = self.memo[key] = self._add(["K", slot])
                if isinstance(obj, MUTABLE):
                    self.containers.append((index, obj))
                return index
        index, pending = self._new(obj)
        self.memo[key] = index
        if large:
            self.stored.append([index, self.cache.store(obj)])
            self.stored_values.append(obj)
        if isinstance(obj, MUTABLE):
            self.containers.append((index, obj))
        return (index, obj, pending) if pending else index

    def _new(self, obj):
        kind = type(obj)
        if obj is None:
            return self._add(["N"]), None
        if kind is bool:
            return self._add(["T" if obj else "F"]), None
        if isinstance(obj, Handle):
            return self._add(obj._wire.reference(obj)), None
        if isinstance(obj, int):
            return self._add(["i", hex(int.__index__(obj))]), None
        if isinstance(obj, float):
            return self._add(["f", float.hex(float.__float__(obj))]), None
        if isinstance(obj, complex):
            return self._add(["c", float.hex(obj.real), float.hex(obj.imag)]), None
        if isinstance(obj, str):
            return self._add(["s", str.__str__(obj)]), None
        if isinstance(obj, bytes):
            return self._add(["b", _b64encode(bytes(obj))]), None
        if isinstance(obj, bytearray):
            return self._add(["ba", _b64encode(bytes(obj))]), None
        decimal_type = _loaded("decimal", "Decimal") or _loaded("_decimal", "Decimal")
        if decimal_type is not None and isinstance(obj, decimal_type):
            return self._add(["D", decimal_type.__str__(obj)]), None
        fraction_type = _loaded("fractions", "Fraction")
        if fraction_type is not None and isinstance(obj, fraction_type):
            return self._add(["Q", hex(obj.numerator), hex(obj.denominator)]), None
        if isinstance(obj, range):
            return self._add(["r", hex(obj.start), hex(obj.stop), hex(obj.step)]), None
        module = "datetime" if "datetime" in sys.modules else "_datetime"
        timedelta_type = _loaded(module, "timedelta")
        if timedelta_type is not None and isinstance(obj, timedelta_type):
            return self._add(["td", obj.days, obj.seconds, obj.microseconds]), None
        datetime_type = _loaded(module, "datetime")
        if datetime_type is not None and isinstance(obj, datetime_type):
            node = ["dt", obj.year, obj.month, obj.day, obj.hour, obj.minute, obj.second, obj.microsecond, None, obj.fold]
            return self._add(node), ("dt" if obj.tzinfo is not None else None)
        date_type = _loaded(module, "date")
        if date_type is not None and isinstance(obj, date_type):
            return self._add(["date", obj.year, obj.month, obj.day]), None
        time_type = _loaded(module, "time")
        if time_type is not None and isinstance(obj, time_type):
            node = ["time", obj.hour, obj.minute, obj.second, obj.microsecond, None, obj.fold]
            return self._add(node), ("time" if obj.tzinfo is not None else None)
        timezone_type = _loaded(module, "timezone")
        if timezone_type is not None and isinstance(obj, timezone_type):
            return self._add(None), "tz"
        zone_type = _loaded("zoneinfo", "ZoneInfo")
        if zone_type is not None and isinstance(obj, zone_type) and obj.key is not None:
            return self._add(["zi", obj.key]), None
        if isinstance(obj, list):
            items = list.copy(obj)
            return (self._add(["lj", items]), None) if _plain(items) else (self._add(None), "l")
        if isinstance(obj, tuple):
            return (self._add(["tj", list(obj)]), None) if _plain(obj) else (self._add(None), "t")
        if isinstance(obj, dict):
            if all(type(key) is str for key in obj) and _plain(obj.values()):
                return self._add(["dj", dict(dict.items(obj))]), None
            return self._add(None), "d"
        if isinstance(obj, set):
            return (self._add(["Sj", list(obj)]), None) if _plain(obj) else (self._add(None), "S")
        if isinstance(obj, frozenset):
            return (self._add(["fj", list(obj)]), None) if _plain(obj) else (self._add(None), "fs")
        return self._add(["o", self.exports.export(obj), _type_name(obj)]), None


class Decoder:
    """Builds values from a node table, iteratively. `arguments` maps node numbers of the
    request to the requester's own containers ("A" nodes); `kept` holds the large values the
    other side sent before ("K" nodes)."""

    def __init__(self, wire, arguments=None):
        self.wire = wire
        self.arguments = arguments or {}
        self.containers = []  # (node, container) decoded afresh from this table
        self.references = []  # (node, container) the other side sent before ("K")

    def decode_all(self, table):
        nodes = table["nodes"]
        if type(nodes) is not list:
            raise ValueError("a malformed table")
        values = [None] * len(nodes)
        done = [False] * len(nodes)
        composite = False
        for index, node in enumerate(nodes):
            if type(node) is not list or not node:
                raise ValueError("a malformed node")
            value, ready = self._leaf(index, node)
            if ready:
                values[index] = value
                done[index] = True
                if node[0] in ("l", "d", "S", "ba", "lj", "dj", "Sj"):
                    self.containers.append((index, value))
            else:
                composite = True
        if not composite and not self.containers:
            for index, slot in table.get("keep", ()):
                self.wire.kept[slot] = values[index]
            return [values[root] for root in table["roots"]]
        # Immutable composites, children first (iteratively: nesting may be deep).
        in_progress = set()
        for start in range(len(nodes)):
            if done[start]:
                continue
            stack = [(start, False)]
            while stack:
                index, expanded = stack.pop()
                if done[index]:
                    continue
                if expanded:
                    values[index] = self._composite(nodes[index], values)
                    done[index] = True
                    in_progress.discard(index)
                    continue
                if index in in_progress:
                    raise ValueError("a cycle through immutable values")
                in_progress.add(index)
                stack.append((index, True))
                for child in self._children(nodes[index]):
                    if not done[child]:
                        if child in in_progress:
                            raise ValueError("a cycle through immutable values")
                        stack.append((child, False))
        for index, node in enumerate(nodes):
            tag = node[0]
            if tag == "l":
                values[index].extend(values[child] for child in node[1])
            elif tag == "S":
                values[index].update(values[child] for child in node[1])
            elif tag == "d":
                children, target = node[1], values[index]
                for position in range(0, len(children) - 1, 2):
                    target[values[children[position]]] = values[children[position + 1]]
        for index, slot in table.get("keep", []):
            self.wire.kept[slot] = values[index]
        return [values[root] for root in table["roots"]]

    def _leaf(self, index, node):
        tag = node[0]
        if tag == "N":
            return None, True
        if tag == "T":
            return True, True
        if tag == "F":
            return False, True
        if tag == "i":
            return int(node[1], 16), True
        if tag == "f":
            return float.fromhex(node[1]), True
        if tag == "c":
            return complex(float.fromhex(node[1]), float.fromhex(node[2])), True
        if tag == "s":
            if type(node[1]) is not str:
                raise ValueError("a malformed string")
            return node[1], True
        if tag == "b":
            return _b64decode(node[1]), True
        if tag == "ba":
            return bytearray(_b64decode(node[1])), True
        if tag == "D":
            import decimal

            return decimal.Decimal(str(node[1])), True
        if tag == "Q":
            import fractions

            return fractions.Fraction(int(node[1], 16), int(node[2], 16)), True
        if tag == "r":
            return range(int(node[1], 16), int(node[2], 16), int(node[3], 16)), True
        if tag in ("td", "date", "dt", "time", "tz"):
            import datetime
        if tag == "td":
            return datetime.timedelta(days=node[1], seconds=node[2], microseconds=node[3]), True
        if tag == "date":
            return datetime.date(node[1], node[2], node[3]), True
        if tag == "dt" and node[8] is None:
            return datetime.datetime(*node[1:8], fold=node[9]), True
        if tag == "time" and node[5] is None:
            return datetime.time(*node[1:5], fold=node[6]), True
        if tag == "zi":
            try:
                from zoneinfo import ZoneInfo
            except ImportError:  # pragma: no cover
                raise ValueError("no time zone database here") from None
            return ZoneInfo(str(node[1])), True
        if tag == "l":
            return [], True
        if tag == "d":
            return {}, True
        if tag == "S":
            return set(), True
        if tag == "lj":
            return list(node[1]), True
        if tag == "tj":
            return tuple(node[1]), True
        if tag == "dj":
            if type(node[1]) is not dict:
                raise ValueError("a malformed dict")
            return dict(node[1]), True
        if tag == "Sj":
            return set(node[1]), True
        if tag == "fj":
            return frozenset(node[1]), True
        if tag == "A":
            return self.arguments[node[1]], True
        if tag == "K":
            value = self.wire.kept[node[1]]
            self.references.append((index, value))
            return value, True
        if tag in ("o", "y"):
            return self.wire.resolve(node), True
        if tag in ("t", "fs", "dt", "time", "tz"):
            return None, False
        raise ValueError("an unknown node %r" % (tag,))

    @staticmethod
    def _children(node):
        tag = node[0]
        if tag in ("t", "fs"):
            return node[1]
        if tag == "dt":
            return [node[8]]
        if tag == "time":
            return [node[5]]
        if tag == "tz":
            return [node[1]]
        return []

    @staticmethod
    def _composite(node, values):
        tag = node[0]
        if tag == "t":
            return tuple(values[child] for child in node[1])
        if tag == "fs":
            return frozenset(values[child] for child in node[1])
        import datetime

        if tag == "dt":
            return datetime.datetime(*node[1:8], tzinfo=values[node[8]], fold=node[9])
        if tag == "time":
            return datetime.time(*node[1:5], tzinfo=values[node[5]], fold=node[6])
        if tag == "tz":
            offset = values[node[1]]
            if offset == datetime.timedelta(0) and node[2] == "UTC":
                return datetime.timezone.utc
            return datetime.timezone(offset, node[2]) if node[2] is not None else datetime.timezone(offset)
        raise ValueError("an unknown node %r" % (tag,))


def _copy(container):
    if type(container) is list:
        return list.copy(container)
    if type(container) is dict:
        return dict.copy(container)
    if type(container) is set:
        return set.copy(container)
    return bytes(container)


def _changed(container, copy):
    # Item by item, identity first (in C): an item replaced by an equal one is no change.
    try:
        return container != copy
    except (RecursionError, TypeError, ValueError):
        return True


def _write_back(target, contents):
    if isinstance(target, dict):
        target.clear()
        target.update(contents)
    elif isinstance(target, set):
        target.clear()
        target.update(contents)
    else:
        target[:] = contents


class Channel:
    """Length-prefixed JSON messages over two file descriptors."""

    def __init__(self, read_fd, write_fd):
        self.read_fd = read_fd
        self.write_fd = write_fd
        # Seconds the other side may still take to answer, over all waits; None: no limit.
        self.budget = None
        self.buffer = bytearray()

    def send(self, message):
        data = dumps(message).encode("utf-8", "surrogatepass")
        view = memoryview(len(data).to_bytes(8, "big") + data)  # struct's ">Q", without its import
        while view:
            view = view[os.write(self.write_fd, view):]

    def receive(self):
        length = int.from_bytes(self._read(8), "big")
        if length > MAX_MESSAGE:
            raise ValueError("a message of %d bytes is too large" % length)
        message = loads(self._read(length).decode("utf-8", "surrogatepass"))
        if not isinstance(message, dict):
            raise ValueError("a message that is not an object")
        return message

    def _read(self, count):
        while len(self.buffer) < count:
            if self.budget is not None:
                started = time.monotonic()
                ready, _, _ = select.select([self.read_fd], [], [], max(0.0, self.budget))
                self.budget -= time.monotonic() - started
                if not ready:
                    raise OutOfTime()
            chunk = os.read(self.read_fd, max(count - len(self.buffer), 1 << 16))
            if not chunk:
                raise EOFError()
            self.buffer += chunk
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data


class Remote(Handle):
    """A proxy for an object of the other process: calls, attributes, iteration, length,
    indexing, membership, truth and text are asked of its owner. Comparison is identity: an
    `==` answered by the other side would hand it the value compared with."""

    __slots__ = ("_wire", "_number", "_kind")

    def __init__(self, wire, number, kind):
        object.__setattr__(self, "_wire", wire)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_kind", kind)

    def __call__(self, *args, **kwargs):
        return self._wire.request("call", (self,) + args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._wire.request("getattr", (self, name), {})

    def __setattr__(self, name, value):
        self._wire.request("setattr", (self, name, value), {})

    def __iter__(self):
        return self._wire.request("iter", (self,), {})

    def __next__(self):
        return self._wire.request("next", (self,), {})

    def __len__(self):
        return self._wire.request("len", (self,), {})

    def __getitem__(self, key):
        return self._wire.request("getitem", (self, key), {})

    def __contains__(self, item):
        return self._wire.request("contains", (self, item), {})

    def __bool__(self):
        return self._wire.request("bool", (self,), {})

    def __str__(self):
        return self._wire.request("str", (self,), {})

    def __repr__(self):
        return "<the candidate's %s object>" % (self._kind,)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __hash__(self):
        return id(self)


class Exports:
    """Our objects the other side holds handles to."""

    def __init__(self):
        self.objects = []
        self.numbers = {}

    def export(self, obj):
        number = self.numbers.get(id(obj))
        if number is None:
            number = self.numbers[id(obj)] = len(self.objects)
            self.objects.append(obj)
        return number


OPERATIONS = {
    "call": lambda target, *args, **kwargs: target(*args, **kwargs),
    "getattr": getattr,
    "setattr": setattr,
    "iter": iter,
    "next": next,
    "len": len,
    "getitem": lambda target, key: target[key],
    "contains": lambda target, item: item in target,
    "bool": bool,
    "str": str,
}


class Wire:
    """Requests and their replies in both directions, one at a time (nested when a call calls
    back). `operations` is what the other side may ask of our objects; `describe` turns an
    exception raised here into a reply; `rebuild` turns a reply's exception into one to raise
    here."""

    def __init__(self, channel, operations, describe, rebuild, cache=False):
        self.channel = channel
        self.operations = operations
        self.describe = describe
        self.rebuild = rebuild
        self.exports = Exports()
        self.proxies = {}
        self.kept = {}
        self.cache = Cache() if cache else None

    def reference(self, handle):
        if handle._wire is not self:
            raise TypeError("a proxy from another wire")
        return ["y", handle._number]

    def resolve(self, node):
        number = node[1]
        if type(number) is not int:
            raise ValueError("a malformed handle")
        if node[0] == "y":
            if not 0 <= number < len(self.exports.objects):
                raise ValueError("a handle that was never sent")
            return self.exports.objects[number]
        proxy = self.proxies.get(number)
        if proxy is None:
            proxy = self.proxies[number] = Remote(self, number, str(node[2])[:200])
        return proxy

    def request(self, operation, args, kwargs):
        encoder = Encoder(self.exports, cache=self.cache)
        table = encoder.encode_all([tuple(args), dict(kwargs)])
        containers = dict(encoder.containers)
        self.channel.send({"op": operation, "table": table})
        while True:
            message = self.channel.receive()
            if message.get("op") != "reply":
                self.serve(message)
                continue
            roots = Decoder(self, containers).decode_all(message["table"])
            written = message.get("writeback", [])
            for position, index in enumerate(written):
                _write_back(containers[index], roots[2 + position])
            if written and self.cache is not None:
                for value in encoder.stored_values:
                    self.cache.refresh(value)
            if "raise" in message:
                raise self.rebuild(message["raise"])
            return roots[0]

    def serve(self, message):
        operation = self.operations.get(message.get("op"))
        decoder = Decoder(self)
        pictures = []
        try:
            if operation is None:
                raise TypeError("%r may not be asked here" % (message.get("op"),))
            args, kwargs = decoder.decode_all(message["table"])
            pictures = [(index, container, _copy(container)) for index, container in decoder.containers]
            result, raised = operation(*args, **kwargs), None
        except BaseException as error:  # noqa: B036 (the requester decides what it means)
            result, raised = None, error
        changed = [(index, container) for index, container, copy in pictures if _changed(container, copy)]
        arguments = {id(container): index for index, container in decoder.containers + decoder.references}
        try:
            table = Encoder(self.exports, arguments).encode_all([result, None] + [_copy(c) for _, c in changed])
        except Exception as error:  # noqa: BLE001 (a value that cannot be sent: say so)
            raised, changed = error, []
            table = Encoder(self.exports).encode_all([None, None])
        reply = {"op": "reply", "table": table, "writeback": [index for index, _ in changed]}
        if raised is not None:
            reply["raise"] = self.describe(raised)
        self.channel.send(reply)
