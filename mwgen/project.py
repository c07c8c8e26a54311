"""A mwgen project on disk: where things are, which targets exist, their values.

A project is a folder holding ``values/defaults.yaml``. Environments are the files
``values/environments/ENV.yaml``; each lists its regions under
``environment.regions``; a target is one ``ENV/REGION``. Value files are read once
per :class:`Project` and shared by every target that layers them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mwgen.config import CONFIG_FILE, ProjectConfig, load_config
from mwgen.errors import InputError, Problem, ProjectNotFound, UsageError
from mwgen.values import Layer, MergedValues, layer_all, parse_set
from mwgen.yamlio import load_mapping

MARKER = Path("values") / "defaults.yaml"


@dataclass(frozen=True, order=True, slots=True)
class Target:
    """One environment in one region, written ``ENV/REGION``."""

    env: str
    region: str

    @property
    def name(self) -> str:
        return f"{self.env}/{self.region}"

    def __str__(self) -> str:
        return self.name


def find_root(start: Path, *, search: bool = True) -> Path:
    """The project folder: ``start`` itself, or (``search``) its nearest ancestor."""
    start = start.resolve()
    candidates = [start, *start.parents] if search else [start]
    for folder in candidates:
        if (folder / MARKER).is_file():
            return folder
    where = f"in {start} or any parent folder" if search else f"in {start}"
    raise ProjectNotFound(f"mwgen: no project found {where} (looked for {MARKER})")


def load_project(start: str | Path = ".", *, search: bool = True,
                 overrides: Sequence[str] = (), extra_files: Sequence[str | Path] = ()
                 ) -> Project:
    """Open the project at (or, with ``search``, above) ``start``."""
    return Project(find_root(Path(start), search=search), overrides=overrides,
                   extra_files=extra_files)


def target_matches(name: str, patterns: Iterable[str]) -> bool:
    """Whether target ``name`` (``ENV/REGION``) matches any ``-t`` glob, case-sensitively
    (``production/*``; ``*`` also crosses the ``/``). The one target matcher: select,
    lint and diff all ask it."""
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


class Project:
    """Paths, targets and merged values of one project."""

    def __init__(self, root: Path, *, overrides: Sequence[str] = (),
                 extra_files: Sequence[str | Path] = ()) -> None:
        self.root = root
        self.config: ProjectConfig = load_config(root)
        self.values_dir = root / "values"
        self.templates_dir = root / "templates"
        self.schemas_dir = root / "schemas"
        self.output_dir = self.config.output_dir
        self.overrides = tuple(overrides)
        self.extra_files = tuple(Path(f) for f in extra_files)
        self._layers: dict[Path, Layer | None] = {}
        self._set_layer = parse_set(self.overrides) if self.overrides else None
        self._targets: list[Target] | None = None
        self._merged: dict[tuple[str | None, str | None], MergedValues] = {}
        self._prefixes: dict[tuple[int, ...], Any] = {}  # merges shared between scopes

    # -- files ----------------------------------------------------------------
    def rel(self, path: Path) -> str:
        """``path`` as shown to users: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def layer(self, path: Path, *, required: bool = False) -> Layer | None:
        """The parsed value file at ``path`` (cached); None when it does not exist."""
        if path not in self._layers:
            display = self.rel(path)
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                if required:
                    raise InputError(file=display, message="file not found") from None
                self._layers[path] = None
                return None
            except IsADirectoryError:
                raise InputError(file=display, message="is a folder, not a values file") from None
            data, prov = load_mapping(raw, display)  # YAMLInputError is an InputError
            self._layers[path] = Layer(display, data, prov)
        return self._layers[path]

    def env_file(self, env: str) -> Path:
        return self.values_dir / "environments" / f"{env}.yaml"

    def region_file(self, region: str) -> Path:
        return self.values_dir / "regions" / f"{region}.yaml"

    def target_file(self, target: Target) -> Path:
        return self.values_dir / "targets" / target.env / f"{target.region}.yaml"

    # -- targets --------------------------------------------------------------
    def environments(self) -> list[str]:
        folder = self.values_dir / "environments"
        return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []

    def targets(self) -> list[Target]:
        """Every ENV/REGION, in environment then listed-region order."""
        if self._targets is None:
            self._targets = [t for env in self.environments() for t in self._env_targets(env)]
        return list(self._targets)

    def _env_targets(self, env: str) -> list[Target]:
        layer = self.layer(self.env_file(env), required=True)
        assert layer is not None
        environment = layer.data.get("environment")
        regions = environment.get("regions") if isinstance(environment, dict) else None
        where = layer.prov.at(("environment", "regions")).origin
        if not isinstance(regions, list) or not regions:
            raise InputError(file=layer.name, line=where.line, column=where.column,
                             path="environment.regions",
                             message="an environment must list its regions (a non-empty list)")
        out: list[Target] = []
        for i, region in enumerate(regions):
            item = layer.prov.at(("environment", "regions", i)).origin
            if not isinstance(region, str) or not region or "/" in region or region.startswith("."):
                raise InputError(file=layer.name, line=item.line, column=item.column,
                                 path=f"environment.regions[{i}]",
                                 message=f"{region!r} is not a region name")
            if not self.region_file(region).is_file():
                raise InputError(file=layer.name, line=item.line, column=item.column,
                                 path=f"environment.regions[{i}]",
                                 message=f"region '{region}' has no values file "
                                         f"{self.rel(self.region_file(region))}")
            out.append(Target(env, region))
        return out

    def select(self, patterns: Iterable[str]) -> list[Target]:
        """Targets matching ``-t`` patterns (globs such as ``production/*``)."""
        patterns = list(patterns)
        every = self.targets()
        if not patterns:
            return every
        chosen: list[Target] = []
        for pattern in patterns:
            hits = [t for t in every if target_matches(t.name, [pattern])]
            if not hits:
                known = ", ".join(t.name for t in every)
                raise UsageError(f"mwgen: no target matches '{pattern}' (targets: {known})")
            chosen.extend(t for t in hits if t not in chosen)
        return sorted(chosen, key=every.index)

    def target(self, name: str) -> Target:
        env, sep, region = name.partition("/")
        wanted = Target(env, region)
        if sep and wanted in self.targets():
            return wanted
        known = ", ".join(t.name for t in self.targets())
        raise UsageError(f"mwgen: unknown target '{name}' (targets: {known})")

    # -- values ---------------------------------------------------------------
    def layers_for(self, env: str | None = None, region: str | None = None) -> list[Layer]:
        """The layers of a scope, lowest first: defaults, env, region, target, -f, --set."""
        found: list[Layer | None] = [self.layer(self.values_dir / "defaults.yaml", required=True)]
        if env is not None:
            found.append(self.layer(self.env_file(env), required=True))
        if env is not None and region is not None:
            found.append(self.layer(self.region_file(region), required=True))
            found.append(self.layer(self.target_file(Target(env, region))))
        found.extend(self.layer(f if f.is_absolute() else Path.cwd() / f, required=True)
                     for f in self.extra_files)
        if self._set_layer is not None:
            found.append(self._set_layer)
        return [layer for layer in found if layer is not None]

    def values(self, target: Target | str | None = None, *, env: str | None = None
               ) -> MergedValues:
        """Merged values of a target, of an environment (``env=``), or the defaults.

        Computed once per scope and shared: treat the result as read-only.
        """
        if isinstance(target, str):
            target = self.target(target)
        key = (target.env, target.region) if target is not None else (env, None)
        if key not in self._merged:
            self._merged[key] = layer_all(self.layers_for(*key), self._prefixes)
        return self._merged[key]

    def files_feeding(self, files: Iterable[str | Path]) -> list[Target]:
        """Targets whose values any of ``files`` feeds (all for defaults, mwgen.yaml or
        the schema).

        A file that feeds no target (an environment that does not exist, a region no
        environment lists, a file outside ``values/``) is an :class:`InputError`: the
        pre-commit hook must not pass a value file that nothing reads.
        """
        every = self.targets()
        chosen: set[Target] = set()
        for f in files:
            path = Path(f)
            path = (path if path.is_absolute() else Path.cwd() / path).resolve()
            hits = self._fed_by(path, every)
            if not hits:
                raise InputError(file=self.rel(path), message=self._why_feeds_nothing(path))
            chosen.update(hits)
        return [t for t in every if t in chosen]

    def _fed_by(self, path: Path, every: list[Target]) -> list[Target]:
        try:
            parts = path.relative_to(self.root.resolve()).parts
        except ValueError:
            return []
        schema = self.config.schema_file
        if parts in (MARKER.parts, (CONFIG_FILE,)) or (
                schema is not None and schema.parent.resolve() in path.parents):
            return every
        stem = Path(parts[-1]).stem if parts else ""
        if parts[:2] == ("values", "environments") and len(parts) == 3:
            return [t for t in every if t.env == stem]
        if parts[:2] == ("values", "regions") and len(parts) == 3:
            return [t for t in every if t.region == stem]
        if parts[:2] == ("values", "targets") and len(parts) == 4:
            return [t for t in every if (t.env, t.region) == (parts[2], stem)]
        return []

    def _why_feeds_nothing(self, path: Path) -> str:
        try:
            parts = path.relative_to(self.root.resolve()).parts
        except ValueError:
            return "is outside the project, so it feeds no target"
        stem = Path(parts[-1]).stem if parts else ""
        envs = ", ".join(self.environments())
        if parts[:2] == ("values", "environments") and len(parts) == 3:
            return f"feeds no target (environment '{stem}' lists no region)"
        if parts[:2] == ("values", "regions") and len(parts) == 3:
            return f"feeds no target: no environment lists region '{stem}'"
        if parts[:2] == ("values", "targets") and len(parts) == 4:
            if parts[2] not in self.environments():
                return f"feeds no target: there is no environment '{parts[2]}' ({envs})"
            return f"feeds no target: environment '{parts[2]}' does not list region '{stem}'"
        return ("feeds no target (value files are values/defaults.yaml, "
                "values/environments/ENV.yaml, values/regions/REGION.yaml, "
                "values/targets/ENV/REGION.yaml)")

    def validate(self, targets: Sequence[Target] | None = None) -> list[Problem]:
        """Schema problems of every given target (all by default), each reported once."""
        from mwgen.schema import validate_targets

        return validate_targets(self, self.targets() if targets is None else list(targets))

