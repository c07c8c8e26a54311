"""HCL for mwgen: Terraform's tokenizer, parse check and ``terraform fmt``, in Python.

``check_hcl`` accepts and refuses what Terraform does, ``terraform_fmt`` writes what
``terraform fmt`` writes, ``format_hcl`` is that plus mwgen's file-edge rule,
``check_blocks`` knows Terraform's block shapes, and ``loads`` is the one door to
python-hcl2 (used only where a data structure is needed).
"""

from __future__ import annotations

from mwgen.hcl.api import check_hcl, format_checked, format_hcl, loads
from mwgen.hcl.format import terraform_fmt
from mwgen.hcl.parser import HCLParseError

__all__ = ["HCLParseError", "check_hcl", "format_checked", "format_hcl", "loads", "terraform_fmt"]
