"""mwgen: render a validated, deterministic GitOps tree from layered value files.

The library API (the CLI only wraps it)::

    from mwgen import load_project

    project = load_project(".")          # finds values/, templates/, schemas/
    for target in project.targets():     # [Target('dev/us-east-1'), ...]
        merged = project.values(target)  # MergedValues: .data and .origin(path)
    problems = project.validate()        # list[Problem]; empty when all is well
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load_project",
    "Project",
    "Target",
    "Problem",
    "MwgenError",
]


def __getattr__(name: str) -> object:
    # Lazy: `mwgen --help` must not pay for importing jsonschema and jinja2.
    if name in ("load_project", "Project", "Target"):
        from mwgen import project

        return getattr(project, name)
    if name in ("Problem", "MwgenError"):
        from mwgen import errors

        return getattr(errors, name)
    raise AttributeError(name)
