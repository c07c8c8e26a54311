"""mwgen.hcl against the real ``terraform fmt``, on a generated corpus.

For every snippet, terraform either refuses it (then mwgen's parse check must refuse it
too) or writes a result (then mwgen's formatter must write the same bytes, and its
parse check must accept). The whole corpus goes through one ``terraform fmt`` process.
Skipped where terraform is not installed.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from mwgen.hcl import HCLParseError, format_hcl, terraform_fmt
from tests.hcl.corpus import snippets
from tests.hcl.terraform import fmt_batch, needs_terraform, unchanged_by_fmt

# Valid snippets exercise the formatter, broken ones (one random edit each) the parser.
CORPUS = snippets(900, seed=18, broken_share=0.0) + snippets(900, seed=1818, broken_share=1.0)


@functools.lru_cache(maxsize=None)
def ours(text: str) -> str | None:
    try:
        return terraform_fmt(text)
    except HCLParseError:
        return None


@functools.lru_cache(maxsize=None)
def rendered(text: str) -> str | None:
    """What the render writes (format_hcl), None where it refuses the text."""
    try:
        return format_hcl(text)
    except HCLParseError:
        return None


@needs_terraform
def test_corpus_formats_and_parses_exactly_like_terraform(tmp_path: Path) -> None:
    theirs = fmt_batch(CORPUS, tmp_path / "corpus")
    refused = sum(1 for want in theirs if want is None)
    assert 200 < refused < len(CORPUS) - 600, "the corpus must hold both kinds"
    wrong = [(text, want, got) for text, want in zip(CORPUS, theirs) if (got := ours(text)) != want]
    assert not wrong, f"{len(wrong)} of {len(CORPUS)} differ; first: {wrong[0]!r}"


@needs_terraform
def test_render_output_is_a_terraform_fmt_fixed_point(tmp_path: Path) -> None:
    """format_hcl adds mwgen's file-edge rule; terraform fmt must still leave it alone."""
    written = [out for out in map(rendered, CORPUS[:900]) if out is not None]
    assert len(written) > 600
    assert unchanged_by_fmt(written, tmp_path / "fixed") == []


def test_corpus_is_deterministic() -> None:
    assert snippets(50, seed=18) == snippets(50, seed=18)


@pytest.mark.parametrize("text", [t for t in CORPUS[:900:9] if rendered(t) is not None])
def test_render_formatting_is_idempotent(text: str) -> None:
    """terraform fmt itself is not (``"${"${x}"}"`` unwraps one level per run);
    format_hcl runs its rewrites to a fixed point."""
    once = rendered(text)
    assert once is not None and format_hcl(once) == once
