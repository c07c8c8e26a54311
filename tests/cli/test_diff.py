"""``mwgen diff`` against the committed output/ of the small fixture project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mwgen.diff import diff_output
from mwgen.diff.report import REPORTERS
from mwgen.project import load_project
from tests.diff.conftest import edit
from tests.helpers import mwgen

WEB = "k8s/prod/us-east-1/services/web/deployment.yaml"


def diff_json(root: Path, *args: str) -> tuple[int, dict]:
    res = mwgen("--project", str(root), "diff", "--format", "json", *args)
    return res.exit_code, json.loads(res.stdout)


def test_up_to_date_tree_exits_0_and_says_so(minimal: Path) -> None:
    res = mwgen("--project", str(minimal), "diff")
    assert (res.exit_code, res.stdout.strip()) == (
        0, "no difference between the render and output/ (11 file(s) compared)")
    assert mwgen("--project", str(minimal), "diff", "--quiet").stdout == ""


def test_text_report_names_files_documents_and_the_fix(minimal: Path) -> None:
    edit(minimal / "values/environments/prod.yaml", "replicas: 3", "replicas: 5")
    res = mwgen("--project", str(minimal), "diff")
    assert res.exit_code == 1
    out = res.stdout
    assert f"changed output/{WEB}  [prod/us-east-1]" in out
    assert "  Deployment shop-prod/web: spec.replicas: 3 -> 5" in out
    assert f"--- a/output/{WEB}\n+++ b/output/{WEB}" in out
    assert out.rstrip().endswith("2 file(s) differ between the render and output/: "
                                 "0 added, 2 changed, 0 removed; run: mwgen render")
    assert "\x1b[" not in out  # never coloured when piped


def test_colour_only_when_asked_for_a_terminal(minimal: Path) -> None:
    edit(minimal / "values/environments/prod.yaml", "replicas: 3", "replicas: 5")
    result = diff_output(load_project(minimal, search=False))
    assert "\x1b[" in REPORTERS["text"](color=True).report(result)
    assert "\x1b[" not in REPORTERS["text"](color=False).report(result)


def test_added_and_removed_files(minimal: Path) -> None:
    edit(minimal / "values/defaults.yaml", "  worker:\n", "  queue:\n")
    (minimal / "values/targets/prod/eu-west-1.yaml").unlink()  # it tuned the worker
    code, report = diff_json(minimal)
    assert code == 1
    status = {f["path"]: f["status"] for f in report["files"]}
    assert status["output/k8s/dev/us-east-1/services/queue/deployment.yaml"] == "added"
    assert status["output/k8s/dev/us-east-1/services/worker/deployment.yaml"] == "removed"
    assert status["output/grafana/services.json"] == "changed"
    assert report["summary"] == {"added": 3, "changed": 1, "removed": 3, "manifest": 0,
                                 "edited": 0}


def test_generated_file_edited_by_hand_is_named(minimal: Path) -> None:
    path = minimal / "output" / WEB
    path.write_text(path.read_text().replace("replicas: 3", "replicas: 9"))
    code, report = diff_json(minimal)
    assert code == 1
    [f] = report["files"]
    assert (f["path"], f["status"], f["edited"]) == (f"output/{WEB}", "changed", True)
    assert f["documents"][0]["changes"] == [
        {"path": "spec.replicas", "kind": "changed", "old": 9, "new": 3}]
    quiet = mwgen("--project", str(minimal), "diff", "--quiet").stdout.splitlines()
    assert quiet == [f"output/{WEB}: stale (changed: differs from what values and templates "
                     "give, edited by hand)", "run: mwgen render"]


def test_layout_only_hand_edit_is_told_apart(minimal: Path) -> None:
    path = minimal / "output" / WEB
    path.write_text(path.read_text().replace("  replicas: 3", "  replicas:    3"))
    code, report = diff_json(minimal)
    assert code == 1
    assert [(f["meaning"], f["documents"][0]["status"]) for f in report["files"]] == [
        ("format", "format")]


def test_deleted_output_file_is_added_back(minimal: Path) -> None:
    (minimal / "output" / WEB).unlink()
    res = mwgen("--project", str(minimal), "diff", "--quiet")
    assert res.exit_code == 1
    assert res.stdout.splitlines()[0] == f"output/{WEB}: stale (added: not rendered yet)"


def test_values_file_and_set_options_are_layered(minimal: Path, tmp_path: Path) -> None:
    code, report = diff_json(minimal, "--set", "services.web.replicas=7", "-t", "dev/*")
    assert code == 1
    [f] = report["files"]
    assert f["documents"][0]["changes"][0]["path"] == "spec.replicas"
    extra = tmp_path / "extra.yaml"
    extra.write_text("image_registry: mirror.example.com\n")
    code, report = diff_json(minimal, "-f", str(extra), "-t", "dev/us-east-1")
    assert code == 1 and len(report["files"]) == 2


def test_tf_changes_per_address(minimal: Path) -> None:
    edit(minimal / "values/regions/eu-west-1.yaml", "10.20.0.0/16", "10.30.0.0/16")
    code, report = diff_json(minimal)
    assert code == 1
    [f] = [f for f in report["files"] if f["path"].endswith("prod/main.tf")]
    assert f["group"] == "prod (environment)"
    assert [(d["document"], c["path"], c["old"], c["new"]) for d in f["documents"]
            for c in d["changes"]] == [("module.net_eu_west_1", "cidr", "10.20.0.0/16",
                                        "10.30.0.0/16")]


def test_invalid_values_exit_1_with_one_line(minimal: Path) -> None:
    edit(minimal / "values/environments/prod.yaml", "replicas: 3", "replicas: three")
    res = mwgen("--project", str(minimal), "diff")
    assert res.exit_code == 1
    assert res.stderr.startswith("values/environments/prod.yaml:")
    assert "Traceback" not in res.output


def test_unknown_target_exits_2(minimal: Path) -> None:
    res = mwgen("--project", str(minimal), "diff", "-t", "nope/*")
    assert res.exit_code == 2
    assert res.stderr.startswith("mwgen: no target matches 'nope/*'")


def test_manifest_entry_outside_output_is_refused(minimal: Path) -> None:
    manifest = minimal / "output" / ".mwgen-manifest.json"
    data = json.loads(manifest.read_text())
    data["files"]["../values/defaults.yaml"] = {"sha256": "0", "template": "t",
                                                "scope": "global"}
    manifest.write_text(json.dumps(data))
    res = mwgen("--project", str(minimal), "diff")
    assert res.exit_code == 1
    assert res.stderr == ("output/.mwgen-manifest.json:1: entry \"../values/defaults.yaml\": path "
                          "leaves the output folder; mwgen uses nothing from this manifest "
                          "(restore it from git, or run `mwgen render --rebuild-manifest`)\n")


def test_stale_manifest_is_reported(minimal: Path) -> None:
    manifest = minimal / "output" / ".mwgen-manifest.json"
    data = json.loads(manifest.read_text())
    data["files"][WEB]["template"] = "templates/old.yaml.j2"
    manifest.write_text(json.dumps(data))
    code, report = diff_json(minimal)
    assert code == 1
    assert [(f["path"], f["status"]) for f in report["files"]] == [(f"output/{WEB}",
                                                                     "manifest")]


def test_each_format_prints_the_librarys_report(minimal: Path) -> None:
    """Thin: the command prints what mwgen.diff's reporter makes of diff_output's result."""
    edit(minimal / "values/environments/prod.yaml", "replicas: 3", "replicas: 5")
    result = diff_output(load_project(minimal, search=False))
    for fmt in ("text", "markdown", "json"):
        res = mwgen("--project", str(minimal), "diff", "--format", fmt)
        assert res.exit_code == 1 and res.stderr == ""
        assert res.stdout == REPORTERS[fmt](color=False, quiet=False).report(result) + "\n"


def test_quick_answers_from_the_manifest_without_rendering(
        minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_render(*args: object, **kwargs: object) -> None:
        raise AssertionError("--quick rendered although no input changed")

    assert mwgen("--project", str(minimal), "render").exit_code == 0  # records the digests
    monkeypatch.setattr("mwgen.diff.diff_output", no_render)
    res = mwgen("--project", str(minimal), "diff", "--quick")
    assert (res.exit_code, res.stdout) == (0, (
        "no difference: no input changed since the last render and its files are intact "
        "(--quick; run without it for a full comparison)\n"))
    quiet = mwgen("--project", str(minimal), "diff", "--quick", "--quiet")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_against_a_ref_asks_diff_against_with_the_options(
        minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []
    real = diff_output(load_project(minimal, search=False))  # nothing differs

    def diff_against(project: object, ref: str, targets: tuple[str, ...], *, jobs: int) -> object:
        calls.append((ref, targets, jobs))
        return real

    monkeypatch.setattr("mwgen.diff.diff_against", diff_against)
    res = mwgen("--project", str(minimal), "diff", "--against", "main~2", "-t", "prod/*",
                "-j", "2", "--quick", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["ok"] is True
    assert calls == [("main~2", ("prod/*",), 2)]  # --quick does not apply to --against
