"""``mwgen schemas fetch``: pinned files from a mirror, verified by sha256, into the cache.

No network here: the mirror is a ``file://`` folder or an HTTP server on 127.0.0.1,
laid out like raw.githubusercontent.com. With the team's reference folder beside the
checkout, the mirror holds the real upstream files; a tiny self-made pin runs always.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mwgen.cli import main
from mwgen.lint import lint_output
from mwgen.schemafetch import PINS, Pin, fetch_all
from mwgen.schemastore import cache_root
from tests.lint.conftest import CASES, REFERENCE, TARGET_DIR, isolate


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)  # as in tests/lint/: a cache and environment of its own


def mirror_of_reference(base: Path) -> Path:
    """A raw.githubusercontent.com-like tree of every pinned file, from the reference copy."""
    if not (REFERENCE / "crd-schemas").is_dir():
        pytest.skip("../shared/reference is not beside this checkout")
    for pin in PINS:
        source = REFERENCE / pin.store_as
        target = base / pin.repo / pin.commit / pin.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return base


def tiny_pin(base: Path, data: bytes, *, recorded: bytes | None = None) -> Pin:
    """A self-made upstream file in ``base``, pinned to the hash of ``recorded``."""
    pin = Pin("example/schemas", "0" * 40, "example.org/widget_v1.json",
              hashlib.sha256(data if recorded is None else recorded).hexdigest(),
              "crd-schemas/example.org/widget_v1.json")
    target = base / pin.repo / pin.commit / pin.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return pin


@pytest.fixture
def http_base(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1; yields (folder, base URL)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def test_a_matching_file_is_stored_and_then_found_in_the_cache(tmp_path: Path) -> None:
    data = b'{"type": "object"}\n'
    pin = tiny_pin(tmp_path / "mirror", data)
    (outcome,) = fetch_all(base=(tmp_path / "mirror").as_uri(), pins=(pin,))
    assert outcome.status == "stored"
    assert (cache_root() / pin.store_as).read_bytes() == data
    (again,) = fetch_all(base=(tmp_path / "mirror").as_uri(), pins=(pin,))
    assert again.status == "present"


def test_a_file_with_the_wrong_hash_is_refused_and_not_stored(tmp_path: Path) -> None:
    pin = tiny_pin(tmp_path / "mirror", b'{"tampered": true}\n', recorded=b'{"type": "object"}\n')
    (outcome,) = fetch_all(base=(tmp_path / "mirror").as_uri(), pins=(pin,))
    assert outcome.status == "failed"
    assert "does not match the pinned" in outcome.message and "not stored" in outcome.message
    assert not (cache_root() / pin.store_as).exists()


def test_a_wrong_hash_does_not_replace_a_good_cached_file(tmp_path: Path) -> None:
    good = b'{"type": "object"}\n'
    pin = tiny_pin(tmp_path / "good", good)
    fetch_all(base=(tmp_path / "good").as_uri(), pins=(pin,))
    (cache_root() / pin.store_as).write_bytes(b"truncated")  # a damaged cache entry
    tiny_pin(tmp_path / "bad", b"evil", recorded=good)
    (outcome,) = fetch_all(base=(tmp_path / "bad").as_uri(), pins=(pin,))
    assert outcome.status == "failed"
    assert (cache_root() / pin.store_as).read_bytes() == b"truncated"


def test_fetch_over_http_from_127_0_0_1(http_base: tuple[Path, str]) -> None:
    folder, url = http_base
    data = b'{"type": "object", "required": ["spec"]}\n'
    pin = tiny_pin(folder, data)
    missing = Pin(pin.repo, pin.commit, "example.org/gadget_v1.json", pin.sha256,
                  "crd-schemas/example.org/gadget_v1.json")
    stored, failed = fetch_all(base=url, pins=(pin, missing))
    assert stored.status == "stored" and (cache_root() / pin.store_as).read_bytes() == data
    assert failed.status == "failed" and "cannot download: HTTP 404" in failed.message


def test_every_pinned_upstream_file_verifies_and_lint_then_uses_the_cache(tmp_path: Path,
                                                                          make_project) -> None:
    base = mirror_of_reference(tmp_path / "mirror")
    outcomes = fetch_all(base=base.as_uri())
    assert [o.status for o in outcomes] == ["stored"] * len(PINS)
    bad = (CASES / "schema/bad/argocd-application-typo.yaml").read_text()
    root = make_project({f"{TARGET_DIR}/app.yaml": bad})
    result = lint_output(root, validator="builtin")
    assert result.schema_sources["argoproj.io/v1alpha1 Application"]["source"] == "cache"
    assert any("'syncPolicyy' was unexpected" in p.message for p in result.problems)


def test_upstream_served_over_http(http_base: tuple[Path, str]) -> None:
    folder, url = http_base
    mirror_of_reference(folder)
    assert {o.status for o in fetch_all(base=url)} == {"stored"}


def test_cli_exit_codes_and_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["schemas", "fetch", "--base-url", empty.as_uri()])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == len(PINS) + 1 and "Traceback" not in result.output
    assert lines[0].startswith("mwgen schemas fetch: file://") and "cannot download" in lines[0]
    assert lines[-1].startswith(f"schemas fetch: {len(PINS)} pinned files, 0 stored, "
                                f"0 already cached, {len(PINS)} failed")
    # the base URL also comes from the environment
    monkeypatch.setenv("MWGEN_SCHEMA_BASE_URL", (tmp_path / "elsewhere").as_uri())
    result = CliRunner().invoke(main, ["schemas", "fetch"])
    assert "/elsewhere/datreeio/CRDs-catalog/" in result.output


def test_cli_fetches_the_reference_mirror(tmp_path: Path) -> None:
    base = mirror_of_reference(tmp_path / "mirror")
    result = CliRunner().invoke(main, ["schemas", "fetch", "--base-url", base.as_uri()])
    assert result.exit_code == 0, result.output
    assert "stored: crd-schemas/argoproj.io/application_v1alpha1.json" in result.output
    assert "stored: grafana/jsonschema/dashboard.jsonschema.json" in result.output
