"""mwgen.yaml wired into the engine: schema path, Kubernetes version, extension
filters and tests in templates (errors located), the incremental digest, a project
without templates, and the hint for per-environment templates that reach for region
values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import mwgen


def _break_values(root: Path) -> None:
    (root / "values" / "regions" / "r1.yaml").write_text("region:\n  name: r1\nbogus: 1\n")


def test_schema_path_comes_from_config(mini_cwd: Path) -> None:
    _break_values(mini_cwd)
    assert mwgen("validate").exit_code == 1  # the default schemas/values.schema.json
    (mini_cwd / "schemas" / "values.schema.json").rename(mini_cwd / "schemas" / "app.schema.json")
    (mini_cwd / "mwgen.yaml").write_text("schema: schemas/app.schema.json\n")
    result = mwgen("validate")
    assert result.exit_code == 1
    assert "values/regions/r1.yaml:3:1: bogus: unknown key 'bogus'" in result.stderr


def test_schema_false_opts_out(mini_cwd: Path) -> None:
    _break_values(mini_cwd)
    (mini_cwd / "mwgen.yaml").write_text("schema: false\n")
    assert mwgen("validate").exit_code == 0


def test_kubernetes_version_from_config(mini_cwd: Path) -> None:
    from mwgen.lint import project_kubernetes_version

    assert project_kubernetes_version(mini_cwd) == "1.30"  # the default: mini sets none
    (mini_cwd / "mwgen.yaml").write_text("kubernetes_version: '1.29'\n")
    assert project_kubernetes_version(mini_cwd) == "1.29"


EXT = '''\
def shout(text):
    return str(text).upper() + "!"


def explode(text):
    return {}["missing-" + text]


def is_web(name):
    return name == "web"


FILTERS = {"shout": shout, "explode": explode, "to_yaml": shout}
TESTS = {"web": is_web}
'''


def _with_ext(root: Path, template: str) -> None:
    (root / "lib").mkdir()
    (root / "lib" / "ext.py").write_text(EXT)
    (root / "mwgen.yaml").write_text("extensions: lib/ext.py\n")
    (root / "templates" / "{env}" / "{region}" / "ext.yaml.j2").write_text(template)


def test_extension_filters_and_tests_reach_templates(mini_cwd: Path) -> None:
    _with_ext(mini_cwd, "name: {{ values.app.name | shout }}\n"
                    "web: {{ 'web' is web }}\n"
                    "clash: {{ 'x' | to_yaml }}\n")
    result = mwgen("render", "-t", "dev/r1")
    assert result.exit_code == 0, result.stderr
    text = (mini_cwd / "output" / "dev" / "r1" / "ext.yaml").read_text()
    assert "name: \"MINI!\"\n" in text and "web: true\n" in text
    assert "clash: x\n" in text  # mwgen's own to_yaml wins a name clash


def test_extension_filter_error_is_located_at_the_template_line(mini_cwd: Path) -> None:
    _with_ext(mini_cwd, "a: 1\nb: {{ values.app.name | explode }}\n")
    result = mwgen("render", "-t", "dev/r1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "templates/{env}/{region}/ext.yaml.j2:2: filter 'explode' failed at lib/ext.py:6: "
        "KeyError: 'missing-mini' (dev/r1)")
    assert "Traceback" not in result.stderr


def test_changing_the_extension_file_rerenders(mini_cwd: Path) -> None:
    _with_ext(mini_cwd, "name: {{ values.app.name | shout }}\n")
    assert mwgen("render").exit_code == 0
    out = mini_cwd / "output" / "dev" / "r1" / "ext.yaml"
    assert "MINI!" in out.read_text()
    (mini_cwd / "lib" / "ext.py").write_text(EXT.replace('+ "!"', '+ "?"'))
    result = mwgen("render")
    assert result.exit_code == 0, result.stderr
    assert "MINI?" in out.read_text()


def test_a_project_without_templates_says_so(mini_cwd: Path) -> None:
    import shutil

    shutil.rmtree(mini_cwd / "templates")
    (mini_cwd / "templates" / "_lib").mkdir(parents=True)
    (mini_cwd / "templates" / "_lib" / "m.j2").write_text("{% macro x() %}{% endmacro %}\n")
    result = mwgen("render")
    assert result.exit_code == 1
    assert result.stderr == ("templates/: no templates: nothing to render (a template is a "
                             "*.j2 file outside folders starting with '_')\n")
    assert not (mini_cwd / "output").exists()


@pytest.mark.parametrize("expression, message", [
    ("region", "'region' is undefined"),
    ("values.region.name", "'values' has no attribute 'region'"),
])
def test_per_environment_template_reaching_for_region_values_gets_a_hint(
        mini_cwd: Path, expression: str, message: str) -> None:
    (mini_cwd / "templates" / "{env}" / "where.yaml.j2").write_text(
        f"a: 1\nregion: {{{{ {expression} }}}}\n")
    # values.region is in defaults for mini; drop it so only region files set it
    defaults = mini_cwd / "values" / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("region:\n  name: \"\"\n", ""))
    result = mwgen("render")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"templates/{{env}}/where.yaml.j2:2: {message} (this template renders per environment; "
        "region values exist only in templates under {region}/, or through `targets`)"]


def test_no_hint_for_a_plain_typo(mini_cwd: Path) -> None:
    (mini_cwd / "templates" / "{env}" / "where.yaml.j2").write_text("a: {{ values.app.nmae }}\n")
    result = mwgen("render")
    assert result.exit_code == 1
    assert "renders per environment" not in result.stderr
    assert "did you mean 'name'?" in result.stderr


def test_validate_of_a_configured_schema_or_mwgen_yaml_checks_every_target(
        mini_cwd: Path) -> None:
    (mini_cwd / "app.schema.json").write_bytes(
        (mini_cwd / "schemas" / "values.schema.json").read_bytes())
    (mini_cwd / "mwgen.yaml").write_text("schema: app.schema.json\n")
    for changed in ("app.schema.json", "mwgen.yaml"):
        result = mwgen("validate", changed)
        assert result.exit_code == 0
        assert result.stdout == "3 target(s) checked, 0 problem(s)\n", changed


def test_extension_filters_keep_jinja_pass_context(mini_cwd: Path) -> None:
    (mini_cwd / "ext.py").write_text(
        "from jinja2 import pass_context\n\n"
        "@pass_context\n"
        "def where(ctx, prefix):\n"
        "    return prefix + ctx['target']\n\n"
        "FILTERS = {'where': where}\n")
    (mini_cwd / "mwgen.yaml").write_text("extensions: ext.py\n")
    (mini_cwd / "templates" / "{env}" / "{region}" / "w.yaml.j2").write_text(
        "at: {{ 'in ' | where }}\n")
    result = mwgen("render", "-t", "prod/r2")
    assert result.exit_code == 0, result.stderr
    assert 'at: "in prod/r2"\n' in (mini_cwd / "output" / "prod" / "r2" / "w.yaml").read_text()
