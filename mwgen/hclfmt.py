"""Kept for importers of the old module: the HCL code lives in :mod:`mwgen.hcl`."""

from __future__ import annotations

from mwgen.hcl import HCLParseError, check_hcl, format_hcl

__all__ = ["format_hcl", "check_hcl", "HCLParseError"]
