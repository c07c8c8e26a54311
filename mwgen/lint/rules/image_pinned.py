"""image.pinned: images say exactly what runs (a tag other than latest, or a digest).

Option ``unpinned_allowed_in``: environments where ``latest``/untagged is fine (none by
default). The environment is the label ``mwgen.io/env`` on the object, else the
``output/<family>/<env>/<region>/`` path; a file outside a target folder is in none.
"""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import containers, get
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import KubeObject

ENV_LABEL = "mwgen.io/env"


def environment(obj: KubeObject) -> str:
    """The object's environment: label ``mwgen.io/env``, else from its output path."""
    labels = get(obj.data, ("metadata", "labels"))
    if isinstance(labels, dict) and labels.get(ENV_LABEL):
        return str(labels[ENV_LABEL])
    return obj.file.env


def image_problem(image: str) -> str | None:
    """Why ``image`` is not pinned, or None. A digest always pins."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image!r} has no tag"
    if last.rsplit(":", 1)[1] == "latest":
        return f"image {image!r} uses the latest tag"
    return None


def check(ctx: Context) -> Iterator[Finding]:
    allowed = set(ctx.options["unpinned_allowed_in"])
    for obj in ctx.objects:
        env = environment(obj)
        if env and env in allowed:
            continue
        for path, c, _pod in containers(obj):
            why = image_problem(str(c.get("image", "")))
            if why:
                where = f" in {env}" if env else ""
                yield Finding(f"{why}{where}", obj, path + ("image",))


RULE = Rule("image.pinned", "a tag must say exactly what runs; latest or untagged drifts",
            check, options={"unpinned_allowed_in": []})
