"""mwgen.render.engine as a library: the plan (one job per scope instance, unsafe names
and colliding outputs refused), the context each scope sees, located template errors,
and ``render``'s skip, order and collapsing of one mistake seen in many outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mwgen.errors import InputError, MwgenError, TemplateError, ValidationFailed
from mwgen.project import Project, load_project
from mwgen.render.engine import Job, Renderer, render
from tests.render.project import make_project

TEMPLATES = {
    "all.txt.j2": "{{ targets | map(attribute='name') | join(',') }}\n",
    "{env}/env.txt.j2": "{{ env }}:{{ targets | map(attribute='region') | join(',') }}\n",
    "{env}/{region}/t.txt.j2": "{{ target }} {{ region }} {{ values.size }}\n",
    "{env}/{region}/{service}.txt.j2": "{{ service.name }}={{ service.port }} in {{ target }}\n",
    "_lib/skip.j2": "never rendered",
}


def project(root: Path, templates: dict[str, str] | None = None, *,
            values: dict[str, Any] | None = None, regions: tuple[str, ...] = ("r1", "r2"),
            envs: tuple[str, ...] = ("dev", "prod")) -> Project:
    """dev and prod, each in ``regions``; two services; ``templates``."""
    make_project(root, TEMPLATES if templates is None else templates,
                 values or {"size": 1, "services": {"api": {"port": 80}, "web": {"port": 8080}}})
    (root / "values" / "environments" / "dev.yaml").unlink()
    for env in envs:
        (root / "values" / "environments" / f"{env}.yaml").write_text(
            yaml.safe_dump({"environment": {"regions": list(regions)}}))
    for region in regions:
        (root / "values" / "regions" / f"{region}.yaml").write_text("{}\n")
    return load_project(root, search=False)


def texts(result: Any) -> dict[str, str]:
    return {path: f.content.decode() for path, f in result.files.items()}


def errors(excinfo: pytest.ExceptionInfo[MwgenError]) -> list[str]:
    return excinfo.value.lines()


def test_plan_has_one_job_per_scope_instance(tmp_path: Path) -> None:
    p = project(tmp_path)
    jobs, scopes = Renderer(p).plan(p.targets())
    assert [(j.output, j.scope) for j in jobs] == [
        ("all.txt", "global"),
        ("dev/env.txt", "env:dev"), ("prod/env.txt", "env:prod"),
        # templates in name order ("t" sorts before "{"), then targets in order
        ("dev/r1/t.txt", "target:dev/r1"), ("dev/r2/t.txt", "target:dev/r2"),
        ("prod/r1/t.txt", "target:prod/r1"), ("prod/r2/t.txt", "target:prod/r2"),
        ("dev/r1/api.txt", "target:dev/r1"), ("dev/r1/web.txt", "target:dev/r1"),
        ("dev/r2/api.txt", "target:dev/r2"), ("dev/r2/web.txt", "target:dev/r2"),
        ("prod/r1/api.txt", "target:prod/r1"), ("prod/r1/web.txt", "target:prod/r1"),
        ("prod/r2/api.txt", "target:prod/r2"), ("prod/r2/web.txt", "target:prod/r2")]
    assert scopes == {"global", "env:dev", "env:prod", "target:dev/r1", "target:dev/r2",
                      "target:prod/r1", "target:prod/r2"}


def test_plan_for_some_targets_owns_only_their_scopes(tmp_path: Path) -> None:
    p = project(tmp_path)
    jobs, scopes = Renderer(p).plan([t for t in p.targets() if t.env == "prod"][:1])
    assert scopes == {"global", "env:prod", "target:prod/r1"}
    assert {j.output for j in jobs} == {"all.txt", "prod/env.txt", "prod/r1/api.txt",
                                        "prod/r1/web.txt", "prod/r1/t.txt"}


def test_no_templates_is_an_input_error(tmp_path: Path) -> None:
    p = project(tmp_path, {"_lib/only.j2": "x"})
    with pytest.raises(InputError) as caught:
        Renderer(p).plan(p.targets())
    assert errors(caught) == ["templates/: no templates: nothing to render (a template is a "
                              "*.j2 file outside folders starting with '_')"]


def test_two_templates_writing_one_output_are_refused(tmp_path: Path) -> None:
    p = project(tmp_path, {"{env}/x.txt.j2": "a", "dev/x.txt.j2": "b"})
    with pytest.raises(TemplateError) as caught:
        Renderer(p).plan(p.targets())
    assert errors(caught) == ["templates/{env}/x.txt.j2: writes output/dev/x.txt, as "
                              "templates/dev/x.txt.j2 does"]


def test_a_region_name_unsafe_as_a_path_segment_is_located(tmp_path: Path) -> None:
    p = project(tmp_path, regions=("r 1",))
    with pytest.raises(InputError) as caught:
        Renderer(p).plan(p.targets())
    assert errors(caught) == ["values/regions/r 1.yaml: region name 'r 1' cannot be used as a "
                              "path segment (letters, digits, '.', '_', '-'; not starting with "
                              "'.')"]


def test_a_service_name_unsafe_as_a_path_segment_is_located_at_its_key(tmp_path: Path) -> None:
    p = project(tmp_path, values={"services": {"..": {"port": 1}}})
    with pytest.raises(InputError) as caught:
        Renderer(p).plan(p.targets())
    (line,) = errors(caught)
    assert line.startswith("values/defaults.yaml:2:3: services['..']: service name '..' cannot")


def test_each_scope_sees_its_context(tmp_path: Path) -> None:
    assert texts(render(project(tmp_path), validate=False)) == {
        "all.txt": "dev/r1,dev/r2,prod/r1,prod/r2\n",
        "dev/env.txt": "dev:r1,r2\n", "prod/env.txt": "prod:r1,r2\n",
        **{f"{e}/{r}/{s}.txt": f"{s}={port} in {e}/{r}\n"
           for e in ("dev", "prod") for r in ("r1", "r2")
           for s, port in (("api", 80), ("web", 8080))},
        **{f"{e}/{r}/t.txt": f"{e}/{r} {r} 1\n" for e in ("dev", "prod") for r in ("r1", "r2")},
    }


def test_the_context_of_a_job(tmp_path: Path) -> None:
    p = project(tmp_path)
    renderer = Renderer(p)
    jobs = {j.output: j for j in renderer.plan(p.targets())[0]}
    assert renderer.context(jobs["all.txt"])["template_path"] == "templates/all.txt.j2"
    env = renderer.context(jobs["prod/env.txt"])
    assert env["env"] == "prod" and "region" not in env
    assert [t.name for t in env["environments"]] == ["prod"]
    service = renderer.context(jobs["prod/r2/web.txt"])
    assert (service["region"], service["target"]) == ("r2", "prod/r2")
    assert service["service"]["name"] == "web" and service["service"]["port"] == 8080


def test_render_output_is_in_plan_order_with_template_and_scope(tmp_path: Path) -> None:
    p = project(tmp_path)
    result = render(p, validate=False)
    jobs = Renderer(p).plan(p.targets())[0]
    assert list(result.files) == [j.output for j in jobs]
    f = result.files["dev/r1/api.txt"]
    assert (f.template, f.scope) == ("templates/{env}/{region}/{service}.txt.j2", "target:dev/r1")


def test_skipped_scopes_are_neither_rendered_nor_owned(tmp_path: Path) -> None:
    p = project(tmp_path)
    result = render(p, validate=False, skip={"global", "target:dev/r1", "env:prod"})
    assert "global" not in result.scopes and "target:dev/r1" not in result.scopes
    assert not any(f.scope in ("global", "target:dev/r1", "env:prod")
                   for f in result.files.values())
    assert "dev/r2/t.txt" in result.files


def test_progress_is_called_before_each_job(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    render(project(tmp_path, {"a.txt.j2": "a", "b.txt.j2": "b"}), validate=False,
           progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 2), (1, 2)]


def test_validation_runs_first_and_stops_the_render(tmp_path: Path) -> None:
    p = project(tmp_path, {"a.txt.j2": "{{ 1 / 0 }}"})
    (tmp_path / "schemas" / "values.schema.json").write_text(
        '{"properties": {"size": {"type": "string"}}}')
    with pytest.raises(ValidationFailed):
        render(p)
    with pytest.raises(TemplateError):  # validate=False reaches the template
        render(load_project(tmp_path, search=False), validate=False)


def test_a_syntax_error_is_located_in_the_template(tmp_path: Path) -> None:
    p = project(tmp_path, {"a.txt.j2": "ok\n{% if %}\n"})
    with pytest.raises(TemplateError) as caught:
        render(p, validate=False)
    (line,) = errors(caught)
    assert line.startswith("templates/a.txt.j2:2: syntax error: ")


def test_a_runtime_error_in_a_macro_points_at_the_macro(tmp_path: Path) -> None:
    p = project(tmp_path, {"a.txt.j2": '{% import "_lib/m.j2" as m %}\n{{ m.boom() }}\n',
                           "_lib/m.j2": "{% macro boom() %}\n\n{{ 1 // 0 }}\n{% endmacro %}\n"})
    with pytest.raises(TemplateError) as caught:
        render(p, validate=False)
    assert errors(caught) == ["templates/_lib/m.j2:3: integer division or modulo by zero"]


def test_a_missing_include_is_named(tmp_path: Path) -> None:
    p = project(tmp_path, {"a.txt.j2": 'x\n{% include "_lib/nope.j2" %}\n'})
    with pytest.raises(TemplateError) as caught:
        render(p, validate=False)
    assert errors(caught) == ["templates/a.txt.j2:2: template not found: _lib/nope.j2"]


def test_one_mistake_in_many_outputs_is_one_line(tmp_path: Path) -> None:
    p = project(tmp_path, {"{env}/{region}/t.txt.j2": "{{ values.nope.deeper }}\n"})
    with pytest.raises(TemplateError) as caught:
        render(p, validate=False)
    (line,) = errors(caught)
    assert line.startswith("templates/{env}/{region}/t.txt.j2:1: ")
    assert line.endswith("(dev/r1, dev/r2, prod/r1, prod/r2)")


def test_invalid_output_names_the_output_file_and_collapses(tmp_path: Path) -> None:
    p = project(tmp_path, {"{env}/bad.yaml.j2": "a: [\n"})
    with pytest.raises(TemplateError) as caught:
        render(p, validate=False)
    (problem,) = caught.value.problems
    assert problem.file == "templates/{env}/bad.yaml.j2"
    assert problem.output == "output/dev/bad.yaml:2"
    assert problem.message.startswith("rendered YAML is invalid: ")
    assert problem.message.endswith("(and 1 more output(s))")


def test_an_env_template_reaching_for_region_values_is_told_why(tmp_path: Path) -> None:
    p = project(tmp_path, {"{env}/e.txt.j2": "{{ region }}\n"})
    with pytest.raises(TemplateError) as caught:
        render(p, validate=False)
    (line,) = errors(caught)
    assert "'region' is undefined (this template renders per environment; region values " \
           "exist only in templates under {region}/, or through `targets`)" in line
    # a key no target has either gets no hint: it is simply missing
    q = project(tmp_path / "q", {"{env}/e.txt.j2": "{{ values.nowhere.x }}\n"})
    with pytest.raises(TemplateError) as caught:
        render(q, validate=False)
    assert "renders per environment" not in errors(caught)[0]


def test_render_job_returns_canonical_bytes(tmp_path: Path) -> None:
    p = project(tmp_path, {"a.yaml.j2": "b: {c: 1}\n"})
    renderer = Renderer(p)
    (job,) = renderer.plan(p.targets())[0]
    assert isinstance(job, Job)
    rendered = renderer.render_job(job)
    assert rendered.content.decode().endswith("\nb:\n  c: 1\n")
    assert rendered.path == "a.yaml" and rendered.scope == "global"


def test_the_same_project_renders_the_same_bytes(tmp_path: Path) -> None:
    first = render(project(tmp_path / "a"), validate=False)
    second = render(project(tmp_path / "b"), validate=False)
    assert {k: v.content for k, v in first.files.items()} == {
        k: v.content for k, v in second.files.items()}
