"""``mwgen promote`` and ``mwgen history`` as a library.

::

    plan = plan_promote(project, "staging", "production", services=["api-gateway"])
    rendered = preview(project, plan)          # schema + render in a staged copy
    write(project, plan, rendered)             # value files, then output/

Modules, one job each: :mod:`.paths` (what a release is), :mod:`.edit` (byte-exact
YAML edits), :mod:`.history` (versions from git), :mod:`.gates` (order, soak),
:mod:`.promotion` (plans), :mod:`.apply` (stage, write, commit), :mod:`.report`.
"""

from __future__ import annotations

from mwgen.promote.apply import check_branch, check_clean, commit, preview, write
from mwgen.promote.promotion import (Change, Promotion, PromotionRefused, plan_promote,
                                     plan_rollback, plan_switch)

__all__ = ["Change", "Promotion", "PromotionRefused", "plan_promote", "plan_rollback",
           "plan_switch", "preview", "write", "check_clean", "check_branch", "commit"]
