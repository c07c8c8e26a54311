"""argocd.project: an Application's AppProject exists and allows its sources and destination.

The AppProject is looked up by name among the rendered objects; ``default`` and projects
declared in ``lint.external.AppProject`` are taken as allowing everything.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Iterator

from mwgen.lint.relations.k8s import get, items, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def allowed(value: str, patterns: list[Any]) -> bool:
    ok = False
    for p in (str(x) for x in patterns):
        if p.startswith("!"):
            if fnmatch.fnmatchcase(value, p[1:]):
                return False
        elif fnmatch.fnmatchcase(value, p):
            ok = True
    return ok


def destination_allowed(dest: dict[str, Any], entries: list[Any]) -> bool:
    ns = str(dest.get("namespace", ""))
    for entry in entries:
        entry = mapping(entry)
        server_ok = ("server" in dest and fnmatch.fnmatchcase(str(dest["server"]), str(entry.get("server", "")))) \
            or ("name" in dest and fnmatch.fnmatchcase(str(dest["name"]), str(entry.get("name", ""))))
        if server_ok and fnmatch.fnmatchcase(ns, str(entry.get("namespace", ""))):
            return True
    return False


def check(ctx: Context) -> Iterator[Finding]:
    projects = {o.name: o for o in ctx.objects if o.kind == "AppProject"}
    seen: set[tuple[int, str]] = set()
    for app in ctx.argocd().apps:
        name = str(app.spec.get("project", "default"))
        if "{{" in name or name == "default" or ctx.is_external("AppProject", name):
            continue
        project = projects.get(name)
        if project is None:
            key = (id(app.obj), "project")
            if key not in seen:
                seen.add(key)
                yield Finding(f"AppProject {name!r} does not exist (nor in lint.external)",
                              app.obj, app.at + ("project",))
            continue
        spec = mapping(project.data.get("spec"))
        dest = mapping(app.spec.get("destination"))
        if dest and "{{" not in str(dest) and not destination_allowed(dest, items(spec.get("destinations"))):
            key = (id(app.obj), "dest" + str(dest))
            if key not in seen:
                seen.add(key)
                yield Finding(f"destination {dest.get('server', dest.get('name'))} namespace "
                              f"{dest.get('namespace', '')!r} is not allowed by AppProject {name}",
                              app.obj, app.at + ("destination",))
        for path, src in app.sources():
            repo = str(src.get("repoURL", ""))
            if repo and "{{" not in repo and not allowed(repo, items(spec.get("sourceRepos"))):
                key = (id(app.obj), "repo" + repo)
                if key not in seen:
                    seen.add(key)
                    yield Finding(f"repoURL {repo} is not in AppProject {name}'s sourceRepos",
                                  app.obj, path + ("repoURL",))


RULE = Rule("argocd.project", "Argo CD refuses to sync what the Application's project does not allow",
            check)
