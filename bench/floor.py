"""The plain-Jinja2 floor: the same templates and contexts, one loop, no checks.

    python bench/floor.py PROJECT OUTDIR

What a hand-written script would do: a stock Environment (StrictUndefined), render
every template for every scope and write the text as it comes, with no escaping,
parsing, canonical formatting, manifest or atomic writes. Contexts come from mwgen's
own builder so both sides render identical templates with identical data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from mwgen.project import load_project
from mwgen.render.engine import Renderer
from mwgen.render.filters import FILTERS


def main() -> None:
    project = load_project(Path(sys.argv[1]), search=False)
    out = Path(sys.argv[2])
    env = Environment(loader=FileSystemLoader(str(project.templates_dir)),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    renderer = Renderer(project)
    plan, _ = renderer.plan(project.targets())
    for job in plan:
        text = env.get_template(job.spec.name).render(renderer.context(job))
        path = out / job.output
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    print(len(plan))


if __name__ == "__main__":
    main()
