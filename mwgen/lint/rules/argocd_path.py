"""argocd.path: Application source paths and ApplicationSet directories exist.

Option ``repo_urls``: the URLs of this repository; sources from other repositories are
not checked. Empty (the default): every path source is taken to be this repository.
"""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.argocd import directory_matches, local_path
from mwgen.lint.relations.k8s import get, items, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    repos = tuple(ctx.options["repo_urls"])
    root = ctx.tree.root
    for app in ctx.argocd().apps:
        if app.generated:
            continue
        for path, src in app.sources():
            folder = local_path(src, repos)
            if folder is None:
                continue
            if ".." in folder.split("/"):  # Argo CD refuses paths that leave the repository
                yield Finding(f"source path {folder} leaves the repository ('..'): Argo CD "
                              "refuses it", app.obj, path + ("path",))
                continue
            where = root / folder
            if not where.is_dir() or not any(p.suffix in (".yaml", ".yml", ".json")
                                             for p in where.rglob("*") if p.is_file()):
                yield Finding(f"source path {folder} has no manifests in this repository",
                              app.obj, path + ("path",))
    for obj in ctx.objects:
        if obj.kind != "ApplicationSet":
            continue
        for i, gen in enumerate(items(get(obj.data, ("spec", "generators")))):
            git = mapping(mapping(gen).get("git"))
            if repos and git.get("repoURL") not in repos:
                continue
            for j, entry in enumerate(items(git.get("directories"))):
                entry = mapping(entry)
                if entry.get("exclude") or not entry.get("path"):
                    continue
                if not directory_matches(ctx.tree, str(entry["path"])):
                    yield Finding(f"directory {entry['path']} matches no folder of this repository",
                                  obj, ("spec", "generators", i, "git", "directories", j, "path"))


RULE = Rule("argocd.path", "an Application on a path that does not exist syncs nothing (or prunes all)",
            check, options={"repo_urls": []})
