"""The Jinja environment templates run in: sandboxed, bounded, format-escaping.

Templates are code that ``mwgen diff --against BRANCH`` runs from another branch, so
they get Jinja's sandbox (no ``__globals__``, no private attributes, no unsafe calls),
a loader that stays inside ``templates/`` even through symlinks, and bounds on work:
:data:`STEP_LIMIT` loop steps per output file, ranges and ``*`` repetitions of at most
:data:`SIZE_LIMIT` items, integer powers of at most :data:`POWER_BITS` bits. Each is a
located template error, never a hang.

The code generator replaces Jinja's HTML autoescaping with mwgen's own mechanism
(:mod:`mwgen.render.escaping`): macro, call-block and ``{% set %}``-block output is a
:class:`Fragment`, ``~`` refuses to mix fragments with values, filter blocks escape
what is not a fragment, and Jinja's HTML filters are refused at compile time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from jinja2 import FileSystemLoader, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateRuntimeError
from jinja2.sandbox import SandboxedEnvironment

from mwgen.render import escaping
from mwgen.render.escaping import Fragment, MixedText

#: Loop steps one output file may take (all ``{% for %}`` iterations, nested included).
STEP_LIMIT = 1_000_000
#: Items a ``range()`` or a ``*`` repetition may produce.
SIZE_LIMIT = 1_000_000
#: Bits an integer ``**`` result may have.
POWER_BITS = 4096


class LimitExceeded(TemplateRuntimeError):
    """A template asked for more work than mwgen's documented bounds allow."""


class OutsideTemplates(TemplateRuntimeError):
    """A template name that resolves (through a symlink) outside ``templates/``."""


class ConfinedLoader(FileSystemLoader):
    """A file-system loader that refuses files whose real path leaves the folder."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(root), encoding="utf-8", followlinks=False)
        self._real_root = os.path.realpath(root)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if os.path.commonpath([real, self._real_root]) != self._real_root:
            raise OutsideTemplates(f"template {template!r} resolves to {real}, outside "
                                   "templates/ (through a symlink): refused")
        return source, filename, uptodate


class MwgenCodeGenerator(CodeGenerator):
    """Jinja's code generator with mwgen's escaping in place of HTML autoescaping."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # Jinja folds constant expressions and writes them with repr(): a folded
        # ``1e308 * 10`` or ``1e400 - 1e400`` (anywhere in a list or dict) is inf/nan.
        self.writeline("from math import inf, nan")
        super().visit_Template(node, frame)

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        # Constants other than template text are escaped at run time like any value
        # (``{{ "true" }}`` is the string, never template text).
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def return_buffer_contents(self, frame: Frame, force_unescaped: bool = False) -> None:
        # Macro, call-block and recursive-loop bodies: template-written text.
        self.writeline(f"return environment.mwgen_fragment(concat({frame.buffer}))")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.mwgen_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Filter(self, node: nodes.Filter, frame: Frame) -> None:
        refused = self.environment.mwgen_refused_filters.get(node.name)  # type: ignore[attr-defined]
        if refused:
            self.fail(f"filter {node.name!r} is not available: {refused}", node.lineno)
        if node.node is not None:
            super().visit_Filter(node, frame)
            return
        # A filter block's or filtered {% set %} block's body is a fragment.
        with self._filter_test_common(node, frame, True):
            self.write(f"environment.mwgen_fragment(concat({frame.buffer}))")

    def visit_FilterBlock(self, node: nodes.FilterBlock, frame: Frame) -> None:
        # Jinja writes a filter block's result without finalize: escape non-fragments.
        filter_frame = frame.inner()
        filter_frame.symbols.analyze_node(node)
        self.enter_frame(filter_frame)
        self.buffer(filter_frame)
        self.blockvisit(node.body, filter_frame)
        self.start_write(frame, node)
        self.write("environment.finalize(")
        self.visit_Filter(node.filter, filter_frame)
        self.write(")")
        self.end_write(frame)
        self.leave_frame(filter_frame)

    def visit_AssignBlock(self, node: nodes.AssignBlock, frame: Frame) -> None:
        self.push_assign_tracking()
        block_frame = frame.inner()
        block_frame.require_output_check = False
        block_frame.symbols.analyze_node(node)
        self.enter_frame(block_frame)
        self.buffer(block_frame)
        self.blockvisit(node.body, block_frame)
        self.newline(node)
        self.visit(node.target, frame)
        self.write(" = ")
        if node.filter is not None:
            # What the filter returns is a fragment only if it still is one.
            self.visit_Filter(node.filter, block_frame)
        else:
            self.write(f"environment.mwgen_fragment(concat({block_frame.buffer}))")
        self.pop_assign_tracking(frame)
        self.leave_frame(block_frame)

    def visit_ScopedEvalContextModifier(self, node: nodes.ScopedEvalContextModifier,
                                        frame: Frame) -> None:
        self.fail("{% autoescape %} is not available: every {{ }} is escaped for the "
                  "output format already", node.lineno)


def _counted(items: Iterable[Any], env: MwgenEnvironment) -> Iterator[Any]:
    for item in items:
        env.mwgen_step_count += 1
        if env.mwgen_step_count > STEP_LIMIT:
            raise _too_many_steps()
        yield item


def _too_many_steps() -> LimitExceeded:
    return LimitExceeded(f"more than {STEP_LIMIT:,} loop steps in one output file: "
                         "an unbounded loop?")


def bounded_range(*args: int) -> range:
    """``range`` for templates: at most :data:`SIZE_LIMIT` numbers."""
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:
        size = SIZE_LIMIT + 1
    if size > SIZE_LIMIT:
        raise LimitExceeded(f"range of more than {SIZE_LIMIT:,} numbers")
    return numbers


class MwgenEnvironment(SandboxedEnvironment):
    """The sandboxed environment of one output format (see the module docstring)."""

    code_generator_class = MwgenCodeGenerator
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, fmt: str, refused_filters: dict[str, str], **options: Any) -> None:
        super().__init__(autoescape=False, finalize=escaping.make_finalize(fmt), **options)
        self.mwgen_format = fmt
        self.mwgen_refused_filters = refused_filters
        self.mwgen_concat = escaping.make_concat(fmt)
        self.mwgen_fragment = Fragment
        self.mwgen_step_count = 0
        self.globals["range"] = bounded_range

    def mwgen_reset(self) -> None:
        """Start counting loop steps for a new output file."""
        self.mwgen_step_count = 0

    def mwgen_steps(self, items: Any) -> Any:
        """The iterable of a for loop, counted against :data:`STEP_LIMIT`."""
        try:
            size = len(items)
        except TypeError:
            return _counted(items, self)
        self.mwgen_step_count += size
        if self.mwgen_step_count > STEP_LIMIT:
            raise _too_many_steps()
        return items

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):  # each loop's iterable is counted
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("mwgen_steps"), [loop.iter],
                                   [], None, None, lineno=loop.lineno)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                        and len(seq) * times > SIZE_LIMIT):
                    raise LimitExceeded(f"'*' would repeat to more than {SIZE_LIMIT:,} "
                                        "items")
            return left * right
        if (isinstance(left, int) and isinstance(right, int) and right > 0
                and max(abs(left).bit_length() - 1, 0) * right > POWER_BITS):
            raise LimitExceeded(f"'**' result larger than {POWER_BITS} bits")
        return left ** right

    # str.format on template-written text: the sandbox formats it itself (Jinja 3.1.5+
    # wraps the method on attribute access, earlier releases on the call).
    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if (isinstance(getattr(value, "__self__", None), Fragment)
                and getattr(value, "__name__", "") in ("format", "format_map")):
            return _refuse_format
        return super().wrap_str_format(value)

    def format_string(self, s: str, *args: Any, **kwargs: Any) -> str:
        if isinstance(s, Fragment):
            raise MixedText("format")
        return super().format_string(s, *args, **kwargs)  # type: ignore[misc]


def _refuse_format(*args: Any, **kwargs: Any) -> str:
    raise MixedText("format")
