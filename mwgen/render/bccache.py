"""Compiled templates kept between runs: Jinja's bytecode cache in mwgen's user cache.

Compiling the templates (and the macro files they import) was a tenth of a 50-service
render, and the same source always compiles to the same code. Jinja keys each entry
by template name and path and checks the source's checksum on load; the folder is
named after everything else that shapes the compiled code (Python, Jinja, mwgen's
render package, the format environment's filters and tests), so an upgrade or a new
project extension never runs stale code. Deleting the cache is always safe.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

_RENDER = Path(__file__).resolve().parent


def _code_digest() -> str:
    import jinja2

    h = hashlib.sha256(f"{sys.version}\0{jinja2.__version__}\0{jinja2.__file__}".encode())
    for path in sorted(_RENDER.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def attach_bytecode_cache(envs: dict[str, Environment]) -> None:
    """Give each environment a bytecode cache folder of its own (best effort: without
    a writable cache folder templates are compiled every run, as before)."""
    from jinja2 import FileSystemBytecodeCache

    from mwgen.cache import cache_dir

    code = _code_digest()
    for fmt, env in envs.items():
        names = "\0".join(sorted(env.filters)) + "\1" + "\0".join(sorted(env.tests))
        key = hashlib.sha256(f"{code}\0{fmt}\0{names}".encode()).hexdigest()[:32]
        folder = cache_dir("jinja", key)
        if folder is not None:
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))
