"""``mwgen schemas fetch``: the pinned upstream schemas, downloaded and verified.

mwgen names each upstream file it knows by repository, commit and path, with the
sha256 of its bytes at that commit. A download whose bytes hash to anything else is
refused and nothing is stored, so the cache only ever holds the exact files the
pins name. Files are fetched from ``BASE_URL/<owner>/<repo>/<commit>/<path>`` (the
layout of raw.githubusercontent.com); the base is configurable (``--base-url`` or
``$MWGEN_SCHEMA_BASE_URL``) for mirrors, ``file://`` folders and tests.

Pins (each file's bytes checked against the team's reference copies):

- ``datreeio/CRDs-catalog`` @ ``7b1e26ef`` (MIT): Argo CD 3.5.0 CRDs, Flagger 1.42.0,
  Istio networking CRDs (v1, v1beta1 and v1alpha3 are the same file).
- ``grafana/grafana-foundation-sdk`` @ ``f178d5a4`` (Apache-2.0): the classic (v1)
  dashboard JSON Schema.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from mwgen.cache import write_atomic
from mwgen.schemastore import CRD_DIR, DASHBOARD, cache_root

BASE_URL_ENV = "MWGEN_SCHEMA_BASE_URL"
DEFAULT_BASE_URL = "https://raw.githubusercontent.com"
CATALOG = ("datreeio/CRDs-catalog", "7b1e26ef9deea49293714d204c1a2270aab1178f")
GRAFANA_SDK = ("grafana/grafana-foundation-sdk", "f178d5a42a8915fdda9235e97ad93881e3f94fef")
MAX_BYTES = 16 * 1024 * 1024  # the largest pinned file is 2 MB


@dataclass(frozen=True)
class Pin:
    """One upstream file: where it lives, its hash, and where the cache keeps it."""

    repo: str
    commit: str
    path: str  # inside the repository
    sha256: str
    store_as: str  # relative to the cache's schema root

    def url(self, base: str) -> str:
        return f"{base.rstrip('/')}/{self.repo}/{self.commit}/{self.path}"


def _crd(group: str, name: str, sha256: str) -> Pin:
    return Pin(CATALOG[0], CATALOG[1], f"{group}/{name}", sha256, f"{CRD_DIR}/{group}/{name}")


_ISTIO = {"virtualservice": "ea15f5cb9aecbddaf722a05b0c2897381e8fd1d376fcaa0d4439d2de1f1c9264",
          "destinationrule": "332a84cc29b45551d9aa6d4282c108c4d99ff6d4fa62848ad74221226737b691",
          "gateway": "1982366d33fe713f3f822ac01e141404a0a8f0635defddf4c78e272e9ece055b"}

PINS: tuple[Pin, ...] = (
    _crd("argoproj.io", "application_v1alpha1.json",
         "99c37877b0626eaf21f42f70f4fc432a4b820de548d88ed90cc75381adf5192c"),
    _crd("argoproj.io", "applicationset_v1alpha1.json",
         "8377e243914da95a594f772f002e0609856f657ec2bb483b99e57e8c3679ae71"),
    _crd("argoproj.io", "appproject_v1alpha1.json",
         "5b3f7b75f59e5821d06cedc6b0667b3f5a0d5efd2c9b6cb606cd4da40755a121"),
    _crd("flagger.app", "canary_v1beta1.json",
         "6b28533ef7fbc957e16b14038c7803e617b36d541326451658a930793bc82d05"),
    _crd("flagger.app", "metrictemplate_v1beta1.json",
         "6918872944573de93aa74b8e3cde78e7e864ce9bdbed933cfc58a7dcf5d5f9ad"),
    _crd("flagger.app", "alertprovider_v1beta1.json",
         "d13dcf9598cd85bebaf8848547edf0dcba7bab2065c72322a8fbc4f96e67a5ca"),
    *(_crd("networking.istio.io", f"{kind}_{version}.json", digest)
      for kind, digest in _ISTIO.items() for version in ("v1", "v1beta1", "v1alpha3")),
    Pin(GRAFANA_SDK[0], GRAFANA_SDK[1], "jsonschema/dashboard.jsonschema.json",
        "67451cd5b288f97e3f68eccd52ffa4f75151fc87c669b8cd93c051056b294265", "/".join(DASHBOARD)),
)


@dataclass(frozen=True)
class Outcome:
    """What happened to one pin: ``stored``, ``present`` (already cached) or ``failed``."""

    pin: Pin
    status: str
    message: str = ""


def pinned_kinds() -> set[str]:
    """Lower-case kinds of the pinned CRD files (``application``, ``canary``...)."""
    return {p.path.rsplit("/", 1)[-1].split("_")[0] for p in PINS if p.repo == CATALOG[0]}


def base_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def fetch_all(*, base: str | None = None, dest: Path | None = None,
              pins: tuple[Pin, ...] = PINS, timeout: float = 60.0) -> list[Outcome]:
    """Download every pin not yet cached, verify it, store it; one outcome per pin."""
    root = dest if dest is not None else cache_root()
    url_base = base_url(base)
    out = []
    for pin in pins:
        target = root / pin.store_as
        if target.is_file() and _sha256(target.read_bytes()) == pin.sha256:
            out.append(Outcome(pin, "present"))
            continue
        out.append(_fetch_one(pin, pin.url(url_base), target, timeout))
    return out


def _fetch_one(pin: Pin, url: str, target: Path, timeout: float) -> Outcome:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - pinned by hash
            data = resp.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(err, urllib.error.HTTPError):
            reason = f"HTTP {err.code} {err.reason}"
        elif isinstance(reason, OSError):
            reason = reason.strerror or reason
        return Outcome(pin, "failed", f"{url}: cannot download: {reason}")
    if len(data) > MAX_BYTES:
        return Outcome(pin, "failed", f"{url}: larger than {MAX_BYTES} bytes; not stored")
    digest = _sha256(data)
    if digest != pin.sha256:
        return Outcome(pin, "failed", f"{url}: sha256 {digest} does not match the pinned "
                                      f"{pin.sha256}; not stored")
    write_atomic(target, data)
    return Outcome(pin, "stored")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

