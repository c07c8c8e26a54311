"""mwgen promote on a copy of the bundled MindWeave project: every comment and anchor
stays, and the value files change by exactly the promoted lines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Callable

from tests.helpers import ROOT
from tests.promote.conftest import HOUR, T0, Shop, git
from tests.promote.test_promote import changed, promote

_ANCHOR = re.compile(r"&[A-Za-z0-9_-]+")


def _marks(shop: Shop) -> dict[str, tuple[list[str], list[str]]]:
    """File -> (its comment lines, its anchors), for every value file."""
    out = {}
    for path in sorted((shop.root / "values").rglob("*.yaml")):
        text = path.read_text()
        out[path.relative_to(shop.root).as_posix()] = (
            [line for line in text.splitlines() if "#" in line], _ANCHOR.findall(text))
    return out


def test_promote_keeps_every_comment_and_anchor(tmp_path: Path,
                                                at: Callable[[int], None]) -> None:
    root = tmp_path / "mindweave"
    for part in ("values", "templates", "schemas"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(ROOT / "mwgen.yaml", root / "mwgen.yaml")
    (root / ".gitignore").write_text("output/.mwgen.lock\n")
    production = root / "values/environments/production.yaml"
    # an anchor the promotion must step around (nothing aliases it)
    production.write_text(production.read_text().replace(
        "      analysis: {", "      analysis: &analysis {"))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    shop = Shop(root)
    shop.commit("chore: MindWeave", T0)
    kept = "    autoscaling: {min_replicas: 2, max_replicas: 4}\n"
    shop.edit("values/environments/dev.yaml", "  knowledge-graph:\n" + kept,
              "  knowledge-graph:\n    image: {tag: v3.1.0}  # the new graph engine\n" + kept)
    shop.commit("feat: knowledge-graph v3.1.0 on dev", T0 + HOUR)
    marks = _marks(shop)
    assert ["&analysis"] == marks["values/environments/production.yaml"][1]

    before = shop.snapshot()
    to_staging = promote(shop, "dev", "staging")
    assert to_staging.exit_code == 0, to_staging.output
    after = shop.snapshot()
    assert {k: v for k, v in changed(before, after).items() if k.startswith("values/")} == {
        "values/environments/staging.yaml": ["+    image:\n", "+      tag: v3.1.0\n"]}
    assert _marks(shop) == marks
    assert "output/k8s/staging/us-east-1/services/knowledge-graph/deployment.yaml" in \
        changed(before, after)
    shop.commit("chore(promote): knowledge-graph v3.1.0 to staging", T0 + 2 * HOUR)

    at(T0 + 27 * HOUR)
    to_production = promote(shop, "staging", "production")
    assert to_production.exit_code == 0, to_production.output
    assert {k: v for k, v in changed(after, shop.snapshot()).items()
            if k.startswith("values/")} == {
        "values/environments/production.yaml": ["+    image:\n", "+      tag: v3.1.0\n"]}
    assert _marks(shop) == marks
