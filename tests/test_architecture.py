"""The library core stays below the click layer: only mwgen/cli imports click."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mwgen"


def test_only_the_cli_imports_click() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(path.relative_to(PACKAGE).as_posix())
    assert offenders == []


def test_every_test_the_docs_name_exists() -> None:
    """docs/*.md and README.md cite tests as proof; a renamed or deleted test must not
    leave a guarantee citing nothing."""
    import re

    root = Path(__file__).resolve().parents[1]
    cited = re.compile(r"(tests/[\w/.-]+\.py)(?:::(\w+))?")
    missing = []
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for path, name in cited.findall(doc.read_text(encoding="utf-8")):
            file = root / path
            if not file.is_file():
                missing.append(f"{doc.name}: {path}")
            elif name and not re.search(rf"^(async )?def {name}\b", file.read_text(
                    encoding="utf-8"), re.MULTILINE):
                missing.append(f"{doc.name}: {path}::{name}")
    assert missing == []


def _holds_code(path: Path) -> bool:
    """More than a docstring, imports and ``__all__`` (a package's re-exports)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Assign) and all(
                isinstance(t, ast.Name) and t.id in ("__all__", "__version__")
                for t in node.targets):
            continue
        return True
    return False


def test_every_module_has_its_own_test_file() -> None:
    """tests/ mirrors mwgen/: ``mwgen/a/m.py`` is tested by ``tests/a/test_m.py``, a
    package's ``__init__.py`` that holds code by ``tests/a/test_a.py`` (or one level
    up), so the next engineer finds a module's tests without searching."""
    tests = PACKAGE.parent / "tests"
    missing = []
    for module in sorted(PACKAGE.rglob("*.py")):
        rel = module.relative_to(PACKAGE)
        if module.name == "__init__.py":
            if rel.parent == Path(".") or not _holds_code(module):
                continue
            wanted = [tests / rel.parent / f"test_{rel.parent.name}.py",
                      tests / rel.parent.parent / f"test_{rel.parent.name}.py"]
        else:
            wanted = [tests / rel.parent / f"test_{module.stem}.py"]
        if not any(path.is_file() for path in wanted):
            missing.append(f"mwgen/{rel.as_posix()} -> {wanted[0].relative_to(tests.parent)}")
    assert missing == []
