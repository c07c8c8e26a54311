"""The rendered Terraform, evaluated just enough to answer lint's questions.

Rules ask which node groups (and their taints) an environment's cluster gets, which IAM
roles exist for an environment and region and whom they trust, which Route 53 records and
health checks exist. The answers are in resources whose attributes are expressions over
``var.``, ``local.`` and ``each.`` -- values from ``terraform.tfvars`` passed through module
calls. This module follows exactly that: every root module (a folder of ``.tf`` files
that no local ``module`` block uses) is instantiated with its variables (defaults, then
``terraform.tfvars`` and ``*.auto.tfvars``); local module calls are instantiated with
their inputs; ``for_each`` and ``dynamic`` blocks are expanded when their collection is
known. Expressions beyond literals, templates and references (function calls,
conditionals, resource attributes) evaluate to :data:`UNKNOWN`, and rules treat unknown
as "cannot tell" rather than as a finding.

The environment of a root is the first folder of its path named like a project
environment (``output/terraform/environments/production``); none means global. The region
of a resource is that of its AWS provider: the root's default ``provider "aws"``, an
alias chosen by ``provider =``, or the alias a module call passes in ``providers``.
Values come from python-hcl2 through mwgen's one door to it, :func:`mwgen.hcl.loads`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mwgen.lint.tree import OutputFile, OutputTree


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: the value of an expression this evaluator does not follow
UNKNOWN: Any = _Unknown()
_META = "__is_block__"
_MAX_DEPTH = 8
#: type conversions that keep a collection's content (common around ``for_each``)
_CONVERSION = re.compile(r"(toset|tolist|tomap|keys|values)\((.*)\)", re.DOTALL)
_BLOCK_HEAD = re.compile(r'^[ \t]*(resource|data)\s+"([^"]+)"\s+"([^"]+)"', re.MULTILINE)


def unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", text).replace("\\n", "\n")


def evaluate(raw: Any, scope: dict[str, Any]) -> Any:
    """A python-hcl2 value (``'"text"'``, ``'${expr}'``, dicts, lists) evaluated in ``scope``."""
    if isinstance(raw, str):
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            return template(raw[1:-1], scope)
        if raw.startswith("${") and raw.endswith("}") and _closing(raw, 2) == len(raw) - 1:
            return expression(raw[2:-1], scope)
        return expression(raw, scope)
    if isinstance(raw, dict):
        return {unquote(k): evaluate(v, scope) for k, v in raw.items() if k != _META}
    if isinstance(raw, list):
        return [evaluate(v, scope) for v in raw]
    return raw


def template(text: str, scope: dict[str, Any]) -> Any:
    """A string template: literal text with ``${...}`` interpolations."""
    out: list[str] = []
    i = 0
    while i < len(text):
        start = text.find("${", i)
        if start < 0 or "%{" in text[i:start]:
            if "%{" in text[i:]:
                return UNKNOWN
            out.append(_unescape(text[i:]))
            break
        if start > 0 and text[start - 1] == "$":  # $${ is a literal ${
            out.append(_unescape(text[i:start - 1]) + "${")
            i = start + 2
            continue
        end = _closing(text, start + 2)
        if end < 0:
            return UNKNOWN
        out.append(_unescape(text[i:start]))
        value = expression(text[start + 2:end], scope)
        if value is UNKNOWN or isinstance(value, (dict, list)):
            return UNKNOWN
        out.append(("true" if value else "false") if isinstance(value, bool) else str(value))
        i = end + 1
    return "".join(out)


def _closing(text: str, i: int, opener: str = "{", closer: str = "}") -> int:
    """Index of the ``closer`` that closes a body starting at ``i`` (nested pairs and
    quoted strings skipped, ``\\"`` kept inside its string); -1 if none. The default
    closes an interpolation; ``_bracket`` closes an index."""
    depth, quote = 0, False
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c == opener:
            depth += 1
        elif c == closer:
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def expression(expr: str, scope: dict[str, Any]) -> Any:
    """Literals and references (``var.a["k"].b[0]``); anything else is UNKNOWN."""
    expr = expr.strip()
    if len(expr) >= 2 and expr[0] == expr[-1] == '"' and _closing(expr, 1) < 0:
        return template(expr[1:-1], scope)
    if re.fullmatch(r"-?\d+", expr):
        return int(expr)
    if expr in ("true", "false"):
        return expr == "true"
    if expr == "null":
        return None
    call = _CONVERSION.fullmatch(expr)
    if call:
        return _convert(call.group(1), expression(call.group(2), scope))
    return traverse(expr, scope)


def traverse(expr: str, scope: dict[str, Any]) -> Any:
    """``root.attr["key"][0][each.key]``: a reference, with literal or nested-reference
    indexes; UNKNOWN for anything else."""
    root = re.match(r"[A-Za-z_][\w-]*", expr)
    if root is None:
        return UNKNOWN
    value = scope.get(root.group(0), UNKNOWN)
    i = root.end()
    while i < len(expr):
        if expr[i] == ".":
            m = re.match(r"\.([A-Za-z_][\w-]*)", expr[i:])
            if m is None:
                return UNKNOWN
            key: Any = m.group(1)
            i += m.end()
        elif expr[i] == "[":
            end = _bracket(expr, i)
            if end < 0:
                return UNKNOWN
            key = expression(expr[i + 1:end], scope)
            i = end + 1
        else:
            return UNKNOWN
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key, UNKNOWN)
        elif isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool) \
                and 0 <= key < len(value):
            value = value[key]
        else:
            return UNKNOWN
    return value


def _bracket(text: str, i: int) -> int:
    """Index of the ``]`` closing the ``[`` at ``i`` (strings skipped); -1 if none."""
    return _closing(text, i + 1, "[", "]")


def _convert(func: str, value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if func == "keys" and isinstance(value, dict):
        return sorted(value)
    if func == "values" and isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if func in ("toset", "tolist") and isinstance(value, list):
        return sorted(set(value), key=str) if func == "toset" else value
    if func == "tomap" and isinstance(value, dict):
        return value
    return UNKNOWN


@dataclass
class Block:
    """A block body with the scope its expressions are evaluated in."""

    body: dict[str, Any]
    scope: dict[str, Any]

    def value(self, attr: str, *path: Any) -> Any:
        if attr not in self.body:
            return None
        value = evaluate(self.body[attr], self.scope)
        for key in path:
            if isinstance(value, dict):
                value = value.get(key, UNKNOWN)
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            else:
                return UNKNOWN
        return value

    def raw(self, attr: str) -> Any:
        return self.body.get(attr)

    def blocks(self, name: str) -> list[Block]:
        """Nested ``name { }`` blocks, ``dynamic "name"`` ones expanded when known; a dynamic
        block over an unknown collection yields one block whose values are UNKNOWN."""
        out = [Block(b, self.scope) for b in _as_list(self.body.get(name)) if isinstance(b, dict)]
        for dyn in _as_list(self.body.get("dynamic")):
            for label, spec in (dyn.items() if isinstance(dyn, dict) else []):
                if unquote(label) != name or not isinstance(spec, dict):
                    continue
                iterator = unquote(str(evaluate(spec.get("iterator", f'"{name}"'), self.scope)))
                content: dict[str, Any] = next(iter(_as_list(spec.get("content"))), {})
                collection = evaluate(spec.get("for_each"), self.scope)
                for key, value in _each(collection):
                    out.append(Block(content, {**self.scope, iterator: {"key": key, "value": value}}))
                if collection is UNKNOWN:
                    out.append(Block(content, {**self.scope, iterator: UNKNOWN}))
        return out


@dataclass
class Instance(Block):
    """One resource or data source instance (one per ``for_each`` key)."""

    kind: str = "resource"
    type: str = ""
    name: str = ""
    key: Any = None
    file: OutputFile | None = None
    line: int = 0
    env: str = ""
    region: str = ""
    module: str = ""

    @property
    def address(self) -> str:
        head = "data." if self.kind == "data" else ""
        key = f'["{self.key}"]' if isinstance(self.key, str) else ("" if self.key is None else f"[{self.key}]")
        return f"{self.module}{head}{self.type}.{self.name}{key}"


@dataclass
class Model:
    """Every resource and data source instance of the rendered Terraform."""

    instances: list[Instance] = field(default_factory=list)

    def resources(self, rtype: str) -> list[Instance]:
        return [i for i in self.instances if i.kind == "resource" and i.type == rtype]

    def data(self, rtype: str, name: str, module: str) -> Instance | None:
        for i in self.instances:
            if i.kind == "data" and i.type == rtype and i.name == name and i.module == module:
                return i
        return None

    @classmethod
    def load(cls, tree: OutputTree) -> Model:
        folders = _parse(tree)
        called = {src for folder in folders.values() for src in folder.module_sources()}
        model = cls()
        for path in sorted(folders):
            if path in called or "modules" in PurePosixPath(path).parts:
                continue
            folder = folders[path]
            env = next((p for p in PurePosixPath(path).parts if p in tree.environments), "")
            providers = folder.providers({"var": folder.variables()})
            _instantiate(model, folders, path, folder.variables(), env, providers.get("", ""),
                         providers, "", 0)
        return model


@dataclass
class _Folder:
    path: str
    files: list[tuple[OutputFile, dict[str, Any]]] = field(default_factory=list)
    tfvars: list[dict[str, Any]] = field(default_factory=list)

    def blocks(self, kind: str) -> Iterator[tuple[OutputFile, dict[str, Any]]]:
        for f, data in self.files:
            for block in _as_list(data.get(kind)):
                if isinstance(block, dict):
                    yield f, block

    def module_sources(self) -> Iterator[str]:
        for _f, block in self.blocks("module"):
            for _name, body in block.items():
                src = unquote(str(body.get("source", ""))) if isinstance(body, dict) else ""
                if src.startswith(("./", "../")):
                    yield _join(self.path, src)

    def variables(self, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for _f, block in self.blocks("variable"):
            for name, body in block.items():
                if name != _META:
                    default = body.get("default", UNKNOWN) if isinstance(body, dict) else UNKNOWN
                    values[unquote(name)] = evaluate(default, {}) if default is not UNKNOWN else UNKNOWN
        for data in self.tfvars:
            values.update({k: evaluate(v, {}) for k, v in data.items()})
        values.update(inputs or {})
        return values

    def providers(self, scope: dict[str, Any]) -> dict[str, str]:
        """AWS provider alias -> region (``""`` is the default provider)."""
        out: dict[str, str] = {}
        for _f, block in self.blocks("provider"):
            body = block.get('"aws"', block.get("aws"))
            if isinstance(body, dict):
                alias = evaluate(body.get("alias", '""'), scope)
                region = evaluate(body.get("region", '""'), scope)
                out[str(alias) if alias is not UNKNOWN else ""] = region if isinstance(region, str) else ""
        return out


def _parse(tree: OutputTree) -> dict[str, _Folder]:
    from mwgen.lint.tree import HCL_SUFFIXES

    folders: dict[str, _Folder] = {}
    for f in tree.by_suffix(*HCL_SUFFIXES):
        data = _load(f)
        if data is None:
            continue
        folder = folders.setdefault(str(PurePosixPath(f.rel).parent), _Folder(str(PurePosixPath(f.rel).parent)))
        if f.rel.endswith(".tfvars"):
            if PurePosixPath(f.rel).name == "terraform.tfvars" or f.rel.endswith(".auto.tfvars"):
                folder.tfvars.append(data)
        else:
            folder.files.append((f, data))
    return folders


def _load(f: OutputFile) -> dict[str, Any] | None:
    """The parsed file, or None when it does not parse (the ``hcl`` check reports that).

    python-hcl2 costs ~0.1 s a file, so the parse is kept in the user cache by content
    hash and parser version (a pure function of both; deleting the cache is safe).
    """
    import hashlib
    import json

    text = f.text()
    key = hashlib.sha256(f"{_parser_version()}\0{text}".encode()).hexdigest()
    cached = _cache_file(key)
    if cached is not None:
        try:
            data = json.loads(cached.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            pass
    from mwgen.hcl import loads

    try:
        data = loads(text)
    except Exception:  # noqa: BLE001 - lark raises many types; all mean "does not parse"
        return None
    if not isinstance(data, dict):
        return None
    _store(key, data)
    return data


@functools.lru_cache(maxsize=1)
def _parser_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("python-hcl2")
    except PackageNotFoundError:  # pragma: no cover - installed with mwgen
        return "?"


def _cache_file(key: str) -> Any:
    from mwgen.cache import cache_dir

    folder = cache_dir("hcl-parsed")
    path = folder / f"{key}.json" if folder is not None else None
    return path if path is not None and path.is_file() else None


def _store(key: str, data: dict[str, Any]) -> None:
    """Best effort, atomic: a reader never sees half a file; failure only costs time."""
    import json

    from mwgen.cache import cache_dir, write_atomic

    folder = cache_dir("hcl-parsed")
    if folder is None:
        return
    try:
        write_atomic(folder / f"{key}.json", json.dumps(data).encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass


def _instantiate(model: Model, folders: dict[str, _Folder], path: str, variables: dict[str, Any],
                 env: str, region: str, providers: dict[str, str], module: str, depth: int) -> None:
    folder = folders.get(path)
    if folder is None or depth > _MAX_DEPTH:
        return
    regions = {unquote(n): {"name": region, "id": region} for _f, b in folder.blocks("data")
               for n in (b.get('"aws_region"') or {}) if n != _META} if region else {}
    scope: dict[str, Any] = {"var": variables, "local": {}, "data": {"aws_region": regions}}
    for _ in range(3):  # locals may refer to locals defined later
        for _f, block in folder.blocks("locals"):
            for name, raw in block.items():
                if name != _META:
                    scope["local"][name] = evaluate(raw, scope)
    lines = {f.rel: _heads(f) for f, _d in folder.files}
    for kind in ("resource", "data"):
        for f, block in folder.blocks(kind):
            for rtype, named in block.items():
                for name, body in (named.items() if isinstance(named, dict) else []):
                    if name == _META or not isinstance(body, dict):
                        continue
                    rtype_, name_ = unquote(rtype), unquote(name)
                    where = _provider_region(body, providers, region)
                    line = lines[f.rel].get((kind, rtype_, name_), 0)
                    for key, each in _instances(body, scope):
                        inst_scope = {**scope, "each": each} if each is not None else scope
                        model.instances.append(Instance(
                            body, inst_scope, kind=kind, type=rtype_, name=name_, key=key, file=f,
                            line=line, env=env, region=where, module=module))
    for _f, block in folder.blocks("module"):
        for name, body in block.items():
            if name == _META or not isinstance(body, dict):
                continue
            src = unquote(str(body.get("source", "")))
            if not src.startswith(("./", "../")):
                continue
            inputs = {k: evaluate(v, scope) for k, v in body.items()
                      if k not in ("source", "providers", "for_each", "count", "depends_on",
                                   "version", _META)}
            child_providers = dict(providers)
            where = region
            mapping = body.get("providers")
            for item in _as_list(mapping):
                for pname, ref in (item.items() if isinstance(item, dict) else []):
                    alias = str(ref).strip("${}").partition(".")[2]
                    if unquote(pname) == "aws" and alias in providers:
                        where = providers[alias]
                        child_providers[""] = where
            child = _join(path, src)
            child_vars = folders[child].variables(inputs) if child in folders else inputs
            _instantiate(model, folders, child, child_vars, env, where, child_providers,
                         f"{module}module.{unquote(name)}.", depth + 1)


def _provider_region(body: dict[str, Any], providers: dict[str, str], default: str) -> str:
    ref = body.get("provider")
    if isinstance(ref, str):
        alias = ref.strip("${}").partition(".")[2]
        return providers.get(alias, default)
    return default


def _instances(body: dict[str, Any], scope: dict[str, Any]) -> Iterator[tuple[Any, dict[str, Any] | None]]:
    if "for_each" in body:
        collection = evaluate(body["for_each"], scope)
        if collection is UNKNOWN:
            yield UNKNOWN, {"key": UNKNOWN, "value": UNKNOWN}
            return
        for key, value in _each(collection):
            yield key, {"key": key, "value": value}
        return
    if "count" in body and evaluate(body["count"], scope) == 0:
        return
    yield None, None


def _each(collection: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(collection, dict):
        yield from collection.items()
    elif isinstance(collection, list):
        for value in collection:
            yield value, value


def _heads(f: OutputFile) -> dict[tuple[str, str, str], int]:
    text = f.text()
    return {(m.group(1), m.group(2), m.group(3)): text.count("\n", 0, m.start()) + 1
            for m in _BLOCK_HEAD.finditer(text)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _join(base: str, rel: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(base, rel))
