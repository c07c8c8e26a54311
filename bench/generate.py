"""Generate a large project from the bundled one: the same targets, N services.

    python bench/generate.py DEST --services 500

Services are clones of the bundled ones (same values shape, new names), so every
template renders for every service exactly as in the real project.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def generate(dest: Path, services: int) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    for part in ("values", "templates", "schemas"):
        shutil.copytree(ROOT / part, dest / part)
    defaults_path = dest / "values" / "defaults.yaml"
    defaults = yaml.safe_load(defaults_path.read_text())
    originals = list(defaults["services"].items())
    # Keep the bundled services (environment files override them), add clones.
    for i in range(len(originals), services):
        name, svc = originals[i % len(originals)]
        clone = yaml.safe_load(yaml.safe_dump(svc))
        clone["strategy"] = {"type": "rolling"}
        clone["public_host"] = None
        defaults["services"][f"{name}-{i:04d}"] = {k: v for k, v in clone.items()
                                                    if v is not None}
    defaults_path.write_text(yaml.safe_dump(defaults, sort_keys=False))
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--services", type=int, default=500)
    args = parser.parse_args()
    generate(args.dest, args.services)
    print(f"generated {args.dest} with {args.services} services")


if __name__ == "__main__":
    main()
