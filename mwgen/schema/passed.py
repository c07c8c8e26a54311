"""Merged value sets that passed validation, remembered in the user cache.

The pre-commit hook and every render validate values that rarely change, and at 500
services validation is a serial ninth of a render (a ``-j`` render waits for it). A
value set that passed (schema check and secret scan: no problem at all) is
remembered in :mod:`mwgen.resultcache` under a key of everything the checks read:

- the data exactly as Python holds it (its pickle: ``1``, ``1.0``, ``True`` and
  ``"1"`` differ, as they do to a schema's ``type``; data that cannot be pickled is
  simply checked);
- every file in the schema's folder, by path and bytes (the root schema and anything
  a ``$ref`` or a ``$dynamicRef`` can reach), or that the project opted out;
- mwgen's checking code, and the installed ``jsonschema``, ``referencing`` and
  ``regex`` packages with the formats the format checker can check (optional
  packages add formats).

Locations are not in the key: a hit reports nothing, so it needs none. A problem is
never remembered: it is found, and located, on every run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mwgen import resultcache

if TYPE_CHECKING:
    from mwgen.schema import CompiledSchema

#: mwgen's code whose answer is remembered: the schema check and the secret scan.
_CODE = ("schema/", "secrets.py", "values.py")
#: What a remembered pass holds (its presence is the answer).
PASSED = "1"


def schema_digest(schema_file: Path | None) -> str:
    """Every file in the schema's folder, by relative path and bytes ("none": the
    project validates no schema). Read on each call, so a long-lived process sees
    an edit."""
    if schema_file is None:
        return "none"
    folder = schema_file.parent
    h = hashlib.sha256(schema_file.name.encode() + b"\0")
    for dirpath, dirnames, names in os.walk(folder):
        dirnames.sort()
        for name in sorted(names):
            path = Path(dirpath, name)
            try:
                data = path.read_bytes()
            except OSError:
                data = b"\0unreadable"
            h.update(path.relative_to(folder).as_posix().encode() + b"\0"
                     + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _engines(compiled: CompiledSchema | None) -> str:
    """The installed engines the checks run on, and the formats checked."""
    formats = ",".join(sorted(compiled.validator.format_checker.checkers)) \
        if compiled is not None and compiled.validator.format_checker is not None else ""
    return "\0".join([resultcache.package_stamp("jsonschema"),
                      resultcache.package_stamp("referencing"),
                      resultcache.package_stamp("regex"), formats])


def key_of_data(compiled: CompiledSchema | None, schema: str, data: Any) -> bytes | None:
    """The key under which ``data`` is remembered as passing, None if it has none."""
    try:
        text = pickle.dumps(data, protocol=5)
    except Exception:  # noqa: BLE001 - not picklable (or too deep): simply checked
        return None
    return resultcache.key_of(f"values passed\0{schema}\0{_engines(compiled)}", text, _CODE)


def known(key: bytes | None) -> bool:
    """Whether the value set of ``key`` passed before."""
    return key is not None and resultcache.store().get(key) == PASSED


def remember(key: bytes | None) -> None:
    """Remember that the value set of ``key`` passed."""
    if key is not None:
        resultcache.store().put(key, PASSED)
