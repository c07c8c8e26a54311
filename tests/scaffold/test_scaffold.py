"""mwgen.scaffold as a library call: which files ``project_files`` holds, and
``init_project`` writing all of them or (when any exists) none, saying which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mwgen
from mwgen.project import load_project
from mwgen.render.engine import render
from mwgen.scaffold import LAYER_SCHEMA, SOURCE, InitResult, init_project, project_files
from mwgen.valuesdoc import layer_schema

REFUSAL = "already exists: not overwritten (mwgen init writes nothing when any of its files exists)"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_project_files_are_the_package_data_with_dotfiles_named() -> None:
    files = project_files()
    assert list(files) == sorted(files)
    assert {".gitignore", ".pre-commit-config.yaml", ".github/workflows/mwgen.yaml",
            "mwgen.yaml", "values/defaults.yaml", "schemas/values.schema.json",
            LAYER_SCHEMA} <= set(files)
    assert not any(part.startswith("dot-") or part == "__pycache__"
                   for rel in files for part in rel.split("/"))
    sources = {p.relative_to(SOURCE).as_posix() for p in SOURCE.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert len(files) == len(sources) + 1  # every source file, plus the derived layer schema


def test_the_version_placeholder_becomes_the_running_version() -> None:
    files = project_files()
    assert all(b"@MWGEN_VERSION@" not in content for content in files.values())
    assert f"rev: v{mwgen.__version__}".encode() in files[".pre-commit-config.yaml"]
    assert f"mwgen[lint]=={mwgen.__version__}".encode() in files[".github/workflows/mwgen.yaml"]


def test_the_layer_schema_is_derived_from_the_values_schema() -> None:
    files = project_files()
    derived = json.loads(files[LAYER_SCHEMA])
    assert derived == layer_schema(json.loads(files["schemas/values.schema.json"]),
                                   "schemas/values.schema.json")
    assert files[LAYER_SCHEMA].endswith(b"\n")


def test_project_files_are_the_same_bytes_every_time() -> None:
    assert project_files() == project_files()


def test_init_writes_every_file_into_a_new_folder(tmp_path: Path) -> None:
    result = init_project(tmp_path / "a" / "hello", "a/hello")
    files = project_files()
    assert result == InitResult(written=tuple(f"a/hello/{rel}" for rel in files))
    assert tree(tmp_path / "a" / "hello") == files


@pytest.mark.parametrize("display, prefix", [(".", ""), ("", ""), ("here/", "here/")])
def test_the_display_name_prefixes_what_is_reported(tmp_path: Path, display: str,
                                                    prefix: str) -> None:
    result = init_project(tmp_path, display)
    assert result.written[0] == prefix + next(iter(project_files()))
    again = init_project(tmp_path, display)
    assert again.written == ()
    assert [p.format() for p in again.refused] == [f"{prefix}{rel}: {REFUSAL}"
                                                   for rel in project_files()]


def test_one_existing_file_refuses_the_whole_init(tmp_path: Path) -> None:
    (tmp_path / "values").mkdir()
    (tmp_path / "values" / "defaults.yaml").write_text("mine: 1\n")
    (tmp_path / "notes.txt").write_text("not the scaffold's\n")
    result = init_project(tmp_path, "app")
    assert result.written == ()
    assert [p.format() for p in result.refused] == [f"app/values/defaults.yaml: {REFUSAL}"]
    assert tree(tmp_path) == {"notes.txt": b"not the scaffold's\n",
                              "values/defaults.yaml": b"mine: 1\n"}


def test_a_dangling_symlink_counts_as_existing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").symlink_to(tmp_path / "nowhere")
    result = init_project(tmp_path, ".")
    assert [p.file for p in result.refused] == [".gitignore"]
    assert not (tmp_path / "nowhere").exists() and not (tmp_path / "values").exists()


def test_the_written_project_renders(tmp_path: Path) -> None:
    init_project(tmp_path, ".")
    rendered = render(load_project(tmp_path, search=False))
    assert {path.split("/")[0] for path in rendered.files} == {"k8s", "argocd", "grafana",
                                                               "terraform"}
