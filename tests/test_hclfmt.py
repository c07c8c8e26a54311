"""mwgen.hclfmt is only the old import path of mwgen.hcl: the same objects, no copy."""

from __future__ import annotations

import mwgen.hcl as hcl
import mwgen.hclfmt as hclfmt
from mwgen.errors import HCLParseError


def test_the_old_module_reexports_the_one_implementation() -> None:
    assert hclfmt.format_hcl is hcl.format_hcl
    assert hclfmt.check_hcl is hcl.check_hcl
    assert hclfmt.HCLParseError is HCLParseError is hcl.HCLParseError
    assert hclfmt.format_hcl('a   = "x"\n') == 'a = "x"\n'
