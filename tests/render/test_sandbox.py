"""Templates stay inside the project and inside bounds; bad templates are one line.

``mwgen diff --against BRANCH`` runs another branch's templates, so a template must not
reach Python internals, files outside ``templates/`` or unbounded work.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from mwgen.errors import MwgenError
from tests.helpers import mwgen
from tests.render.project import make_project, render_one


def error_line(tmp_path: Path, source: str, name: str = "t.txt.j2",
               values: dict[str, object] | None = None) -> str:
    with pytest.raises(MwgenError) as info:
        render_one(tmp_path, name, source, values or {"s": "x"})
    [problem] = info.value.problems
    return problem.format()


def test_python_internals_are_out_of_reach(tmp_path: Path) -> None:
    line = error_line(tmp_path, 'a\n{{ cycler.__init__.__globals__.os.popen("id").read() }}\n')
    assert line.startswith("templates/t.txt.j2:2: ") and "unsafe" in line


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ values.__class__ }}",
    "{{ namespace.__init__.__globals__['__builtins__'] }}",
])
def test_private_attributes_are_refused(tmp_path: Path, source: str) -> None:
    assert error_line(tmp_path, "a\n" + source).startswith("templates/t.txt.j2:2: ")


def test_an_include_through_a_symlink_out_of_templates_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not a template\n")
    root = make_project(tmp_path / "p", {"t.txt.j2": 'a\n{% include "_lib/leak.j2" %}\n'},
                        {"s": "x"})
    (root / "templates" / "_lib").mkdir()
    (root / "templates" / "_lib" / "leak.j2").symlink_to(outside / "secret.txt")
    result = mwgen("--project", str(root), "render")
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/t.txt.j2:2: template '_lib/leak.j2' resolves to "
                                    f"{outside / 'secret.txt'}, outside templates/")
    assert not (root / "output" / "t.txt").exists()


def test_an_include_through_a_symlink_inside_templates_is_fine(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"t.txt.j2": '{% include "_lib/alias.j2" %}',
                                   "_lib/real.j2": "included\n"}, {"s": "x"})
    (root / "templates" / "_lib" / "alias.j2").symlink_to(root / "templates" / "_lib" / "real.j2")
    assert mwgen("--project", str(root), "render").exit_code == 0
    assert (root / "output" / "t.txt").read_text() == "included\n"


@pytest.mark.parametrize("source, message", [
    ("{% for i in range(10**12) %}{% endfor %}", "range of more than 1,000,000 numbers"),
    ("{% for i in range(1000) %}{% for j in range(1001) %}{% endfor %}{% endfor %}",
     "more than 1,000,000 loop steps in one output file"),
    ("{% for i in range(2000) %}{% for c in values.s * 1000 %}{% endfor %}{% endfor %}",
     "more than 1,000,000 loop steps in one output file"),
    ("{% for i in ([1] * 1000) | map('string') %}{% for j in range(1000) %}{% endfor %}"
     "{% endfor %}{% for k in range(10) %}{% endfor %}", "loop steps"),
    ("{{ values.s * 10**9 }}", "'*' would repeat to more than 1,000,000 items"),
    ("{{ [values.s] * 10**9 }}", "'*' would repeat to more than 1,000,000 items"),
    ("{{ 10 ** (10 ** 10) }}", "'**' result larger than 4096 bits"),
])
def test_unbounded_work_is_a_located_error(tmp_path: Path, source: str, message: str) -> None:
    line = error_line(tmp_path, "a\n" + source)
    assert line.startswith("templates/t.txt.j2:2: ") and message in line


def test_the_loop_limit_is_per_output_file(tmp_path: Path) -> None:
    """900,000 steps in each of two files is fine: the count starts again per file."""
    loop = "{% for i in range(900) %}{% for j in range(1000) %}{% endfor %}{% endfor %}ok\n"
    root = make_project(tmp_path, {"a.txt.j2": loop, "b.txt.j2": loop}, {"s": "x"})
    assert mwgen("--project", str(root), "render").exit_code == 0


@pytest.mark.parametrize("source, name, expected", [
    ("v: {{ 1e308 * 10 }}\n", "t.yaml.j2", "v: .inf\n"),
    ("v: {{ 1e308 + 1e308 }}\n", "t.yaml.j2", "v: .inf\n"),  # folded at compile time
    ("v: {{ [1e400 - 1e400] }}\n", "t.yaml.j2", "v:\n  - .nan\n"),
])
def test_infinite_floats_render_in_yaml(tmp_path: Path, source: str, name: str,
                                        expected: str) -> None:
    assert render_one(tmp_path, name, source, {}).endswith(expected)


@pytest.mark.parametrize("source, name, message", [
    ('{"a":\n {{ 1e308 * 10 }}}', "t.json.j2", "JSON has no NaN or Infinity"),
    ('{"a": 1,\n "b": NaN}', "t.json.j2", "NaN is not JSON"),
    ('{"a": 1,\n "b": [-Infinity]}', "t.json.j2", "-Infinity is not JSON"),
    ('{"a": 1,\n "b": {{ {"x": 1e400} | to_json }}}', "t.json.j2", "JSON has no NaN"),
    ("locals {\n  a = {{ 1e308 * 10 }}\n}\n", "t.tf.j2", "HCL has no number inf"),
])
def test_not_finite_numbers_are_refused_where_the_format_has_none(
        tmp_path: Path, source: str, name: str, message: str) -> None:
    line = error_line(tmp_path, source, name)
    assert line.startswith(f"templates/{name}") and ":2" in line and message in line, line


def test_json_with_nan_in_a_string_is_fine(tmp_path: Path) -> None:
    assert '"NaN Infinity"' in render_one(tmp_path, "t.json.j2", '{"a": "NaN Infinity"}', {})


def test_a_set_value_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"t.txt.j2": "{{ values.s }}\n"}, {"s": "x"})
    proc = subprocess.run([sys.executable, "-m", "mwgen", "--project", str(root), "render",
                           "--set", b"s=caf\xe9"], capture_output=True)
    assert proc.returncode == 2
    assert proc.stderr.decode() == ("--set 's=caf\ufffd': not UTF-8 (byte 0xe9 at position 6);"
                                    " values must be UTF-8 text\n")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_running_out_of_memory_is_a_located_error(tmp_path: Path) -> None:
    """Each step stays inside the bounds; together they exhaust a 1 GiB process."""
    source = ("a\n{% set ns = namespace(items=[]) %}{% set big = values.s * 1000000 %}"
              "{% for i in range(3000) %}{% set ns.items = ns.items + [big ~ i] %}"
              "{% endfor %}{{ ns.items | length }}\n")
    root = make_project(tmp_path, {"t.txt.j2": source}, {"s": "x"})
    proc = subprocess.run([sys.executable, "-m", "mwgen", "--project", str(root), "render"],
                          capture_output=True, timeout=300, preexec_fn=_limit_memory,
                          env={**os.environ, "MWGEN_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]
    assert proc.stderr.decode().startswith("templates/t.txt.j2:2: out of memory")
