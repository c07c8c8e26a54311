"""A small shop project in a temporary git repository, with commit dates under control.

Three environments (dev -> staging -> production, production in two regions), two
services (web: rolling; api: blue-green in production), a schema, one template per
service, comments and an anchor in the value files, so every test can assert the
exact bytes a promotion changes.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Callable

import pytest

#: 2026-01-01 00:00 UTC: the first commit of every shop repository.
T0 = 1767225600
HOUR = 3600

FILES = {
    ".gitignore": "output/.mwgen.lock\n",
    "mwgen.yaml": """\
promote:
  version: services.{service}.image.tag
  slot_active: services.{service}.strategy.active
  slot_version: services.{service}.strategy.slots.{slot}.tag
""",
    "values/defaults.yaml": """\
# Shop defaults: every environment starts here.
services:
  web:
    image: {repository: shop/web, tag: v1.0.0}  # the storefront
    replicas: 2

  api:
    image:
      repository: shop/api
      tag: 'v2.0.0'
    replicas: 2
    strategy: {type: rolling}

environment:
  promotion: {soak_hours: 0}
""",
    "values/environments/dev.yaml": """\
# dev: takes every build.
environment:
  name: dev
  regions: [us-east-1]
""",
    "values/environments/staging.yaml": """\
# staging: a day of soak before production.
environment:
  name: staging
  regions: [us-east-1]
  promotion:
    from: dev
    soak_hours: 24   # hours, counted from the commit

defaults: &sizes
  replicas: 3
""",
    "values/environments/production.yaml": """\
# production: two regions; api is blue-green.
environment:
  name: production
  regions: [us-east-1, eu-west-1]
  promotion: {from: staging, approval: manual}

services:
  api:
    replicas: 4
    strategy:
      type: blue-green
      active: blue   # serves traffic
      slots:
        blue: {tag: v2.0.0}
        green: {tag: v2.0.0}
""",
    "values/regions/us-east-1.yaml": "region: {name: us-east-1}\n",
    "values/regions/eu-west-1.yaml": "region: {name: eu-west-1}\n",
    "templates/{env}/{region}/{service}.yaml.j2": """\
kind: Deployment
name: {{ service.name }}
replicas: {{ service.replicas }}
{% if service.strategy is defined and service.strategy.type == "blue-green" %}
active: {{ service.strategy.active }}
image: {{ service.image.repository ~ ":" ~ service.strategy.slots[service.strategy.active].tag }}
preview: {{ service.image.repository ~ ":" ~ service.strategy.slots["green" if service.strategy.active == "blue" else "blue"].tag }}
{% else %}
image: {{ service.image.repository ~ ":" ~ service.image.tag }}
{% endif %}
""",
}

_TAG = {"type": "string", "pattern": "^v[0-9]+\\.[0-9]+\\.[0-9]+(-[a-z0-9.]+)?$"}
_RELEASE = {"type": "string", "pattern": "^v[0-9]+\\.[0-9]+\\.[0-9]+$"}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "services": {"type": "object", "additionalProperties": {
            "type": "object",
            "properties": {
                "image": {"type": "object", "properties": {"tag": _TAG}},
                "strategy": {"type": "object", "properties": {
                    # production slots take release tags only: no -rc
                    "slots": {"type": "object", "additionalProperties": {
                        "type": "object", "properties": {"tag": _RELEASE}}}}},
            }}},
    },
}


def git(root: Path, *args: str, when: int | None = None) -> str:
    env = dict(os.environ)
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    proc = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout


class Shop:
    """The repository and helpers to change it as people would."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text()

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert text.count(old) == 1, (rel, old)
        (self.root / rel).write_text(text.replace(old, new))

    def commit(self, message: str, when: int) -> str:
        from mwgen.cli import main
        from click.testing import CliRunner

        result = CliRunner().invoke(main, ["--project", str(self.root), "render"])
        assert result.exit_code == 0, result.output
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message, when=when)
        return git(self.root, "rev-parse", "HEAD").strip()

    def snapshot(self) -> dict[str, bytes]:
        return {p.relative_to(self.root).as_posix(): p.read_bytes()
                for p in sorted(self.root.rglob("*"))
                if p.is_file() and ".git" not in p.relative_to(self.root).parts}

    def status(self) -> str:
        return git(self.root, "status", "--porcelain")


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    root = tmp_path / "shop"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "schemas").mkdir()
    (root / "schemas" / "values.schema.json").write_text(json.dumps(SCHEMA, indent=2))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    project = Shop(root)
    project.commit("chore: the shop", T0)
    return project


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the gates' clock to an absolute time (seconds since the epoch)."""
    import mwgen.promote.gates as gates

    def set_now(when: int) -> None:
        monkeypatch.setattr(gates, "clock", lambda: float(when))

    return set_now
