"""Fuzz the values loader and ``mwgen validate`` for a bounded time (by hand, not CI).

    python bench/fuzz.py [SECONDS]      # default 60

Hypothesis feeds raw bytes (and YAML-ish text built from YAML's own punctuation) to
:func:`mwgen.yamlio.load_mapping`, which may only return a mapping or raise
YAMLInputError; and, as ``values/regions/r1.yaml`` of a copy of the mini fixture, to
``mwgen validate``, which may only exit 0, 1 or 2 with no traceback. Any failure is
printed with its input: turn it into a case under tests/hardening/cases/.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mwgen.yamlio import YAMLInputError, load_mapping  # noqa: E402
from tests.helpers import FIXTURES, copy_project, mwgen  # noqa: E402

PIECES = ["a", "b", ":", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!!str ",
          "!!binary ", "<<: ", "'", '"', "#", "|", ">", "---", "...", "\t", "\ufeff", "1e9",
          "99999999999999999999", ".inf", "~", "null", "?", "%YAML 1.1\n", "\\", "\x85"]
yamlish = st.lists(st.sampled_from(PIECES), max_size=40).map("".join).map(str.encode)
inputs = st.binary(max_size=300) | yamlish


def main(seconds: float) -> int:
    """Rounds of 200 examples each, half the time per target, until time is up."""
    started = time.monotonic()
    common = settings(max_examples=200, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))

    @common
    @given(inputs)
    def loader(raw: bytes) -> None:
        try:
            data, _ = load_mapping(raw, "f.yaml")
        except YAMLInputError:
            return
        assert isinstance(data, dict)

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(FIXTURES / "mini", Path(tmp) / "mini")
        target = root / "values/regions/r1.yaml"

        @common
        @given(inputs)
        def validate(raw: bytes) -> None:
            target.write_bytes(raw)
            result = mwgen("--project", str(root), "validate")
            assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
            assert "Traceback" not in result.stdout + result.stderr
            assert all(line.strip() for line in result.stderr.splitlines())

        rounds = 0
        for test, share in ((loader, 0.5), (validate, 1.0)):
            until = started + seconds * share
            while time.monotonic() < until:
                test()
                rounds += 1
    print(f"fuzzed the loader and mwgen validate for {seconds:.0f}s ({rounds} rounds "
          "of 200 inputs): no crash")
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0))
