"""Rules are chosen and graded in mwgen.yaml; projects add their own; MindWeave's pack."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mwgen.cli import main
from tests.lint.rulekit import findings

ROOT = Path(__file__).resolve().parents[2]
POD = """apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000}
  containers:
    - name: c
      image: app:latest
      resources: {requests: {cpu: 1, memory: 1Mi}, limits: {cpu: 1, memory: 1Mi}}
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
"""


def lint(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--project", str(root), "lint", "--validator", "builtin", *args])


def test_warning_reports_but_passes_unless_strict(make_project) -> None:
    root = make_project({"output/k8s/prod/r1/pod.yaml": POD,
                         "mwgen.yaml": "lint: {rules: {image.pinned: warning}}\n"})
    result = lint(root)
    assert result.exit_code == 0, result.output
    assert "[image.pinned] warning: Pod/p: image 'app:latest' uses the latest tag" in result.output
    assert "(why: a tag must say exactly what runs" in result.output
    assert "1 finding: 0 errors, 1 warning" in result.output
    assert lint(root, "--strict").exit_code == 1


def test_error_by_default_and_off_silences(make_project) -> None:
    root = make_project({"output/k8s/prod/r1/pod.yaml": POD})
    assert lint(root).exit_code == 1
    (root / "mwgen.yaml").write_text("lint: {rules: {image.pinned: off}}\n")
    assert lint(root).exit_code == 0


def test_options_make_an_environment_exempt(make_project) -> None:
    root = make_project({"output/k8s/dev/r1/pod.yaml": POD,
                         "mwgen.yaml": "lint: {options: {image.pinned: {unpinned_allowed_in: [dev]}}}\n"})
    assert lint(root).exit_code == 0


def test_unknown_rule_or_option_is_a_located_error(make_project) -> None:
    root = make_project({"output/k8s/prod/r1/pod.yaml": POD,
                         "mwgen.yaml": "lint: {rules: {image.pined: warning}}\n"})
    result = lint(root)
    assert result.exit_code == 1
    assert "mwgen.yaml:1:16: lint.rules['image.pined']: unknown rule 'image.pined' (did you mean 'image.pinned'?)" \
        in result.output
    (root / "mwgen.yaml").write_text("lint: {options: {image.pinned: {dev: [x]}}}\n")
    assert "image.pinned has no option 'dev'" in lint(root).output
    assert "Traceback" not in result.output


def test_a_project_adds_rules_in_its_extension_file(make_project) -> None:
    ext = ("from mwgen.lint.rules import Finding, Rule\n"
           "def check(ctx):\n"
           "    for obj in ctx.objects:\n"
           "        if obj.namespace == ctx.options['banned']:\n"
           "            yield Finding('lives in the banned namespace', obj, ('metadata', 'namespace'))\n"
           "RULES = [Rule('acme.namespace', 'team namespaces only', check, options={'banned': 'default'})]\n")
    root = make_project({"output/k8s/dev/r1/pod.yaml": POD, "ext.py": ext,
                         "mwgen.yaml": "extensions: ext.py\nlint:\n  rules: {image.pinned: off}\n"
                                       "  options: {acme.namespace: {banned: ns}}\n"})
    result = lint(root)
    assert result.exit_code == 1
    assert "pod.yaml:3:32: metadata.namespace: [acme.namespace] error: Pod/p: lives in the banned namespace" \
        in result.output
    # ...and a waiver with a reason silences it like any built-in rule
    (root / "output/k8s/dev/r1/pod.yaml").write_text(POD.replace(
        "metadata: {name: p, namespace: ns}",
        "metadata: {name: p, namespace: ns, annotations: {mwgen.io/waive: 'acme.namespace=legacy'}}"))
    assert lint(root).exit_code == 0


def test_mindweave_pack_eu_data_rule(make_project) -> None:
    region_config = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: region-config, namespace: mindweave-system}\n"
                     "data:\n  regions.yaml: |\n    regions:\n      - {name: eu-west-1, role: eu-data, "
                     "database: {primary: %s}}\n")
    root = make_project({"output/k8s/prod/r1/rc.yaml": region_config % "false",
                         "lint_rules/mindweave.py": (ROOT / "lint_rules/mindweave.py").read_text(),
                         "mwgen.yaml": "lint: {packs: [mindweave]}\n"})
    found = findings(root, ["mindweave.eu-data-own-primary"])
    assert [(r, m.split(" (why")[0]) for r, _p, m in found] == [
        ("mindweave.eu-data-own-primary",
         "error: ConfigMap/region-config: eu-data region 'eu-west-1' has no primary database of its own")]
    (root / "output/k8s/prod/r1/rc.yaml").write_text(region_config % "true")
    assert findings(root, ["mindweave.eu-data-own-primary"]) == []


def test_mwgen_names_no_mindweave_object() -> None:
    """Issue 19: the engine is generic; MindWeave's rules live in the project's pack."""
    for path in (ROOT / "mwgen").rglob("*.py"):
        text = path.read_text()
        for word in ("mindweave-system", "region-config", "MW-POL", 'DEV_ENVS'):
            assert word not in text, f"{path.relative_to(ROOT)} names {word}"


def test_a_missing_pack_is_a_located_error(make_project) -> None:
    root = make_project({"output/k8s/prod/r1/pod.yaml": POD, "mwgen.yaml": "lint: {packs: [acme]}\n"})
    result = lint(root)
    assert result.exit_code == 1
    assert "mwgen.yaml: lint.packs[0]: no rule pack lint_rules/acme.py in the project" in result.output


def test_list_rules_shows_the_projects_severities(make_project) -> None:
    root = make_project({"mwgen.yaml": "lint:\n  rules: {argocd.retry: warning}\n"
                                       "  options: {image.pinned: {unpinned_allowed_in: [dev]}}\n"})
    result = lint(root, "--list-rules")
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert lines["argocd.retry"].split()[1] == "warning"
    assert "unpinned_allowed_in=['dev']" in lines["image.pinned"]
    assert "(not waivable)" in lines["waiver.has-reason"]
    import json

    rows = json.loads(lint(root, "--list-rules", "--format", "json").output)
    assert {"id": "hpa.target", "severity": "error", "waivable": True, "options": {},
            "why": "an HPA whose target does not exist scales nothing"} in rows


def test_core_checks_are_graded_too(make_project) -> None:
    import json

    bad = (Path(__file__).parent / "cases/schema/bad/core-types.yaml").read_text()
    root = make_project({"output/k8s/prod/r1/bad.yaml": bad,
                         "mwgen.yaml": "lint: {rules: {k8s-schema: warning}}\n"})
    problems = json.loads(lint(root, "--format", "json").output)["problems"]
    assert {p["severity"] for p in problems if p["rule"] == "k8s-schema"} == {"warning"}
    (root / "mwgen.yaml").write_text("lint: {rules: {k8s-schema: 'off'}}\n")
    problems = json.loads(lint(root, "--format", "json").output)["problems"]
    assert problems and not [p for p in problems if p["rule"] == "k8s-schema"]
