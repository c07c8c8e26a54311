"""The kubeconform wrapper, against a stand-in that checks its arguments and answers
in kubeconform's real JSON format (tests/lint/fake_kubeconform)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mwgen.errors import UsageError
from mwgen.lint import lint_output
from mwgen.lint.kubeconform import KubeconformFailed

HERE = Path(__file__).parent
TARGET_DIR = "output/k8s/production/us-east-1"
BAD = (HERE / "cases/schema/bad/core-types.yaml").read_text()
GOOD = (HERE / "cases/schema/good/core.yaml").read_text()


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """kubeconform on PATH: the stand-in, run by this interpreter (the venv's in CI)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "kubeconform"
    body = (HERE / "fake_kubeconform").read_text().split("\n", 1)[1]
    exe.write_text(f"#!{sys.executable}\n{body}")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_KUBECONFORM_LOG", str(tmp_path / "calls.jsonl"))
    return exe


def calls(fake: Path) -> list[list[str]]:
    log = fake.parent.parent / "calls.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_auto_uses_kubeconform_when_on_path(make_project, fake: Path) -> None:
    root = make_project({f"{TARGET_DIR}/core.yaml": GOOD})
    result = lint_output(root, kubernetes_version="1.30")
    assert result.validator == "kubeconform"
    assert not [p for p in result.problems if p.rule == "k8s-schema"]
    (args,) = calls(fake)
    assert args[:7] == ["-output", "json", "-strict", "-summary", "-kubernetes-version", "1.30.0",
                        "-schema-location"]
    assert args[-1] == str(root / TARGET_DIR / "core.yaml")


def test_core_schemas_are_written_standalone_into_the_cache(make_project, fake: Path,
                                                            tmp_path: Path) -> None:
    root = make_project({f"{TARGET_DIR}/core.yaml": GOOD})
    lint_output(root)
    written = list((tmp_path / "xdg-cache" / "mwgen" / "kubeconform-schemas").rglob("*.json"))
    names = {p.name for p in written}
    assert {"deployment-apps-v1.json", "service-v1.json"} <= names
    schema = json.loads(next(p for p in written if p.name == "deployment-apps-v1.json").read_text())
    assert "io.k8s.api.apps.v1.DeploymentSpec" in schema["$defs"]
    assert "/api/_definitions.json" not in json.dumps(schema)


def test_builtin_validates_the_standalone_copy_like_the_bundle(make_project, fake: Path,
                                                               tmp_path: Path) -> None:
    """The bundled copy means the same thing: the built-in finds the same error with it."""
    import jsonschema
    import yaml

    root = make_project({f"{TARGET_DIR}/core.yaml": GOOD})
    lint_output(root)
    path = next((tmp_path / "xdg-cache").rglob("deployment-apps-v1.json"))
    validator = jsonschema.Draft202012Validator(json.loads(path.read_text()))
    deployment = list(yaml.safe_load_all(BAD))[1]
    messages = sorted(e.message for e in validator.iter_errors(deployment))
    assert messages == ["'4' is not of type 'integer', 'null'",
                        "Additional properties are not allowed ('imagePullPolicyy' was unexpected)"]


def test_invalid_resources_become_located_problems(make_project, fake: Path) -> None:
    root = make_project({f"{TARGET_DIR}/core-types.yaml": BAD})
    result = lint_output(root)
    (problem,) = [p for p in result.problems if p.rule == "k8s-schema"]
    assert problem.file == f"{TARGET_DIR}/core-types.yaml"
    assert (problem.line, problem.path) == (14, "spec.replicas")
    assert problem.message == "Deployment/ledger-api: expected integer or null, but got string"
    assert problem.targets == ("production/us-east-1",)


def test_missing_schema_is_one_warning_and_the_kind_is_skipped(make_project, fake: Path) -> None:
    """As with the built-in validator: mwgen reports a kind without schema once, as a
    warning; kubeconform is told to skip it instead of calling it an error."""
    cert = (HERE / "cases/schema/good/unknown-crd.yaml").read_text()
    root = make_project({f"{TARGET_DIR}/cert.yaml": cert, f"{TARGET_DIR}/core.yaml": GOOD})
    result = lint_output(root)
    (problem,) = [p for p in result.problems if p.rule.startswith("k8s")]
    assert (problem.rule, problem.severity) == ("k8s-no-schema", "warning")
    assert "no schema for cert-manager.io/v1 Certificate" in problem.message
    args = calls(fake)[-1]
    assert args[args.index("-skip") + 1] == "Certificate"
    result = lint_output(root, skip_kinds=["Certificate"])
    assert [p for p in result.problems if p.rule.startswith("k8s")] == []
    args = calls(fake)[-1]
    assert args[args.index("-skip") + 1] == "Certificate"


def test_crd_root_and_metadata_are_closed_after_kubeconform(make_project, fake: Path) -> None:
    typo = (HERE / "cases/schema/bad/argocd-application-typo.yaml").read_text()
    root = make_project({f"{TARGET_DIR}/app.yaml": typo})
    messages = [p.message for p in lint_output(root).problems if p.rule == "k8s-schema"]
    assert messages == ["Application/ledger-api: Additional properties are not allowed "
                        "('lables' was unexpected)"]


@pytest.mark.parametrize("mode, expected", [
    ("crash", "kubeconform failed: exit status 64: panic: runtime error"),
    ("garbage", "kubeconform failed: output is not kubeconform JSON: Summary: 1 resource"),
])
def test_a_broken_run_is_one_clear_error(make_project, fake: Path, monkeypatch: pytest.MonkeyPatch,
                                         mode: str, expected: str) -> None:
    monkeypatch.setenv("FAKE_KUBECONFORM_MODE", mode)
    root = make_project({f"{TARGET_DIR}/core.yaml": GOOD})
    with pytest.raises(KubeconformFailed) as info:
        lint_output(root)
    assert expected in info.value.message
    assert len(info.value.lines()) == 1


def test_a_hung_kubeconform_times_out(make_project, fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_KUBECONFORM_MODE", "hang")
    root = make_project({f"{TARGET_DIR}/core.yaml": GOOD})
    with pytest.raises(KubeconformFailed, match="no answer after 0.5 s"):
        lint_output(root, timeout=0.5)


def test_explicit_binary_must_exist(make_project, tmp_path: Path) -> None:
    root = make_project({})
    with pytest.raises(UsageError, match="--kubeconform .*: no such executable"):
        lint_output(root, kubeconform=str(tmp_path / "nope" / "kubeconform"))


def test_env_var_names_the_binary(make_project, fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("MWGEN_KUBECONFORM", str(fake))
    root = make_project({f"{TARGET_DIR}/core.yaml": GOOD})
    assert lint_output(root).validator == "kubeconform"


def test_validator_kubeconform_requires_it(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    root = make_project({})
    with pytest.raises(UsageError, match="kubeconform not found"):
        lint_output(root, validator="kubeconform")
    assert lint_output(root).validator == "builtin"
