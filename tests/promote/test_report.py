"""mwgen.promote.report: a plan as terminal text, a pull-request body in Markdown and
JSON; values first, then gates, then what the render changes; and ``mwgen history``."""

from __future__ import annotations

import json

from mwgen.diff.compare import compare_renders
from mwgen.errors import Problem
from mwgen.promote.gates import Gate
from mwgen.promote.history import Commit, Entry
from mwgen.promote.promotion import Change, Promotion
from mwgen.promote.report import (
    NOTHING,
    REPORTS,
    as_json,
    history_json,
    history_text,
    markdown,
    text,
)
from mwgen.render.engine import RenderedFile

ENV = "values/environments/staging.yaml"
SHA = "0123456789abcdef0123456789abcdef01234567"


def plan(*, forced: bool = False, diff: bool = False, approval: str | None = None
         ) -> Promotion:
    p = Promotion("promote", "staging", "dev", versions={"web": "v1.1.0"}, approval=approval)
    p.changes.append(Change("web", ("services", "web", "image", "tag"), "v1.0.0", "v1.1.0",
                            ENV, 14, 13, targets=("staging/us-east-1",)))
    p.changes.append(Change("web", ("services", "web", "port"), None, "v1.1.0", ENV, 20, 9,
                            created=True))
    p.gates.append(Gate("order", True, Problem(file=ENV, line=6, column=5,
                                               message="staging takes versions from dev")))
    if forced:
        p.gates.append(Gate("soak", False, Problem(file=ENV, line=7, column=5,
                                                   message="web v1.1.0 ran 1.0 h | 23.0 h left")))
        p.reason = "hotfix for INC-7"
    if diff:
        meta = ("templates/w.yaml.j2", "target:staging/us-east-1")
        p.diff = compare_renders({"w.yaml": RenderedFile("w.yaml", b"image: w:v1.0.0\n", *meta)},
                                 {"w.yaml": RenderedFile("w.yaml", b"image: w:v1.1.0\n", *meta)},
                                 old_label="a")
    return p


def test_text_lists_gates_then_values() -> None:
    assert text(plan()) == "\n".join([
        "promote web v1.1.0 from dev to staging",
        "gates:",
        f"  passed  order: staging takes versions from dev ({ENV}:6)",
        "values:",
        f"  services.web.image.tag: v1.0.0 -> v1.1.0  {ENV}:14:13",
        f"  services.web.port: None -> v1.1.0  {ENV}:20:9 (new key)"])


def test_text_of_a_forced_dry_run_with_approval_diff_and_commit() -> None:
    out = text(plan(forced=True, diff=True, approval="manual"), dry_run=True, commit=SHA)
    lines = out.splitlines()
    assert lines[0] == "promote web v1.1.0 from dev to staging (dry run: nothing written)"
    assert f"  FORCED  soak: web v1.1.0 ran 1.0 h | 23.0 h left ({ENV}:7)" in lines
    assert "  reason: hotfix for INC-7" in lines
    assert ("approval: staging takes promotions with a person's approval (review the pull "
            "request)") in lines
    output = lines[lines.index("output:"):]
    assert output[1] == "  changed output/w.yaml  [staging/us-east-1]"
    assert "  +image: w:v1.1.0" in output
    assert output[-2:] == ["  1 output file(s) change",
                           "committed 0123456789ab on branch promote-staging-v1.1.0"]
    assert not any("run: mwgen render" in line for line in output)  # diff's own summary dropped


def test_nothing_to_change_is_one_line() -> None:
    empty = Promotion("promote", "staging", "dev", versions={"web": "v1"})
    assert text(empty) == f"promote web v1 from dev to staging: nothing to change, {NOTHING}"
    assert markdown(empty) == ("## promote web v1 from dev to staging\n\nNothing to change: "
                               f"{NOTHING}.\n")


def test_rollback_and_switch_headlines() -> None:
    back = Promotion("rollback", "production", regions=("eu-west-1",), requested="v0.9.0")
    assert text(back).startswith("roll production/eu-west-1 back to v0.9.0: nothing to change")
    switch = Promotion("switch", "production", versions={"api": "green"})
    assert text(switch).startswith("switch production: api to green")


def test_markdown_is_a_pull_request_body() -> None:
    body = markdown(plan(forced=True, diff=True, approval="manual"), commit=SHA)
    assert body.startswith("## promote web v1.1.0 from dev to staging\n\n| gate | result | detail |")
    assert "| soak | **forced** | web v1.1.0 ran 1.0 h / 23.0 h left |" in body  # no broken table
    assert "**Forced**, reason: hotfix for INC-7" in body
    assert "**Manual approval**: staging takes promotions after a review." in body
    assert (f"| `services.web.image.tag` | `v1.0.0` | `v1.1.0` | `{ENV}:14:13` |") in body
    assert f"| `services.web.port` | `None` | `v1.1.0` | `{ENV}:20:9` (new key) |" in body
    assert "### rendered output" in body and "#### staging/us-east-1" in body
    assert "## mwgen diff" not in body and "run: mwgen render" not in body
    assert body.endswith("Commit `0123456789ab` on branch `promote-staging-v1.1.0`.\n")


def test_json_carries_everything() -> None:
    data = json.loads(as_json(plan(forced=True, diff=True), dry_run=True))
    assert data["kind"] == "promote" and data["dry_run"] is True and data["commit"] is None
    assert data["changes"][0] == {
        "service": "web", "path": "services.web.image.tag", "old": "v1.0.0", "new": "v1.1.0",
        "file": ENV, "line": 14, "column": 13, "created": False,
        "targets": ["staging/us-east-1"]}
    assert [(g["gate"], g["passed"], g["line"]) for g in data["gates"]] == [
        ("order", True, 6), ("soak", False, 7)]
    assert data["reason"] == "hotfix for INC-7" and data["branch"] == "promote-staging-v1.1.0"
    assert data["diff"]["files"][0]["path"] == "output/w.yaml"
    assert json.loads(as_json(plan(), commit=SHA))["commit"] == SHA
    assert json.loads(as_json(plan()))["diff"] is None


def test_reports_are_a_name_to_function_registry() -> None:
    assert REPORTS == {"text": text, "markdown": markdown, "json": as_json}


def test_history_as_text_and_json() -> None:
    commit = Commit(SHA, 1767225600, "feat: web v1.1.0")
    entries = [Entry(commit, "production", "web", "v1.1.0", ("eu-west-1", "us-east-1"), True),
               Entry(commit, "production", "api", "v2.0.0", ("eu-west-1",), False)]
    assert history_text(entries).splitlines() == [
        "2026-01-01 00:00 UTC  0123456789ab  web  v1.1.0  all regions  feat: web v1.1.0",
        "2026-01-01 00:00 UTC  0123456789ab  api  v2.0.0  eu-west-1  feat: web v1.1.0"]
    assert json.loads(history_json(entries))[1] == {
        "commit": SHA, "date": "2026-01-01 00:00 UTC", "env": "production", "service": "api",
        "version": "v2.0.0", "regions": ["eu-west-1"], "subject": "feat: web v1.1.0"}
    assert history_text([]) == "no version recorded in git history"
    assert history_json([]) == "[]"
