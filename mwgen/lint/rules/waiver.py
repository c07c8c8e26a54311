"""waiver.has-reason: a waiver names a known, waivable rule and says why.

The engine parses waivers (it must, to apply them) and reports the bad ones under this
rule; ``check`` itself has nothing to add.
"""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    return iter(())


RULE = Rule("waiver.has-reason", "a waiver must name a known, waivable rule and say why",
            check, waivable=False)
