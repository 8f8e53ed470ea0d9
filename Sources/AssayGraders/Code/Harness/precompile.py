"""Compiles the harness's modules named on the command line (hash-checked .pyc files in their
__pycache__) and prints the interpreter's site-packages, one a line. Run once per interpreter
by CodeHarness.compiled(for:), as `python -I -S -c <this file's text> runner.py worker.py wire.py`."""

import py_compile, site, sys
for path in sys.argv[1:]:
    py_compile.compile(path, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
print("\n".join(site.getsitepackages()))
