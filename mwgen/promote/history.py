"""Which version each environment ran, read from git history alone.

Every commit on the current branch's first-parent line that touched ``values/`` is
replayed: its value files are read from git (``git archive``, the checkout is never
touched) and layered exactly as today, so a version set in ``defaults.yaml``, moved to
an environment file or overridden per region counts the same. First-parent, because a
version reached the branch when the merge commit landed, not when its feature branch
was written; the committer date says when that was. No cluster is asked.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from mwgen.errors import MwgenError
from mwgen.promote.paths import Promotable

#: (region, service) -> the version it runs.
State = dict[tuple[str, str], str]


class GitError(MwgenError):
    """git could not answer (not a repository, git missing): exit 1, one line."""


@dataclass(frozen=True)
class Commit:
    sha: str
    time: int  # committer date, seconds since the epoch
    subject: str

    @property
    def when(self) -> str:
        return datetime.fromtimestamp(self.time, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    @property
    def short(self) -> str:
        return self.sha[:12]


@dataclass(frozen=True)
class Entry:
    """From ``commit`` on, ``env`` ran ``service`` at ``version`` in ``regions``."""

    commit: Commit
    env: str
    service: str
    version: str
    regions: tuple[str, ...]
    all_regions: bool

    def to_json(self) -> dict[str, object]:
        return {"commit": self.commit.sha, "date": self.commit.when, "env": self.env,
                "service": self.service, "version": self.version,
                "regions": list(self.regions), "subject": self.commit.subject}


def git(root: Path, *args: str) -> bytes:
    """Output of ``git -C root ARGS``; GitError (one line) when git fails."""
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("mwgen: promotion gates read git history, and git is not installed"
                       ) from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"mwgen: git {args[0]}: {lines[-1] if lines else 'failed'}")
    return proc.stdout


def commits(root: Path) -> list[Commit]:
    """First-parent commits that changed ``values/``, newest first."""
    if not git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip():
        return []
    out = git(root, "log", "--first-parent", "--format=%H%x00%ct%x00%s%x00", "--",
              "values").decode("utf-8", "replace")
    fields = out.split("\x00")
    return [Commit(fields[i].strip(), int(fields[i + 1]), fields[i + 2])
            for i in range(0, len(fields) - 3, 3)]


def _cached_project(root: Path, cache: dict[tuple[str, bytes], Any]) -> Any:
    """A Project whose value files, when their bytes were seen at another commit, are
    not parsed again (consecutive commits usually differ in one file)."""
    from mwgen.project import Project

    class Cached(Project):
        def layer(self, path: Path, *, required: bool = False) -> Any:
            if path not in self._layers and path.is_file():
                key = (self.rel(path), hashlib.sha256(path.read_bytes()).digest())
                if key not in cache:
                    cache[key] = super().layer(path, required=required)
                self._layers[path] = cache[key]
            return super().layer(path, required=required)

    return Cached(root)


def state_at(root: Path, commit: str, promotable: Promotable,
             cache: dict[tuple[str, bytes], Any] | None = None,
             envs: Iterable[str] | None = None) -> State | None:
    """Running versions at ``commit`` (None when its values do not load)."""
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    try:
        archive = git(root, "archive", "--format=tar", f"{commit}:{prefix}values")
    except GitError:  # the commit has no values/ folder
        return None
    with tempfile.TemporaryDirectory(prefix="mwgen-history-") as tmp:
        values = Path(tmp) / "values"
        values.mkdir()
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            for member in tar.getmembers():
                if member.isfile() and ".." not in Path(member.name).parts:
                    dest = values / member.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    dest.write_bytes(extracted.read())
        if not (values / "defaults.yaml").is_file():
            return None
        try:
            return state_of(_cached_project(Path(tmp), {} if cache is None else cache),
                            promotable, envs)
        except MwgenError:
            return None


def state_of(project: object, promotable: Promotable, envs: Iterable[str] | None = None
             ) -> dict[tuple[str, str], str]:
    """Running versions of every target of ``project``, keyed (ENV/REGION, service)."""
    out: dict[tuple[str, str], str] = {}
    for t in project.targets():  # type: ignore[attr-defined]
        if envs is not None and t.env not in envs:
            continue
        data = project.values(t).data  # type: ignore[attr-defined]
        for service in promotable.services(data):
            version = promotable.running(data, service)
            if isinstance(version, str):
                out[(t.name, service)] = version
    return out


def _walk(root: Path, promotable: Promotable, env: str
          ) -> Iterator[tuple[Commit, State | None]]:
    """(commit, state of ``env``) newest first; states are computed lazily."""
    cache: dict[tuple[str, bytes], Any] = {}
    for commit in commits(root):
        yield commit, state_at(root, commit.sha, promotable, cache, [env])


def introduced(root: Path, promotable: Promotable, env: str, regions: Iterable[str],
               service: str, version: str) -> Commit | None:
    """The commit since which every region in ``regions`` of ``env`` has run
    ``service`` at ``version`` without a break; None if the newest commit does not."""
    keys = [(f"{env}/{r}", service) for r in regions]
    since: Commit | None = None
    for commit, state in _walk(root, promotable, env):
        if state is None or any(state.get(k) != version for k in keys):
            break
        since = commit
    return since


def history(root: Path, promotable: Promotable, env: str,
            services: Iterable[str] = ()) -> list[Entry]:
    """Each version ``env`` ran per service, oldest first, with the commit that set it."""
    wanted = set(services)
    steps = list(_walk(root, promotable, env))[::-1]
    entries: list[Entry] = []
    before: State = {}
    for commit, state in steps:
        if state is None:
            continue
        mine = {k: v for k, v in state.items() if k[0].split("/")[0] == env
                and (not wanted or k[1] in wanted)}
        regions = sorted({k[0].split("/", 1)[1] for k in mine})
        changed: dict[tuple[str, str], list[str]] = {}
        for (target, service), version in mine.items():
            if before.get((target, service)) != version:
                changed.setdefault((service, version), []).append(target.split("/", 1)[1])
        for (service, version), where in changed.items():
            every = sorted(r for (t, s) in mine if s == service for r in [t.split("/", 1)[1]])
            entries.append(Entry(commit, env, service, version, tuple(where),
                                 sorted(where) == every and len(regions) > 0))
        before = mine
    return entries
