"""``mwgen schemas fetch``: reports each outcome of mwgen.schemafetch.fetch_all (stored and
present on stdout, failures on stderr) and exits 1 when any pin failed. No network: the
library runs on a tiny self-made pin in a ``file://`` mirror."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen import schemafetch
from mwgen.schemafetch import Outcome, Pin, fetch_all
from mwgen.schemastore import cache_root
from tests.helpers import mwgen
from tests.test_schemafetch import tiny_pin

DATA = b'{"type": "object"}\n'


def _only(monkeypatch: pytest.MonkeyPatch, *pins: Pin) -> list[str | None]:
    """Make the command fetch ``pins`` instead of the real ones; record the base it asks."""
    bases: list[str | None] = []

    def fetch(*, base: str | None = None) -> list[Outcome]:
        bases.append(base)
        return fetch_all(base=base, pins=pins)

    monkeypatch.setattr(schemafetch, "fetch_all", fetch)
    return bases


def test_stored_then_present_exit_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pin = tiny_pin(tmp_path / "mirror", DATA)
    bases = _only(monkeypatch, pin)
    base = (tmp_path / "mirror").as_uri()
    first = mwgen("schemas", "fetch", "--base-url", base)
    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == (f"stored: {pin.store_as}\nschemas fetch: 1 pinned files, 1 stored, "
                            f"0 already cached, 0 failed (cache: {cache_root()})\n")
    assert (cache_root() / pin.store_as).read_bytes() == DATA
    again = mwgen("schemas", "fetch", "--base-url", base)
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == f"present: {pin.store_as}"
    assert "0 stored, 1 already cached, 0 failed" in again.stdout
    assert bases == [base, base]


def test_a_failed_pin_is_a_line_on_stderr_and_exit_1(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    good = tiny_pin(tmp_path / "mirror", DATA)
    bad = Pin(good.repo, good.commit, "example.org/gadget_v1.json", good.sha256,
              "crd-schemas/example.org/gadget_v1.json")
    _only(monkeypatch, good, bad)
    result = mwgen("schemas", "fetch", "--base-url", (tmp_path / "mirror").as_uri())
    assert result.exit_code == 1
    assert result.stdout == f"stored: {good.store_as}\n"
    failure, summary = result.stderr.splitlines()
    assert failure.startswith(f"mwgen schemas fetch: {bad.url((tmp_path / 'mirror').as_uri())}"
                              ": cannot download: ")
    assert summary.startswith("schemas fetch: 2 pinned files, 1 stored, 0 already cached, "
                              "1 failed (cache: ")
    assert not (cache_root() / bad.store_as).exists()


def test_without_base_url_the_library_chooses(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    """The command passes no default of its own: fetch_all reads $MWGEN_SCHEMA_BASE_URL."""
    pin = tiny_pin(tmp_path / "mirror", DATA)
    bases = _only(monkeypatch, pin)
    monkeypatch.setenv("MWGEN_SCHEMA_BASE_URL", (tmp_path / "mirror").as_uri())
    result = mwgen("schemas", "fetch")
    assert result.exit_code == 0, result.stderr
    assert bases == [None] and result.stdout.startswith(f"stored: {pin.store_as}\n")


def test_the_group_alone_shows_its_commands() -> None:
    result = mwgen("schemas")
    assert result.exit_code == 2  # click: a group needs a command
    assert "fetch  Download the pinned Argo CD, Flagger, Istio and Grafana" in result.output
    assert mwgen("schemas", "pull").exit_code == 2
