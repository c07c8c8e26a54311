"""``$ref`` resolution that never leaves the project.

jsonschema, given no registry, fetches any remote ``$ref`` with ``urlopen``: a
values schema from a pull request could make ``mwgen validate`` call out to the
network, trust what comes back, or hang on a host that never answers. mwgen resolves
a ``$ref`` only to a file inside the schema's own folder (``schemas/``):

- a ``#/...`` pointer into the same document;
- a relative reference (``common.json#/$defs/x``), resolved against the schema file;
- an absolute URI under the schema's own ``$id`` folder: the ``$id``
  ``https://example.org/s/values.schema.json`` maps ``https://example.org/s/common.json``
  to ``schemas/common.json``, so schemas written for publication still work offline.

Anything else (another host, ``file://`` outside the folder, a missing file, a path
through a symlink out of the folder) is refused before validation starts, located at
the ``$ref`` in the file that wrote it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from mwgen.errors import InputError

#: Keywords whose values are data, not subschemas: a "$ref" key inside them is a value.
DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "description", "title"})


class LocalRefs:
    """Maps ``$ref`` URIs of one root schema to files in its folder, and loads them."""

    def __init__(self, schema_file: Path, schema: Any, display: str) -> None:
        self.folder = schema_file.parent.resolve()
        self.file_uri = schema_file.resolve().as_uri()
        declared = schema.get("$id") if isinstance(schema, dict) else None
        self.base = declared if isinstance(declared, str) and declared else self.file_uri
        self.id_folder = urljoin(self.base, ".")
        self.display = display
        self.display_folder = display.rpartition("/")[0]
        self.documents: dict[Path, Any] = {}

    def local_file(self, uri: str) -> Path | None:
        """The file inside the schema folder that ``uri`` (absolute, no fragment) names."""
        if uri.startswith(self.id_folder):
            rel = unquote(uri[len(self.id_folder):])
        elif uri.startswith(urljoin(self.file_uri, ".")):
            rel = unquote(uri[len(urljoin(self.file_uri, ".")):])
        else:
            return None
        if not rel or rel.startswith("/") or ".." in Path(rel).parts:
            return None
        path = (self.folder / rel).resolve()
        try:
            path.relative_to(self.folder)
        except ValueError:  # a symlink out of the folder
            return None
        return path

    def load(self, path: Path) -> Any:
        """A local schema document, parsed once; errors located in that file."""
        if path not in self.documents:
            display = self._display(path)
            try:
                self.documents[path] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(file=display, message=f"cannot read schema: {err}") from None
            except json.JSONDecodeError as err:
                raise InputError(file=display, line=err.lineno, column=err.colno,
                                 message=f"invalid JSON: {err.msg}") from None
        return self.documents[path]

    def check_all(self, schema: Any, raw_text: str) -> None:
        """Refuse every ``$ref`` of the root schema, and of the local files it reaches,
        that does not resolve to a file in the folder."""
        pending: list[tuple[str, Any, str, str]] = [(self.base, schema, raw_text, self.display)]
        seen: set[str] = set()
        while pending:
            base, document, text, display = pending.pop()
            for ref in _refs(document):
                target, fragment = urldefrag(urljoin(base, ref))
                if not target or target == base:
                    if not _resolves(document, fragment):
                        line, col = _locate(text, ref)
                        raise InputError(file=display, line=line, column=col,
                                         message=f"$ref {ref!r} cannot be resolved")
                    continue
                if target in seen:
                    continue
                path = self.local_file(target)
                if path is None or not path.is_file():
                    line, col = _locate(text, ref)
                    why = ("names no file in the schema folder" if path is not None
                           else "is outside the schema folder (mwgen resolves $ref only to "
                                "files beside the schema and never fetches one)")
                    raise InputError(file=display, line=line, column=col,
                                     message=f"$ref {ref!r} {why}")
                seen.add(target)
                pending.append((target, self.load(path), path.read_text(encoding="utf-8"),
                                self._display(path)))

    def registry(self) -> Any:
        """A ``referencing.Registry`` that retrieves local files only."""
        from referencing import Registry, Resource
        from referencing.exceptions import NoSuchResource
        from referencing.jsonschema import DRAFT202012

        def retrieve(uri: str) -> Resource[Any]:
            path = self.local_file(uri)
            if path is None or not path.is_file():
                raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
            # A file without "$schema" is read as the root's dialect, 2020-12.
            return Resource.from_contents(self.load(path), default_specification=DRAFT202012)

        return Registry(retrieve=retrieve)  # type: ignore[call-arg]

    def _display(self, path: Path) -> str:
        rel = path.relative_to(self.folder).as_posix()
        return f"{self.display_folder}/{rel}" if self.display_folder else rel


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` string in a schema document, data keywords skipped."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for key, value in node.items():
            if key not in DATA_KEYWORDS:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolves(document: Any, fragment: str) -> bool:
    """Whether a JSON pointer (or an empty / anchor fragment) names something in ``document``."""
    if not fragment.startswith("/"):
        return True  # the document itself, or a named anchor that jsonschema resolves
    node = document
    for token in fragment[1:].split("/"):
        token = unquote(token).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _locate(text: str, ref: str) -> tuple[int, int]:
    """Line and column of ``"$ref": "<ref>"`` in the JSON text (0, 0 when not found)."""
    match = re.search(r'"\$ref"\s*:\s*' + re.escape(json.dumps(ref)), text)
    if match is None:
        return 0, 0
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1

