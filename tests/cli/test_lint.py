"""``mwgen lint`` through click: exit codes, summary, formats, target filter."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mwgen.cli import main
from tests.lint.conftest import CASES

GOOD = (CASES / "policy/good.yaml").read_text()
BAD = (CASES / "schema/bad/core-types.yaml").read_text()


def lint(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--project", str(root), "lint", "--validator", "builtin", *args])


def test_clean_output_exits_0_with_a_summary(make_project) -> None:
    root = make_project({"output/k8s/production/us-east-1/app.yaml": GOOD})
    result = lint(root)
    assert result.exit_code == 0, result.output
    assert "lint: 1 files, 6 Kubernetes documents, 0 dashboards, 0 findings (validator: builtin" in result.output


def test_a_finding_exits_1_one_line_each(make_project) -> None:
    root = make_project({"output/k8s/production/us-east-1/app.yaml": GOOD,
                         "output/k8s/staging/eu-west-1/bad.yaml": BAD})
    result = lint(root)
    assert result.exit_code == 1
    assert ("output/k8s/staging/eu-west-1/bad.yaml:14:13: spec.replicas: [k8s-schema] "
            "Deployment/ledger-api: '4' is not of type 'integer', 'null' (staging/eu-west-1)") in result.output
    assert "Traceback" not in result.output


def test_target_filter(make_project) -> None:
    root = make_project({"output/k8s/production/us-east-1/app.yaml": GOOD,
                         "output/k8s/staging/eu-west-1/bad.yaml": BAD})
    assert lint(root, "-t", "production/*").exit_code == 0
    assert lint(root, "-t", "staging/eu-west-1").exit_code == 1


def test_json_format(make_project) -> None:
    root = make_project({"output/k8s/staging/eu-west-1/bad.yaml": BAD})
    result = lint(root, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["summary"]["validator"] == "builtin"
    assert {"file", "line", "column", "path", "message", "targets", "rule"} <= set(data["problems"][0])


def test_template_from_the_manifest_is_named(make_project) -> None:
    manifest = {"version": 1, "files": {"k8s/staging/eu-west-1/bad.yaml": {
        "sha256": "0" * 64, "template": "templates/k8s/{env}/{region}/bad.yaml.j2",
        "scope": "target:staging/eu-west-1"}}}
    root = make_project({"output/k8s/staging/eu-west-1/bad.yaml": BAD,
                         "output/.mwgen-manifest.json": json.dumps(manifest)})
    assert "(from templates/k8s/{env}/{region}/bad.yaml.j2)" in lint(root).output


def test_usage_errors_exit_2_without_traceback(make_project, tmp_path: Path) -> None:
    root = make_project({})
    runner = CliRunner()
    missing = runner.invoke(main, ["--project", str(root), "lint", "--kubeconform", str(tmp_path / "no")])
    assert missing.exit_code == 2
    assert "no such executable" in missing.output
    version = lint(root, "--kubernetes-version", "banana")
    assert version.exit_code == 2 and "Traceback" not in version.output
    assert lint(root, "--validator", "nope").exit_code == 2


def test_skip_kind_option(make_project) -> None:
    cert = (CASES / "schema/good/unknown-crd.yaml").read_text()
    root = make_project({"output/k8s/production/us-east-1/cert.yaml": cert})
    assert lint(root, "--strict").exit_code == 1
    assert lint(root, "--strict", "--skip-kind", "Certificate").exit_code == 0


def test_only_known_environments_make_targets(make_project) -> None:
    from mwgen.lint.tree import OutputTree

    root = make_project({"values/environments/production.yaml": "{}\n",
                         "output/terraform/modules/eks/main.tf": 'a = 1\n',
                         "output/terraform/production/us-east-1/main.tf": 'a = 1\n'})
    targets = {f.rel: f.target for f in OutputTree.scan(root).files}
    assert targets == {"output/terraform/modules/eks/main.tf": "",
                       "output/terraform/production/us-east-1/main.tf": "production/us-east-1"}


def test_render_lint_hook_lints_the_rendered_targets(make_project) -> None:
    import click

    from mwgen.cli.lint import run_after_render

    class Project:
        def __init__(self, root: Path) -> None:
            self.root = root

        def targets(self) -> list[str]:
            return ["production/us-east-1", "staging/eu-west-1"]

    root = make_project({"output/k8s/production/us-east-1/app.yaml": GOOD,
                         "output/k8s/staging/eu-west-1/bad.yaml": BAD})
    with click.Context(click.Command("render")):
        assert run_after_render(click.get_current_context(), Project(root), ["production/us-east-1"]) == 0
        assert run_after_render(click.get_current_context(), Project(root),
                                ["production/us-east-1", "staging/eu-west-1"]) == 1


def test_options_reach_lint_output_unchanged(make_project, monkeypatch) -> None:
    """Thin: the command passes its options to mwgen.lint.lint_output and reports its result."""
    import mwgen.lint

    real, calls = mwgen.lint.lint_output, []

    def recording(root, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((root, kwargs))
        return real(root, **kwargs)

    monkeypatch.setattr(mwgen.lint, "lint_output", recording)
    root = make_project({"output/k8s/production/us-east-1/app.yaml": GOOD})
    result = lint(root, "-t", "production/*", "-t", "staging/x", "--kubernetes-version", "1.29",
                  "--skip-kind", "Certificate", "--skip-kind", "Issuer")
    assert result.exit_code == 0, result.output
    assert calls == [(root.resolve(), {"targets": ("production/*", "staging/x"),
                                       "kubernetes_version": "1.29", "validator": "builtin",
                                       "kubeconform": None,
                                       "skip_kinds": ("Certificate", "Issuer")})]
    assert "Kubernetes 1.29" in result.output
    calls.clear()
    assert lint(root).exit_code == 0
    assert calls[0][1]["targets"] is None  # no -t: the whole tree, shared files included


def test_strict_fails_on_warnings_in_text_and_json(make_project) -> None:
    cert = (CASES / "schema/good/unknown-crd.yaml").read_text()
    root = make_project({"output/k8s/production/us-east-1/cert.yaml": cert})
    relaxed = lint(root, "--format", "json")
    assert relaxed.exit_code == 0 and json.loads(relaxed.stdout)["ok"] is True
    strict = lint(root, "--strict", "--format", "json")
    assert strict.exit_code == 1 and json.loads(strict.stdout)["ok"] is False
    assert json.loads(strict.stdout)["problems"][0]["severity"] == "warning"
