"""The Jinja environments (mwgen.render.environment): one per format, the registry's
filters and no HTML ones, and undefined names that say what was there."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import UndefinedError

from mwgen.render import escaping
from mwgen.render.environment import Entry, as_tree, make_environments
from mwgen.render.filters import FILTERS, REFUSED


@pytest.fixture
def envs(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "t.j2").write_text("x")
    return make_environments(tmp_path)


def test_one_environment_per_format_sharing_one_loader(envs) -> None:  # type: ignore[no-untyped-def]
    assert set(envs) == set(escaping.FORMATS)
    assert len({id(e.loader) for e in envs.values()}) == 1
    for env in envs.values():
        assert set(FILTERS) <= set(env.filters)
        assert not set(REFUSED) & set(env.filters)
        assert env.keep_trailing_newline


def render(envs, source: str, **context: object) -> str:  # type: ignore[no-untyped-def]
    return envs["text"].from_string(source).render(**context)


def test_a_misspelt_key_names_its_path_and_the_close_key(envs) -> None:  # type: ignore[no-untyped-def]
    values = as_tree({"services": {"web": {"replicas": 2}}}, "")
    with pytest.raises(UndefinedError, match=r"^'services.web' has no attribute 'replica' "
                                             r"\(did you mean 'replicas'\?\)$"):
        render(envs, "{{ values.services.web.replica }}", values=values)


def test_a_misspelt_context_name_suggests_the_real_one(envs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UndefinedError, match=r"^'value' is undefined \(did you mean 'values'\?\)$"):
        render(envs, "{{ value.x }}", values={})


def test_trees_know_their_paths_through_lists() -> None:
    tree = as_tree({"a": [{"b": {"c": 1}}]}, "")
    assert tree["a"][0]["b"]._mwgen_path == "a[0].b"


def test_entry_attributes_are_not_dict_methods(envs) -> None:  # type: ignore[no-untyped-def]
    t = Entry(name="prod/eu", env="prod", region="eu", values={"k": 1})
    assert render(envs, "{{ t.name }} {{ t.values.k }} {{ t['region'] }}", t=t) == "prod/eu 1 eu"
