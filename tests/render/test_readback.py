"""Every hostile string reads back as itself in every reader real consumers use.

One small project renders the whole corpus (tests/render/corpus.py) into a Kubernetes
Deployment (a container env value), an annotation, a ConfigMap key, Terraform locals
(a string list and a tag map keyed by the strings) and a Grafana-style dashboard
title; each output is then read once per reader: PyYAML, ruamel.yaml in YAML 1.2 mode,
go-yaml v2 (skipped without ``go``), ``terraform console`` (skipped without
``terraform``) and json.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.render import readers
from tests.render.corpus import CORPUS
from tests.render.project import make_project, render_texts

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: readback
  annotations:
{%- for s in values.corpus %}
    mwgen.example/s{{ loop.index0 }}: {{ s }}
{%- endfor %}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
{%- for s in values.corpus %}
            - name: S{{ loop.index0 }}
              value: {{ s }}
{%- endfor %}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: keys
data:
  {{ values.keymap | to_yaml | indent(2) }}
"""

TERRAFORM = """\
locals {
  strings = [
{%- for s in values.corpus %}
    {{ s }},
{%- endfor %}
  ]
  tags = {{ values.tags | hcl }}
}
"""

DASHBOARD = """\
{"title": "readback", "panels": [
{%- for s in values.corpus %}
  {"id": {{ loop.index }}, "title": {{ s }}}{% if not loop.last %},{% endif %}
{%- endfor %}
]}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The corpus rendered through the mwgen engine: output path -> text."""
    data = {"corpus": CORPUS, "tags": {s: f"t{i}" for i, s in enumerate(CORPUS)},
            "keymap": {s: f"s{i}" for i, s in enumerate(CORPUS)}}
    root = make_project(tmp_path_factory.mktemp("readback"), {
        "deployment.yaml.j2": DEPLOYMENT, "main.tf.j2": TERRAFORM,
        "dashboard.json.j2": DASHBOARD}, data)
    return render_texts(root)


def test_the_corpus_is_big_and_hostile() -> None:
    assert len(CORPUS) >= 80 and len(set(CORPUS)) == len(CORPUS)
    assert any(len(s) >= 4000 for s in CORPUS) and "\x00" in CORPUS and "\u2028" in CORPUS


def mismatches(got: list[Any]) -> list[str]:
    """Index, expected and actual of every corpus string that did not read back."""
    assert len(got) == len(CORPUS), f"{len(got)} strings read back, {len(CORPUS)} written"
    return [f"{i}: {want[:60]!r} read back as {have!r:.80}"
            for i, (want, have) in enumerate(zip(CORPUS, got)) if want != have]


def kubernetes_strings(docs: list[Any]) -> dict[str, list[Any]]:
    deployment, configmap = docs
    annotations = deployment["metadata"]["annotations"]
    env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    keys = {value: key for key, value in configmap["data"].items()}
    return {
        "annotation": [annotations[f"mwgen.example/s{i}"] for i in range(len(CORPUS))],
        "env value": [e["value"] for e in env],
        "mapping key": [keys.get(f"s{i}") for i in range(len(CORPUS))],
    }


YAML_READERS: dict[str, Callable[[str], list[Any]]] = {
    "pyyaml": readers.pyyaml,
    "ruamel-1.2": readers.ruamel12,
    "go-yaml-v2": readers.goyaml,
}


@pytest.mark.parametrize("reader", list(YAML_READERS))
def test_kubernetes_yaml_reads_back(reader: str, rendered: dict[str, str]) -> None:
    docs = YAML_READERS[reader](rendered["deployment.yaml"])
    for where, strings in kubernetes_strings(docs).items():
        assert not mismatches(strings), (where, mismatches(strings))


def test_terraform_reads_back(rendered: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(rendered["main.tf"], encoding="utf-8")
    got = readers.terraform_console(tmp_path, "{strings = local.strings, tags = local.tags}")
    assert not mismatches(got["strings"])
    keys = {value: key for key, value in got["tags"].items()}
    assert not mismatches([keys.get(f"t{i}") for i in range(len(CORPUS))])


def test_dashboard_json_reads_back(rendered: dict[str, str]) -> None:
    panels = json.loads(rendered["dashboard.json"])["panels"]
    assert not mismatches([p["title"] for p in panels])


def test_a_string_terraform_would_normalise_is_refused(tmp_path: Path) -> None:
    """Terraform reads strings in NFC: "e" + combining acute would come back as "é"."""
    from mwgen.render.escaping import hcl_string

    decomposed = unicodedata.normalize("NFD", "é")
    with pytest.raises(ValueError, match="NFC"):
        hcl_string(decomposed)
    assert hcl_string("é") == '"é"'
