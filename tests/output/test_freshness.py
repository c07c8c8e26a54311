"""Issue 12, item 6: freshness must not lie.

Every template a render can reach (include, import, extends, macros) is an input of
each scope that reaches it, so ``mwgen render`` re-renders those scopes and ``mwgen
diff --quick`` agrees with the full ``mwgen diff`` whatever input file is edited.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FIXTURES, copy_project, mwgen

CONFIG = "templates/{env}/{region}/config.yaml.j2"


def run(root: Path, *args: str):
    return mwgen("--project", str(root), *args)


def with_shared_template(root: Path, how: str) -> Path:
    """mini, plus a *renderable* global template that each target's config reaches."""
    (root / "templates/shared").mkdir(parents=True, exist_ok=True)
    if how == "extends":
        (root / "templates/shared/base.yaml.j2").write_text(
            "team: platform\n{% block body %}{% endblock %}\n")
        (root / CONFIG).write_text(
            '{% extends "shared/base.yaml.j2" %}{% block body %}target: {{ target }}\n'
            "{% endblock %}")
        return root
    (root / "templates/shared/base.yaml.j2").write_text(
        "{% macro team() %}platform{% endmacro %}team: {{ team() }}\n")
    config = (root / CONFIG).read_text()
    if how == "include":
        line = '{% include "shared/base.yaml.j2" %}\n'
    elif how == "import":
        line = '{% import "shared/base.yaml.j2" as b %}owner: {{ b.team() }}\n'
    else:  # dynamic: a name Jinja cannot know before rendering
        line = '{% include values.app.part %}\n'
        defaults = root / "values/defaults.yaml"
        defaults.write_text(defaults.read_text().replace(
            "  note: plain\n", "  note: plain\n  part: shared/base.yaml.j2\n"))
        schema = root / "schemas/values.schema.json"
        data = json.loads(schema.read_text())
        data["properties"]["app"].setdefault("properties", {})["part"] = {"type": "string"}
        schema.write_text(json.dumps(data))
    (root / CONFIG).write_text(config + line)
    return root


@pytest.mark.parametrize("how", ["include", "import", "extends", "dynamic"])
def test_editing_a_reached_renderable_template_rerenders_its_users(tmp_path, how):
    root = with_shared_template(copy_project(FIXTURES / "mini", tmp_path / "p"), how)
    assert run(root, "render").exit_code == 0, run(root, "render").stderr
    assert "platform" in (root / "output/prod/r2/config.yaml").read_text()
    base = root / "templates/shared/base.yaml.j2"
    base.write_text(base.read_text().replace("platform", "data"))
    result = run(root, "render", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "prod/r2/config.yaml" in json.loads(result.stdout)["written"]
    assert "data" in (root / "output/prod/r2/config.yaml").read_text()
    assert run(root, "diff").exit_code == 0
    assert run(root, "diff", "--quick").exit_code == 0
    base.write_text(base.read_text().replace("data", "ops"))
    assert run(root, "diff", "--quick", "--quiet").exit_code == 1


def test_the_issue_sequence_render_then_quick(tmp_path):
    """Edit the included template, render once: before, the targets stayed "unchanged"
    forever while the full diff disagreed with --quick."""
    root = with_shared_template(copy_project(FIXTURES / "mini", tmp_path / "p"), "include")
    assert run(root, "render").exit_code == 0
    base = root / "templates/shared/base.yaml.j2"
    base.write_text(base.read_text().replace("platform", "data"))
    run(root, "render")
    assert run(root, "diff", "--quick").exit_code == run(root, "diff").exit_code == 0


# -- the property: --quick and the full diff agree on any edit -------------------------
EDITS = [
    ("templates/shared/base.yaml.j2", "platform", "data"),
    ("templates/shared/base.yaml.j2", "team:", "squad:"),
    ("templates/_lib/macros.j2", "managed-by: mwgen", "managed-by: other"),
    (CONFIG, "note:", "remark:"),
    ("templates/{env}/env.tf.j2", "note = ", "remark = "),
    ("templates/summary.json.j2", '"app"', '"application"'),
    ("templates/{env}/{region}/svc/{service}/deployment.yaml.j2", "replicas:", "minReadySeconds: 1\n  replicas:"),
    ("values/defaults.yaml", "note: plain", "note: fancy"),
    ("values/defaults.yaml", "name: mini", "name: maxi"),
    ("values/environments/prod.yaml", "replicas: 3", "replicas: 4"),
    ("values/environments/dev.yaml", "regions: [r1]", "regions: [r1]  # a comment"),
    ("values/regions/r2.yaml", "name: r2", "name: r2\napp:\n  note: r2-note"),
    ("values/targets/prod/r2.yaml", "replicas: 5", "replicas: 6"),
    ("values/environments/prod.yaml", "regions: [r1, r2]", "regions: [r1]"),
    ("output/prod/r1/config.yaml", "kind: ConfigMap", "kind: ConfigMap\nextra: 1"),
]


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    """Rendered under this test's cache, which every example then shares."""
    root = with_shared_template(copy_project(FIXTURES / "mini", tmp_path / "p"), "include")
    assert run(root, "render").exit_code == 0
    return root


indices = st.lists(st.sampled_from(range(len(EDITS))), max_size=3, unique=True)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(before=indices, render=st.booleans(), after=indices)
def test_quick_and_full_diff_agree(rendered, tmp_path_factory, before, render, after):
    """For random edits of input files (some, then maybe a render, then more),
    ``diff --quick`` and ``diff`` give the same answer."""
    root = Path(shutil.copytree(rendered, tmp_path_factory.mktemp("ex") / "p", symlinks=True))

    def apply(chosen: list[int]) -> None:
        for i in chosen:
            rel, old, new = EDITS[i]
            path = root / rel
            path.write_text(path.read_text().replace(old, new))

    apply(before)
    if render:
        run(root, "render")
    apply(after)
    quick = run(root, "diff", "--quick", "--quiet").exit_code
    full = run(root, "diff", "--quiet").exit_code
    assert quick == full, ([EDITS[i] for i in before], render, [EDITS[i] for i in after])
