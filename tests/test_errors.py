"""The error tree (mwgen.errors): every error is an MwgenError with its exit code and
one compiler-style line, and problems are data that merge across targets."""

from __future__ import annotations

import pytest

from mwgen.errors import (
    EXIT_INVALID,
    EXIT_USAGE,
    HCLParseError,
    InputError,
    MwgenError,
    Problem,
    UsageError,
    YAMLInputError,
    format_path,
    merge_problems,
)
from mwgen.hcl import check_hcl
from mwgen.hcl.terraform import BlockShapeError
from mwgen.yamlio import load_mapping


def test_yaml_input_error_is_an_input_error_with_its_location() -> None:
    with pytest.raises(YAMLInputError) as caught:
        load_mapping(b"a: 1\na: 2\n", "values/defaults.yaml")
    err = caught.value
    assert isinstance(err, InputError) and err.exit_code == EXIT_INVALID
    assert (err.file, err.line, err.column) == ("values/defaults.yaml", 2, 1)
    assert err.lines() == ["values/defaults.yaml:2:1: duplicate key 'a' (first at line 1)"]


def test_hcl_parse_error_joins_the_tree_and_keeps_both_text_forms() -> None:
    with pytest.raises(HCLParseError) as caught:
        check_hcl('a = "x\n', display="output/x.tf")
    err = caught.value
    assert isinstance(err, InputError) and isinstance(err, ValueError)
    assert str(err).startswith("output/x.tf:1:7: HCL parse error: Invalid multi-line string")
    assert err.lines() == [str(err)]
    with pytest.raises(HCLParseError) as bare:
        check_hcl('a = "x\n')
    assert str(bare.value).startswith("1:7: Invalid multi-line string")
    assert bare.value.problems == []


def test_error_constructors_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        YAMLInputError("f.yaml", "message")  # type: ignore[misc]
    with pytest.raises(TypeError):
        HCLParseError("message")  # type: ignore[misc]
    assert issubclass(BlockShapeError, HCLParseError)


def test_usage_errors_exit_2_and_many_reports_each_problem() -> None:
    assert UsageError("bad option").exit_code == EXIT_USAGE
    problems = [Problem(file="a.yaml", line=1, message="one"), Problem(file="b.yaml", message="two")]
    err = InputError.many(problems)
    assert isinstance(err, InputError)
    assert err.lines() == ["a.yaml:1: one", "b.yaml: two"]
    assert MwgenError("plain").lines() == ["plain"]


def test_format_path_quotes_keys_that_are_not_words() -> None:
    assert format_path(("spec", "ports", 0, "port")) == "spec.ports[0].port"
    assert format_path(("metadata", "annotations", "prometheus.io/scrape")) == \
        "metadata.annotations['prometheus.io/scrape']"
    assert format_path(()) == ""


def test_problem_format_orders_location_path_severity_rule_targets() -> None:
    p = Problem(file="output/a.yaml", line=3, column=5, path="spec", message="bad",
                targets=("prod/eu",), rule="r1", severity="warning")
    assert p.format() == "output/a.yaml:3:5: spec: warning: [r1] bad (prod/eu)"


def test_merge_problems_reports_a_shared_finding_once_with_all_targets() -> None:
    a = Problem(file="values/defaults.yaml", line=2, message="x", targets=("prod/us",))
    b = Problem(file="values/defaults.yaml", line=2, message="x", targets=("dev/eu",))
    c = Problem(file="values/defaults.yaml", line=2, message="x", targets=("prod/us",))
    assert merge_problems([a, b, c]) == [
        Problem(file="values/defaults.yaml", line=2, message="x", targets=("dev/eu", "prod/us"))]


def test_unparsable_and_git_errors_join_the_tree() -> None:
    from mwgen.diff.semantic import Unparsable, parse_documents
    from mwgen.gitrun import GitError

    assert issubclass(GitError, MwgenError)
    with pytest.raises(Unparsable) as caught:
        parse_documents("yaml", "a: [1,\n", "output/x.yaml")
    assert isinstance(caught.value, MwgenError)
    assert str(caught.value).startswith("output/x.yaml does not parse: invalid YAML")


def test_render_output_errors_join_the_tree() -> None:
    from mwgen.errors import EmitError, OutputInvalid
    from mwgen.render.formats import canonicalise

    with pytest.raises(OutputInvalid) as caught:
        canonicalise("json", '{"a": }', "templates/x.json.j2")
    assert isinstance(caught.value, MwgenError) and caught.value.line == 1
    assert caught.value.lines() == ["rendered JSON is invalid: Expecting value"]
    bug = EmitError(message="canonical YAML does not read back as its data")
    assert bug.exit_code == EXIT_USAGE  # a bug exits 2, like every internal error
    assert bug.lines() == ["mwgen: internal error: canonical YAML does not read back as its "
                           "data (a bug in mwgen)"]


def _every_error_class() -> list[type[MwgenError]]:
    import mwgen.errors as errors

    found, todo = [], [MwgenError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted({c for c in found if c.__module__ == errors.__name__}, key=lambda c: c.__name__)


def _example(cls: type[MwgenError]) -> MwgenError:
    import inspect

    params = inspect.signature(cls.__init__).parameters
    kwargs = {name: {"file": "a.yaml", "message": "broken", "line": 3, "column": 4,
                     "path": "x.y", "problems": [Problem(file="b.yaml", message="no")]}[name]
              for name, p in params.items() if p.kind is p.KEYWORD_ONLY and name in
              ("file", "message", "line", "column", "path", "problems")}
    if any(p.kind is p.POSITIONAL_OR_KEYWORD and n != "self" for n, p in params.items()):
        return cls("broken", **kwargs)  # type: ignore[call-arg]
    return cls(**kwargs)  # type: ignore[call-arg]


@pytest.mark.parametrize("cls", _every_error_class(), ids=lambda c: c.__name__)
def test_every_error_crosses_a_process_boundary_intact(cls: type[MwgenError]) -> None:
    """A -j worker raises mwgen's errors (a failed write while staging): they are
    pickled back to the render, whatever their constructor's signature."""
    import pickle

    err = _example(cls)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls and back.lines() == err.lines() and str(back) == str(err)
    assert back.exit_code == err.exit_code and back.__dict__ == err.__dict__
