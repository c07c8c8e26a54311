"""``output/.mwgen-manifest.json``: which files mwgen generated, read as untrusted input.

The manifest is committed, so it arrives in pull requests. :meth:`Manifest.load`
checks every entry before anything uses it (a normalised relative path inside the
output folder, the right types, a sha256, a known scope kind) and names a bad entry
at its line. It holds only what is true of the tree on any machine: per file its
sha256, template and scope; no absolute path, mtime or input digest (those live in
the user cache, see :mod:`mwgen.incremental`).

Layout: one line per file, sorted by path, so that unrelated changes touch
different lines and git merges them. A manifest git could not merge (conflict
markers) gets an error naming the recovery command, ``mwgen render
--rebuild-manifest``, which :meth:`Manifest.salvage` supports: every entry line
that still parses, from either side of the conflict, counts as generated.

``pending`` exists only while a render writes (and after one was killed): the
entries of files being written, whose old *or* new bytes are mwgen's.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mwgen.errors import OutputError, Problem
from mwgen.safefs import DIRECTORY, check_output_dir, path_problem, read_nofollow

MANIFEST = ".mwgen-manifest.json"
MANIFEST_VERSION = 2
READABLE_VERSIONS = (1, 2)
REBUILD = "mwgen render --rebuild-manifest"

_SHA = re.compile(r"^[0-9a-f]{64}$")
_SCOPE = re.compile(r"^(global|env:[^/:\s]+|target:[^/:\s]+/[^/:\s]+)$")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})( |$)", re.M)
_KEY = re.compile(r'\s*("(?:[^"\\]|\\.)*")\s*:')
_ENTRY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*(\{.*\})\s*,?\s*$')

Entry = dict[str, str]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def located(file: str, line: int, message: str, column: int = 0) -> OutputError:
    """An OutputError at ``file:line:column``."""
    err = OutputError.many([Problem(file=file, line=line, column=column, message=message)])
    assert isinstance(err, OutputError)
    return err


def entry_problem(entry: object) -> str | None:
    """Why ``entry`` is not ``{"sha256": HEX, "template": STR, "scope": SCOPE}``."""
    if not isinstance(entry, dict):
        return "is not a mapping"
    sha, template, scope = entry.get("sha256"), entry.get("template"), entry.get("scope")
    if not isinstance(sha, str) or not _SHA.match(sha):
        return "sha256 is not a sha256 hex digest"
    if not isinstance(template, str):
        return "template is not a string"
    if not isinstance(scope, str) or not _SCOPE.match(scope):
        return "scope is not global, env:ENV or target:ENV/REGION"
    return None


@dataclass
class Manifest:
    """What mwgen generated into an output folder."""

    files: dict[str, Entry] = field(default_factory=dict)
    #: Files a render was writing when it stopped: their old or new bytes are mwgen's.
    pending: dict[str, Entry] = field(default_factory=dict)
    #: Entry path -> its line in the file read (for located errors).
    lines: dict[str, int] = field(default_factory=dict, repr=False)
    display: str = "output"

    # -- reading ----------------------------------------------------------------
    @classmethod
    def load(cls, output_dir: Path, display: str = "output") -> Manifest:
        """The manifest of ``output_dir`` (empty when there is none), every entry checked."""
        name = f"{display}/{MANIFEST}"
        text = _read_text(output_dir, display)
        if text is None:
            return cls(display=display)
        conflict = _CONFLICT.search(text)
        if conflict:
            line = text.count("\n", 0, conflict.start()) + 1
            raise located(name, line, f"git merge conflict markers; run `{REBUILD}` to "
                                      "rebuild it from a full render")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise located(name, err.lineno, f"unreadable manifest ({err.msg}); restore it "
                                            f"from git, or run `{REBUILD}`",
                          column=err.colno) from None
        if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
            raise OutputError(file=name, message="not a mwgen manifest of a version this "
                                                 f"mwgen reads; run `{REBUILD}`")
        lines = _entry_lines(text)
        out = cls(lines=lines, display=display)
        problems: list[Problem] = []
        for section in ("files", "pending"):
            table = data.get(section, {})
            if not isinstance(table, dict):
                problems.append(Problem(file=name, message=f"{section!r} is not a mapping"))
                continue
            for rel, entry in table.items():
                reason = path_problem(rel) or entry_problem(entry)
                if reason:
                    problems.append(Problem(file=name, line=_line_of(text, lines, rel),
                                            message=f"entry {json.dumps(rel)}: {reason}; "
                                                    "mwgen uses nothing from this manifest "
                                                    f"(restore it from git, or run `{REBUILD}`)"))
                    continue
                getattr(out, section)[rel] = {k: entry[k] for k in ("sha256", "template", "scope")}
        if problems:
            raise OutputError.many(problems)
        return out

    @classmethod
    def salvage(cls, output_dir: Path, display: str = "output") -> Manifest:
        """Every valid entry that can still be read, from either side of a conflict.

        For ``--rebuild-manifest``: a path listed on any side counts as generated, and
        each side's hash as bytes mwgen wrote. Bad lines are skipped, never used.
        """
        text = _read_text(output_dir, display) or ""
        found: list[tuple[str, Entry]] = []
        try:
            data = json.loads(text)
            tables = [data.get(s) for s in ("files", "pending")] if isinstance(data, dict) else []
            found = [(k, v) for t in tables if isinstance(t, dict) for k, v in t.items()]
        except json.JSONDecodeError:
            for line in text.splitlines():
                match = _ENTRY_LINE.match(line)
                if not match:
                    continue
                try:
                    found.append((json.loads(match.group(1)), json.loads(match.group(2))))
                except json.JSONDecodeError:
                    continue
        out = cls(display=display)
        for rel, entry in found:
            if path_problem(rel) or entry_problem(entry):
                continue
            clean = {k: entry[k] for k in ("sha256", "template", "scope")}
            if rel not in out.files:
                out.files[rel] = clean
            elif out.files[rel]["sha256"] != clean["sha256"]:
                out.pending[rel] = clean
        return out

    # -- questions ----------------------------------------------------------------
    def owns(self, rel: str) -> bool:
        return rel in self.files or rel in self.pending

    def owned(self) -> list[str]:
        return sorted(set(self.files) | set(self.pending))

    def entry(self, rel: str) -> Entry:
        return self.files.get(rel) or self.pending[rel]

    def generated(self, rel: str, digest: str) -> bool:
        """Whether bytes with ``digest`` at ``rel`` are bytes mwgen wrote there."""
        return any(table.get(rel, {}).get("sha256") == digest
                   for table in (self.files, self.pending))

    def matching(self, rel: str, data: bytes | None) -> Entry:
        """The entry of ``rel`` that describes ``data`` (else the recorded one)."""
        if data is not None and data != DIRECTORY and rel in self.pending:
            if self.pending[rel]["sha256"] == sha256(data):
                return self.pending[rel]
        return self.entry(rel)

    def line_of(self, rel: str) -> int:
        return self.lines.get(rel, 0)

    # -- writing ------------------------------------------------------------------
    def dump(self) -> bytes:
        """One line per file, sorted: unrelated changes touch different lines.

        Written as bytes row by row into one buffer whose bytes are returned without
        a copy: a list of rows, their join and its encoding would hold the manifest of
        a large tree (25 MB at 96,000 files) three times over."""
        out = io.BytesIO()
        out.write(f'{{\n"version": {MANIFEST_VERSION},\n"generator": "mwgen",\n'.encode())
        sections = [("files", self.files)] + ([("pending", self.pending)] if self.pending else [])
        for i, (name, table) in enumerate(sections):
            out.write(f'"{name}": {{\n'.encode())
            separator = b""
            for rel in sorted(table):
                out.write(separator)
                out.write(_row(rel, table[rel]).encode("ascii"))
                separator = b",\n"
            out.write(b"\n}" if table else b"}")
            out.write(b",\n" if i < len(sections) - 1 else b"\n")
        out.write(b"}\n")
        return out.getvalue()


#: What ``json.dumps`` writes for a str (ASCII only: other characters escaped).
_quote = json.encoder.encode_basestring_ascii


def _row(rel: str, entry: Entry) -> str:
    """``json.dumps(rel): json.dumps(entry)`` with the entry's keys in order, without a
    json.dumps call per row (a large render dumps tens of thousands, twice)."""
    sha, template, scope = entry["sha256"], entry["template"], entry["scope"]
    if not all(isinstance(v, str) for v in (rel, sha, template, scope)):  # never in practice
        ordered = {"sha256": sha, "template": template, "scope": scope}
        return f"{json.dumps(rel)}: {json.dumps(ordered)}"
    return (f'{_quote(rel)}: {{"sha256": {_quote(sha)}, "template": {_quote(template)}, '
            f'"scope": {_quote(scope)}}}')


def _read_text(output_dir: Path, display: str) -> str | None:
    name = f"{display}/{MANIFEST}"
    check_output_dir(output_dir, display)
    try:
        raw = read_nofollow(output_dir / MANIFEST)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise OutputError(file=name, message="is a symlink: mwgen never reads through "
                                                 "links") from None
        raise OutputError(file=name, message=f"cannot read: {err.strerror or err}") from None
    if raw is None:
        return None
    if raw == DIRECTORY:
        raise OutputError(file=name, message="is a folder, not mwgen's manifest")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise OutputError(file=name, message=f"unreadable manifest (not UTF-8); restore it "
                                             f"from git, or run `{REBUILD}`") from None


def _entry_lines(text: str) -> dict[str, int]:
    """Entry path -> line number: the line that starts with the path as a JSON key."""
    out: dict[str, int] = {}
    sections = {'"files": {', '"pending": {', '"inputs": {'}
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() in sections:
            sections.discard(line.strip())
            continue  # the first such line opens a section; later ones are entries
        match = _KEY.match(line)
        if match:
            try:
                key = json.loads(match.group(1))
            except json.JSONDecodeError:
                continue
            out.setdefault(key, number)
    return out


def _line_of(text: str, lines: dict[str, int], rel: object) -> int:
    """The line of entry ``rel``: where its line starts with it, else where it first
    appears as a key (a manifest written on one line)."""
    if isinstance(rel, str) and rel in lines:
        return lines[rel]
    at = text.find(json.dumps(rel) + ":") if isinstance(rel, str) else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def scope_table_digest(manifest: Manifest, scope: str) -> str:
    """A digest of the manifest's entries of ``scope``: what a render of it wrote."""
    h = hashlib.sha256()
    for rel in sorted(manifest.files):
        entry = manifest.files[rel]
        if entry["scope"] == scope:
            h.update(f"{rel}\0{entry['sha256']}\0{entry['template']}\n".encode())
    return h.hexdigest()


__all__ = ["Manifest", "MANIFEST", "REBUILD", "sha256", "scope_table_digest"]
