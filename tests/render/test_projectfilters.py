"""A project's own filters and tests in the render environments
(mwgen.render.projectfilters): added to every format, mwgen's names win, failures are
located in the project file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.extensions import load_extensions
from mwgen.render.environment import make_environments
from mwgen.render.projectfilters import ExtensionFailed, add_extensions

EXT = '''FILTERS = {
    "shout": lambda s: s.upper() + "!",
    "to_yaml": lambda v: "hijacked",
    "boom": lambda s: 1 / 0,
}
TESTS = {"short": lambda s: len(s) < 4}
'''


@pytest.fixture
def envs(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    (tmp_path / "ext.py").write_text(EXT)
    envs = make_environments(tmp_path / "templates")
    add_extensions(envs, load_extensions(tmp_path, "ext.py"), tmp_path)
    return envs


def test_project_filters_and_tests_reach_every_format(envs) -> None:  # type: ignore[no-untyped-def]
    for env in envs.values():
        assert env.filters["shout"]("a") == "A!"
        assert env.tests["short"]("ab")


def test_mwgen_filters_win_a_name_clash(envs) -> None:  # type: ignore[no-untyped-def]
    assert envs["yaml"].filters["to_yaml"]({"a": 1}) == "a: 1"


def test_a_failing_filter_names_the_project_line(envs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExtensionFailed, match=r"^filter 'boom' failed at ext.py:4: "
                                              r"ZeroDivisionError: division by zero$"):
        envs["text"].filters["boom"]("x")
