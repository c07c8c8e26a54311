"""mwgen.diff.report: a DiffResult as text (plain, coloured, quiet), JSON and Markdown.
Built from in-memory results: the reporters only format, they never look at disk."""

from __future__ import annotations

import json

import pytest

from mwgen.diff.compare import ADDED, CHANGED, MANIFEST_STALE, REMOVED, DiffResult, FileDiff
from mwgen.diff.report import (
    MAX_MARKDOWN_DIFF_LINES,
    REPORTERS,
    JsonReporter,
    MarkdownReporter,
    Reporter,
    TextReporter,
    summary,
)
from mwgen.diff.semantic import Change, DocDiff

UNIFIED = "--- a/output/k8s/cm.yaml\n+++ b/output/k8s/cm.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"


def changed(**kw: object) -> FileDiff:
    f = FileDiff("k8s/cm.yaml", CHANGED, "target:prod/r1", "templates/cm.j2", b"a: 1\n", b"a: 2\n",
                 unified=UNIFIED, documents=[DocDiff("ConfigMap shop/c", CHANGED, [Change("data.a", "1", "2")])])
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def result(*files: FileDiff, against: str = "", output: str = "output") -> DiffResult:
    return DiffResult(files=list(files), compared=7, against=against, output=output)


MIXED = (changed(),
         FileDiff("k8s/new.yaml", ADDED, "env:prod", unified="--- /dev/null\n+++ b/output/k8s/new.yaml\n"),
         FileDiff("notes.txt", REMOVED, edited=True),
         FileDiff("k8s/fmt.yaml", CHANGED, "target:prod/r1", meaning="format",
                  documents=[DocDiff("file", "format")]),
         FileDiff("k8s/x.yaml", MANIFEST_STALE, "target:prod/r2", note="output/.mwgen-manifest.json does not "
                                                                      "record this file as rendered"))


# -- the summary line ---------------------------------------------------------------------
def test_summary_of_no_difference() -> None:
    assert summary(result()) == "no difference between the render and output/ (7 file(s) compared)"
    assert summary(result(against="main")) == ("no difference between main and the working tree "
                                                "(7 file(s) compared)")


def test_summary_counts_every_kind_of_difference_and_says_how_to_fix() -> None:
    assert summary(result(*MIXED, output="gitops")) == (
        "5 file(s) differ between the render and gitops/: 1 added, 2 changed, 1 removed, "
        "1 manifest entr(ies) out of date, 1 edited by hand (1 of them in key order or "
        "formatting only); run: mwgen render")
    assert summary(result(changed(), against="v1.2")) == (
        "1 file(s) differ between v1.2 and the working tree: 0 added, 1 changed, 0 removed")


# -- text ------------------------------------------------------------------------------------
def test_text_names_each_file_its_group_documents_and_diff_then_the_summary() -> None:
    text = TextReporter().report(result(*MIXED))
    lines = text.splitlines()
    assert lines[:9] == [
        "changed output/k8s/cm.yaml  [prod/r1]",
        '  ConfigMap shop/c: data.a: "1" -> "2"',
        *UNIFIED.splitlines(),
        "changed output/k8s/fmt.yaml  [prod/r1, formatting only: same meaning]",
        "  file: formatting only (same meaning)"]
    assert "added output/k8s/new.yaml  [prod (environment)]" in lines
    assert "removed output/notes.txt  [global, edited by hand since the last render]" in lines
    assert lines[lines.index("manifest output/k8s/x.yaml  [prod/r2]") + 1] == (
        "  output/.mwgen-manifest.json does not record this file as rendered")
    assert lines[-1] == summary(result(*MIXED))
    assert "\x1b[" not in text


def test_key_order_only_is_tagged() -> None:
    line = TextReporter().report(result(changed(meaning="order", documents=[]))).splitlines()[0]
    assert line == "changed output/k8s/cm.yaml  [prod/r1, key order only: same meaning]"


def test_colour_marks_headers_and_diff_lines_only_when_asked() -> None:
    text = TextReporter(color=True).report(result(changed()))
    assert "\x1b[1mchanged output/k8s/cm.yaml\x1b[0m  [prod/r1]" in text
    assert "\x1b[1m--- a/output/k8s/cm.yaml\x1b[0m" in text and "\x1b[1m+++ b/output/k8s/cm.yaml\x1b[0m" in text
    assert "\x1b[36m@@ -1 +1 @@\x1b[0m" in text
    assert "\x1b[31m-a: 1\x1b[0m" in text and "\x1b[32m+a: 2\x1b[0m" in text
    plain = TextReporter(color=True)
    assert plain.style("x") == "x" and plain.style("x", bold=True, fg="red") == "\x1b[1;31mx\x1b[0m"
    assert plain.colour_diff(" context\n\\ No newline at end of file") == [
        " context", "\\ No newline at end of file"]


def test_quiet_lists_stale_files_and_the_fix() -> None:
    quiet = TextReporter(quiet=True)
    assert quiet.report(result()) == ""
    assert quiet.report(result(*MIXED)).splitlines() == [
        "output/k8s/cm.yaml: stale (changed: differs from what values and templates give)",
        "output/k8s/fmt.yaml: stale (changed: differs from what values and templates give)",
        "output/k8s/new.yaml: stale (added: not rendered yet)",
        "output/k8s/x.yaml: stale (manifest: manifest out of date)",
        "output/notes.txt: stale (removed: no longer generated, edited by hand)",
        "run: mwgen render"]


def test_quiet_against_a_ref_lists_files_without_a_fix() -> None:
    """Two renders: nothing on disk is stale, so there is nothing to render."""
    assert TextReporter(quiet=True).report(result(*MIXED[:2], against="main")).splitlines() == [
        "output/k8s/cm.yaml: changed", "output/k8s/new.yaml: added"]


# -- JSON --------------------------------------------------------------------------------------
def test_json_is_the_results_own_json() -> None:
    r = result(*MIXED)
    data = json.loads(JsonReporter().report(r))
    assert data == json.loads(json.dumps(r.to_json()))
    assert data["files"][0]["documents"][0]["changes"] == [
        {"path": "data.a", "kind": "changed", "old": "1", "new": "2"}]


def test_json_keeps_non_ascii_text_readable() -> None:
    f = changed(note="café ☃")
    assert '"note": "café ☃"' in JsonReporter().report(result(f))


# -- Markdown ----------------------------------------------------------------------------------
def test_markdown_without_difference() -> None:
    assert MarkdownReporter().report(result()) == (
        "## mwgen diff: render → committed `output/`\n\nNo difference (7 file(s) compared).")
    assert MarkdownReporter().report(result(against="main")).startswith("## mwgen diff: `main` → working tree\n")


def test_markdown_has_a_table_per_group_then_sections() -> None:
    text = MarkdownReporter().report(result(*MIXED))
    assert text.endswith("\n") and not text.endswith("\n\n")
    lines = text.splitlines()
    start = lines.index("| target | added | changed | removed | documents changed |")
    assert lines[start + 1:start + 6] == [
        "| --- | ---: | ---: | ---: | ---: |",
        "| prod/r1 | 0 | 2 | 0 | 2 |", "| prod/r2 | 0 | 0 | 0 | 0 |",
        "| prod (environment) | 1 | 0 | 0 | 0 |", "| global | 0 | 0 | 1 | 0 |"]
    assert lines.index("### prod/r1") < lines.index("### prod/r2") < lines.index("### global")
    assert "- **changed** `output/k8s/cm.yaml`" in lines
    assert '  - `ConfigMap shop/c: data.a: "1" -> "2"`' in lines
    assert "- **removed** `output/notes.txt` (edited by hand since the last render)" in lines
    assert "- **changed** `output/k8s/fmt.yaml` (formatting only: same meaning)" in lines
    assert "  <details><summary>text diff</summary>" in lines and "  ```diff" in lines
    assert "  -a: 1" in lines and "  +a: 2" in lines


def test_markdown_cuts_a_long_text_diff() -> None:
    body = "".join(f"+line {i}\n" for i in range(MAX_MARKDOWN_DIFF_LINES + 50))
    text = MarkdownReporter().report(result(changed(unified=body)))
    assert f"  +line {MAX_MARKDOWN_DIFF_LINES - 1}" in text and f"  +line {MAX_MARKDOWN_DIFF_LINES}" not in text
    assert "  ... (50 more lines)" in text
    short = MarkdownReporter().report(result(changed()))
    assert "more lines" not in short


def test_markdown_code_spans_survive_backticks() -> None:
    f = changed(documents=[DocDiff("ConfigMap c", CHANGED, [Change("data.cmd", "a", "`rm`")])])
    assert '  - `` ConfigMap c: data.cmd: "a" -> "`rm`" ``' in MarkdownReporter().report(result(f)).splitlines()


# -- the table of reporters ------------------------------------------------------------------
def test_reporters_by_format_name() -> None:
    assert REPORTERS == {"text": TextReporter, "json": JsonReporter, "markdown": MarkdownReporter}
    assert all(issubclass(cls, Reporter) for cls in REPORTERS.values())
    for name, cls in REPORTERS.items():
        out = cls().report(result(*MIXED))
        assert isinstance(out, str) and out, name
    with pytest.raises(NotImplementedError):
        Reporter().report(result())


def test_reporters_are_deterministic() -> None:
    for cls in REPORTERS.values():
        assert cls().report(result(*MIXED)) == cls().report(result(*reversed(MIXED)))
