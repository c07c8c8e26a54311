"""The minimal plain-Jinja2 floor for an mwgen project: what a hand-written script does.

    python bench/floor.py PROJECT OUTDIR

Values read with ``yaml.CSafeLoader`` and merged as plain dicts (defaults, then
environments/ENV, regions/REGION, targets/ENV/REGION; mappings merge, null deletes,
anything else replaces); one ``jinja2.Environment`` (StrictUndefined, every template
compiled once) with mwgen's filters, because the templates call them, except ``to_yaml``,
which is libyaml's dumper here (mwgen's reads its own output back); the rendered text
written as it comes. No provenance, schema, escaping, output parsing, canonical
formatting, manifest or atomic writes: the ratio to this is what mwgen's guarantees cost.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import jinja2
import yaml

from mwgen.render.filters import FILTERS, GLOBALS

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def to_yaml(value: Any) -> str:
    return yaml.dump(value, Dumper=DUMPER, default_flow_style=False,
                     sort_keys=False).rstrip("\n")


def read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=LOADER) or {}


def merged(low: dict[str, Any], high: dict[str, Any]) -> dict[str, Any]:
    result = dict(low)
    for key, value in high.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


class Scope:
    """A target or environment as templates see it (``t.values`` is not ``dict.values``)."""

    def __init__(self, name: str, env: str, region: str, values: dict[str, Any],
                 targets: Any = "") -> None:
        self.name, self.env, self.region, self.values, self.targets = (
            name, env, region, values, targets)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    values_dir, templates_dir = root / "values", root / "templates"
    defaults = read(values_dir / "defaults.yaml")
    envs: dict[str, Scope] = {}
    targets: list[Scope] = []
    for env_file in sorted((values_dir / "environments").glob("*.yaml")):
        env = env_file.stem
        env_values = merged(defaults, read(env_file))
        envs[env] = Scope(env, env, "", env_values, [])
        for region in env_values["environment"]["regions"]:
            values = merged(env_values, read(values_dir / "regions" / f"{region}.yaml"))
            values = merged(values, read(values_dir / "targets" / env / f"{region}.yaml"))
            target = Scope(f"{env}/{region}", env, region, values)
            targets.append(target)
            envs[env].targets.append(target)

    jinja = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)),
                               undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                               auto_reload=False, cache_size=-1)
    jinja.filters.update(FILTERS)
    jinja.filters["to_yaml"] = to_yaml
    jinja.globals.update(GLOBALS)
    folders: set[Path] = set()
    count = 0

    def write(name: str, rel: str, context: dict[str, Any]) -> None:
        nonlocal count
        text = jinja.get_template(name).render(context)
        path = out / rel
        if path.parent not in folders:
            os.makedirs(path.parent, exist_ok=True)
            folders.add(path.parent)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        count += 1

    for template in sorted(templates_dir.rglob("*.j2")):
        rel = template.relative_to(templates_dir)
        if any(part.startswith(("_", ".")) for part in rel.parts[:-1]):
            continue
        name = rel.as_posix()
        dest = name.removesuffix(".j2")
        common = {"template_path": f"templates/{name}"}
        if "{region}" in name:
            for t in targets:
                path = dest.replace("{env}", t.env).replace("{region}", t.region)
                context = dict(common, env=t.env, region=t.region, target=t.name,
                               values=t.values, targets=[t], environments=[envs[t.env]])
                if "{service}" not in name:
                    write(name, path, context)
                    continue
                for service, svc in (t.values.get("services") or {}).items():
                    write(name, path.replace("{service}", service),
                          dict(context, service=dict(svc, name=service)))
        elif "{env}" in name:
            for env, scope in envs.items():
                write(name, dest.replace("{env}", env),
                      dict(common, env=env, values=scope.values, targets=scope.targets,
                           environments=[scope]))
        else:
            write(name, dest, dict(common, values=defaults, targets=targets,
                                   environments=list(envs.values())))
    print(count)


if __name__ == "__main__":
    main()
