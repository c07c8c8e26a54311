"""Argo CD in the rendered tree: which Application syncs which output file, and how.

An Application's source ``path`` (a folder of this repository, relative to the project
root) syncs the manifests in it: only the folder itself unless ``directory.recurse``,
filtered by ``directory.include``/``exclude`` globs (``{a,b}`` alternatives allowed),
matched against the path relative to the source folder
(https://argo-cd.readthedocs.io/en/stable/user-guide/directory/). An ApplicationSet is
expanded for its ``git`` directory generators (``{{path}}``, ``{{path.basename}}``,
``{{.path.path}}``...) and ``list`` generators (``{{key}}``), over the folders that exist.
Sources with a Helm ``chart`` or another repository (see ``repo_urls``) sync nothing here.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from mwgen.lint.relations.k8s import get, items, mapping

if TYPE_CHECKING:
    from mwgen.lint.tree import KubeObject, OutputTree

_PATH_VAR = re.compile(r"\{\{\s*\.?path(?:\.path)?\s*\}\}")
_BASENAME_VAR = re.compile(r"\{\{\s*\.?path\.basename\s*\}\}")


@dataclass
class AppView:
    """One Application, or one Application an ApplicationSet generates."""

    obj: KubeObject
    spec: dict[str, Any]
    #: where the spec sits in ``obj`` (``("spec",)`` or ``("spec", "template", "spec")``)
    at: tuple[Any, ...]
    generated: bool = False

    @property
    def name(self) -> str:
        return self.obj.name

    def sources(self) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        out = []
        if isinstance(self.spec.get("source"), dict):
            out.append((self.at + ("source",), self.spec["source"]))
        for i, src in enumerate(items(self.spec.get("sources"))):
            if isinstance(src, dict):
                out.append((self.at + ("sources", i), src))
        return out

    @property
    def automated(self) -> bool:
        return isinstance(get(self.spec, ("syncPolicy", "automated")), dict)

    @property
    def self_heal(self) -> bool:
        return self.automated and get(self.spec, ("syncPolicy", "automated", "selfHeal")) is True

    def ignores(self, group: str, kind: str, name: str, namespace: str, pointer: str) -> bool:
        """An ``ignoreDifferences`` entry covers ``pointer`` (``/spec/replicas``) of the object."""
        jq = "." + pointer.strip("/").replace("/", ".")
        for entry in items(self.spec.get("ignoreDifferences")):
            entry = mapping(entry)
            if entry.get("kind") != kind or str(entry.get("group", "")) != group \
                    or entry.get("name", name) != name or entry.get("namespace", namespace) != namespace:
                continue
            if pointer in items(entry.get("jsonPointers")) or jq in items(entry.get("jqPathExpressions")) \
                    or items(entry.get("managedFieldsManagers")):
                return True
        return False


@dataclass
class ArgoModel:
    apps: list[AppView] = field(default_factory=list)
    #: output file (relative to the project root) -> the applications that sync it
    owners: dict[str, list[AppView]] = field(default_factory=dict)

    @classmethod
    def build(cls, tree: OutputTree, objects: list[KubeObject],
              repo_urls: tuple[str, ...] = ()) -> ArgoModel:
        model = cls()
        for obj in objects:
            if obj.kind == "Application":
                model.apps.append(AppView(obj, mapping(obj.data.get("spec")), ("spec",)))
            elif obj.kind == "ApplicationSet":
                model.apps.extend(expand(tree, obj))
        files = sorted(f.rel for f in tree.files)
        for app in model.apps:
            for _path, src in app.sources():
                if local_path(src, repo_urls) is None:
                    continue
                for rel in synced(src, files):
                    model.owners.setdefault(rel, []).append(app)
        return model

    def owners_of(self, rel: str) -> list[AppView]:
        return self.owners.get(rel, [])


def local_path(src: dict[str, Any], repo_urls: tuple[str, ...] = ()) -> str | None:
    """The folder of this repository a source syncs, or None (chart, other repo, template)."""
    path = src.get("path")
    if src.get("chart") or not isinstance(path, str) or "{{" in path:
        return None
    if repo_urls and src.get("repoURL") not in repo_urls:
        return None
    return path.strip("/") or "."


def synced(src: dict[str, Any], files: list[str]) -> Iterator[str]:
    """The manifests of sorted ``files`` that ``src`` syncs."""
    import bisect

    base = local_path(src)
    if base is None:
        return
    directory = mapping(src.get("directory"))
    recurse = directory.get("recurse") is True
    include, exclude = directory.get("include"), directory.get("exclude")
    prefix = "" if base == "." else base + "/"
    for rel in files[bisect.bisect_left(files, prefix):]:
        if not rel.startswith(prefix):
            break
        inner = rel[len(prefix):]
        if not rel.endswith((".yaml", ".yml", ".json")) or (not recurse and "/" in inner):
            continue
        if include and not glob_match(inner, str(include)):
            continue
        if exclude and glob_match(inner, str(exclude)):
            continue
        yield rel


def glob_match(path: str, pattern: str) -> bool:
    """Argo CD directory globs: ``{a,b}`` alternatives; a pattern without ``/`` also
    matches the file name."""
    m = re.match(r"^\{(.*)\}$", pattern)
    alternatives = m.group(1).split(",") if m else [pattern]
    return any(fnmatch.fnmatchcase(path, p) or ("/" not in p and fnmatch.fnmatchcase(PurePosixPath(path).name, p))
               for p in alternatives)


def expand(tree: OutputTree, appset: KubeObject) -> list[AppView]:
    template = mapping(get(appset.data, ("spec", "template", "spec")))
    at = ("spec", "template", "spec")
    views: list[AppView] = []
    for gen in items(get(appset.data, ("spec", "generators"))):
        gen = mapping(gen)
        for folder in git_directories(tree, mapping(gen.get("git"))):
            views.append(AppView(appset, _substitute(template, _folder_vars(folder)), at, generated=True))
        for element in items(get(gen, ("list", "elements"))):
            values = {k: str(v) for k, v in mapping(element).items()}
            views.append(AppView(appset, _substitute(template, _list_vars(values)), at, generated=True))
    return views or [AppView(appset, template, at, generated=True)]


def git_directories(tree: OutputTree, git: dict[str, Any]) -> list[str]:
    """Folders (relative to the project root) a git directory generator yields."""
    if not git:
        return []
    include: list[str] = []
    exclude: list[str] = []
    for entry in items(git.get("directories")):
        entry = mapping(entry)
        (exclude if entry.get("exclude") else include).append(str(entry.get("path", "")))
    found: set[str] = set()
    for pattern in include:
        found.update(directory_matches(tree, pattern))
    return sorted(d for d in found if not any(fnmatch.fnmatchcase(d, p) for p in exclude))


def directory_matches(tree: OutputTree, pattern: str) -> list[str]:
    """Folders of the project a git generator's directory ``pattern`` matches; none for a
    pattern with a ``..`` anywhere (Argo CD refuses a path outside the repository)."""
    pattern = pattern.strip("/")
    if not pattern or ".." in PurePosixPath(pattern).parts:
        return []
    return sorted(p.relative_to(tree.root).as_posix() for p in tree.root.glob(pattern) if p.is_dir())


def _folder_vars(folder: str) -> list[tuple[re.Pattern[str], str]]:
    return [(_BASENAME_VAR, PurePosixPath(folder).name), (_PATH_VAR, folder)]


def _list_vars(values: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(r"\{\{\s*\.?" + re.escape(k) + r"\s*\}\}"), v) for k, v in values.items()]


def _substitute(value: Any, subs: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(value, str):
        for pattern, text in subs:
            value = pattern.sub(text.replace("\\", "\\\\"), value)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, subs) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, subs) for v in value]
    return value
