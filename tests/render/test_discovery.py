"""mwgen.render.discovery: which files under templates/ render, in which scope their path
puts them, and where each one's output goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.errors import TemplateError
from mwgen.render.discovery import SCOPES, TemplateSpec, discover, scope_of


@pytest.mark.parametrize("name, scope", [
    ("summary.json.j2", "global"),
    ("argocd/root.yaml.j2", "global"),
    ("{env}/main.tf.j2", "env"),
    ("grafana/{env}-dash.json.j2", "env"),
    ("{env}/{region}/config.yaml.j2", "target"),
    ("k8s/{region}-{env}.yaml.j2", "target"),
    ("{env}/{region}/svc/{service}/deploy.yaml.j2", "service"),
    ("{env}/{region}/{service}.yaml.j2", "service"),
])
def test_the_path_decides_the_scope(name: str, scope: str) -> None:
    assert scope_of(name) == scope
    assert scope in SCOPES


@pytest.mark.parametrize("name, message", [
    ("{envs}/x.j2", "unknown placeholder {envs} in the path (known: {env}, {region}, {service})"),
    ("{a}/{b}/{env}.j2", "unknown placeholder {a}, {b} in the path"),
    ("{}/x.j2", "unknown placeholder {} in the path"),
    ("{env/x.j2", "unbalanced '{' or '}' in the path"),
    ("env}/x.j2", "unbalanced '{' or '}' in the path"),
    ("{region}/x.j2", "{region} needs {env} in the path"),
    ("{env}/{service}.j2", "{service} needs {env} and {region} in the path"),
    ("{region}/{service}.j2", "{service} needs {env} and {region} in the path"),
])
def test_a_bad_path_is_a_template_error_naming_the_file(name: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        scope_of(name)
    (line,) = caught.value.lines()
    assert line.startswith(f"templates/{name}: {message}")


def test_output_path_fills_placeholders_and_drops_j2() -> None:
    spec = TemplateSpec("k8s/{env}/{region}/{service}/{service}.yaml.j2", "service")
    assert spec.output_path("prod", "eu-1", "web") == "k8s/prod/eu-1/web/web.yaml"
    assert spec.display == "templates/k8s/{env}/{region}/{service}/{service}.yaml.j2"
    assert TemplateSpec("notes.j2.txt", "global").output_path() == "notes.j2.txt"
    assert TemplateSpec("a.j2.j2", "global").output_path() == "a.j2"


def make(root: Path, *names: str) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n")
    return root


def test_discover_finds_renderable_templates_sorted(tmp_path: Path) -> None:
    root = make(tmp_path / "templates", "z.yaml.j2", "a/{env}/b.tf.j2", "a/a.json.j2",
                "_lib/macros.j2", "a/_partials/p.j2", ".git/x.j2", "a/.hidden/h.j2",
                ".dot.j2", "readme.md", "a/plain.yaml")
    assert discover(root) == [TemplateSpec("a/a.json.j2", "global"),
                              TemplateSpec("a/{env}/b.tf.j2", "env"),
                              TemplateSpec("z.yaml.j2", "global")]


def test_discover_skips_a_folder_named_like_a_template(tmp_path: Path) -> None:
    root = make(tmp_path / "templates", "t.yaml.j2")
    (root / "dir.j2").mkdir()
    assert [s.name for s in discover(root)] == ["t.yaml.j2"]


def test_discover_of_no_folder_is_nothing(tmp_path: Path) -> None:
    assert discover(tmp_path / "absent") == []
    (tmp_path / "file").write_text("")
    assert discover(tmp_path / "file") == []


def test_discover_reports_the_first_bad_path(tmp_path: Path) -> None:
    root = make(tmp_path / "templates", "ok.j2", "{region}/bad.j2")
    with pytest.raises(TemplateError, match=r"^templates/\{region\}/bad.j2: \{region\} needs"):
        discover(root)
