"""Terraform's block shapes: which block types exist where, with how many labels.

The parse check knows HCL, not Terraform: ``resource "aws_s3_bucket" "a" "b" {`` is
valid HCL that Terraform refuses ("Extraneous label for resource"). A template that
splices a value into a label without ``| raw`` produces exactly that (the value's
quotes make a third label), so the render checks the shapes Terraform's config
loader checks and fails at the block, before anything is written.
"""

from __future__ import annotations

from mwgen.hcl.parser import Block, Body, HCLParseError

__all__ = ["TOP_LEVEL", "BlockShapeError", "check_blocks"]


class BlockShapeError(HCLParseError):
    """Valid HCL that Terraform's configuration loader refuses."""

#: Top-level block types of a ``.tf`` file and their label counts.
TOP_LEVEL: dict[str, int] = {
    "terraform": 0, "locals": 0, "moved": 0, "import": 0, "removed": 0,
    "variable": 1, "output": 1, "provider": 1, "module": 1, "check": 1,
    "resource": 2, "data": 2, "ephemeral": 2, "action": 2,
}
#: Nested block types whose label count Terraform fixes, by parent type.
NESTED: dict[str, dict[str, int]] = {
    "terraform": {"backend": 1, "cloud": 0, "required_providers": 0, "provider_meta": 1},
    "resource": {"lifecycle": 0, "provisioner": 1, "connection": 0},
    "data": {"lifecycle": 0},
    "variable": {"validation": 0},
    "output": {"precondition": 0},
    "lifecycle": {"precondition": 0, "postcondition": 0},
    "check": {"assert": 0},
}


def _problem(block: Block, message: str) -> BlockShapeError:
    tok_line, tok_col = block.where
    return BlockShapeError(message, line=tok_line, column=tok_col)


def _labels(block: Block, want: int, where: str) -> None:
    got = len(block.labels)
    if got == want:
        return
    shown = " ".join(f'"{label}"' for label in block.labels)
    if want == 0:
        detail = f"{block.type!r} blocks take no labels"
    else:
        detail = f"{block.type!r} blocks take {want} label{'s' if want > 1 else ''}"
    hint = (" (a value spliced into a label needs `| raw` inside the quotes, or build the "
            "whole label as one expression)") if got > want else ""
    raise _problem(block, f"{where}{block.type} {shown}: {detail}, found {got}{hint}")


def _nested(body: Body, parent: str) -> None:
    rules = NESTED.get(parent, {})
    for block in body.blocks:
        if block.type == "dynamic":
            _labels(block, 1, "")
        elif block.type in rules:
            _labels(block, rules[block.type], "")
        _nested(block.body, block.type)


def check_blocks(body: Body, tfvars: bool = False) -> None:
    """Raise :class:`BlockShapeError` at the first block Terraform would refuse."""
    if tfvars:
        for block in body.blocks:
            raise _problem(block, f"{block.type}: a .tfvars file sets variables and holds no blocks")
        return
    for block in body.blocks:
        want = TOP_LEVEL.get(block.type)
        if want is None:
            raise _problem(block, f"unsupported block type {block.type!r} (Terraform's top-level "
                           f"blocks are {', '.join(sorted(TOP_LEVEL))})")
        _labels(block, want, "")
        _nested(block.body, block.type)
