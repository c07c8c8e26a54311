"""MindWeave's own lint rules (the bundled project's rule pack, enabled in mwgen.yaml).

mwgen's generic rules know nothing about MindWeave; what only makes sense for this
platform lives here, written against mwgen's public rule API (mwgen.lint.rules).
"""

from __future__ import annotations

from typing import Iterator

import yaml

from mwgen.lint.rules import Context, Finding, Rule

REGION_CONFIG = ("mindweave-system", "region-config")


def eu_data_own_primary(ctx: Context) -> Iterator[Finding]:
    """In ConfigMap mindweave-system/region-config, the region with role eu-data has
    database.primary: true (MW-ENG-070: EU data never depends on a US primary)."""
    for cm in ctx.objects:
        if cm.kind != "ConfigMap" or (cm.namespace, cm.name) != REGION_CONFIG:
            continue
        data = cm.data.get("data")
        text = data.get("regions.yaml") if isinstance(data, dict) else None
        where = ("data", "regions.yaml")
        if not isinstance(text, str):
            continue
        try:
            regions = (yaml.safe_load(text) or {}).get("regions") or []
        except (yaml.YAMLError, AttributeError):
            yield Finding("regions.yaml does not parse, EU data region unknown", cm, where)
            continue
        for region in regions:
            db = region.get("database") if isinstance(region, dict) else None
            if isinstance(region, dict) and region.get("role") == "eu-data" \
                    and not (isinstance(db, dict) and db.get("primary") is True):
                yield Finding(f"eu-data region {region.get('name')!r} has no primary database of its own",
                              cm, where)


RULES = [
    Rule("mindweave.eu-data-own-primary",
         "EU data sovereignty: the eu-data region keeps its own primary database",
         eu_data_own_primary, waivable=False),
]
