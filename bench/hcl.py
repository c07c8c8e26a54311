"""HCL formatting and parse-check speed on the bundled project's Terraform output.

    python bench/hcl.py [--repeat 20]

Times mwgen.hcl (Terraform's tokenizer, parser and formatter in Python) over every
committed ``.tf``/``.tfvars`` file, next to python-hcl2's parse of the same files (what
the parse check used before). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    files = sorted((ROOT / "output" / "terraform").rglob("*.tf")) + sorted(
        (ROOT / "output" / "terraform").rglob("*.tfvars"))
    texts = [p.read_text() for p in files]
    lines = sum(t.count("\n") for t in texts)

    from mwgen.hcl import check_hcl, format_hcl

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for text in texts:
                fn(text)
            times.append(time.perf_counter() - start)
        return min(times)

    print(f"{len(files)} files, {lines} lines, best of {args.repeat}")
    print(f"mwgen.hcl parse check      {best(check_hcl) * 1000:8.1f} ms")
    print(f"mwgen.hcl format (+check)  {best(format_hcl) * 1000:8.1f} ms")
    import hcl2

    print(f"python-hcl2 loads          {best(hcl2.loads) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
