"""What a release is: the promotable paths a project declares in ``mwgen.yaml``.

Nothing is guessed from key names. ``promote.version`` names the path of a service's
version (``services.{service}.image.tag``); a project with blue-green services also
names the active slot (``slot_active``) and a slot's version (``slot_version``, with
``{slot}``). A service whose merged values hold both runs its active slot's version,
and takes a new one in its idle slot; switching slots is a separate, explicit edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from mwgen.config import CONFIG_FILE, ProjectConfig
from mwgen.errors import InputError

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Promotable:
    """The declared paths, split into keys; ``{service}``/``{slot}`` stay placeholders."""

    version: Path_
    slot_active: Path_ | None = None
    slot_version: Path_ | None = None

    @classmethod
    def from_config(cls, config: ProjectConfig) -> Promotable:
        raw = config.raw.get("promote")
        if not isinstance(raw, Mapping):
            raise InputError(file=CONFIG_FILE, message="declares no promotable paths: add "
                             "`promote: {version: services.{service}.image.tag}` to promote")
        split = (lambda key: tuple(raw[key].split(".")) if raw.get(key) else None)
        version = split("version")
        assert version is not None  # required by CONFIG_SCHEMA
        return cls(version, split("slot_active"), split("slot_version"))

    @property
    def services_at(self) -> Path_:
        """The mapping whose keys are the services (the path before ``{service}``)."""
        return self.version[:self.version.index("{service}")]

    def services(self, data: Mapping[str, Any]) -> list[str]:
        found = get(data, self.services_at)
        return list(found) if isinstance(found, Mapping) else []

    def slots(self, data: Mapping[str, Any], service: str) -> tuple[str, str] | None:
        """(active, idle) slot names of a blue-green service; None for any other."""
        if self.slot_active is None or self.slot_version is None:
            return None
        active = get(data, fill(self.slot_active, service))
        holder = get(data, fill(self.slot_version[:self.slot_version.index("{slot}")], service))
        if not isinstance(active, str) or not isinstance(holder, Mapping):
            return None
        others = [name for name in holder if name != active]
        return (active, others[0]) if len(others) == 1 else None

    def running_path(self, data: Mapping[str, Any], service: str) -> Path_:
        """Where the version that serves traffic is set."""
        return self._path(data, service, 0)

    def target_path(self, data: Mapping[str, Any], service: str) -> Path_:
        """Where a promotion writes: the version, or a blue-green service's idle slot."""
        return self._path(data, service, 1)

    def _path(self, data: Mapping[str, Any], service: str, which: int) -> Path_:
        slots = self.slots(data, service)
        if slots is None or self.slot_version is None:
            return fill(self.version, service)
        return fill(self.slot_version, service, slots[which])

    def running(self, data: Mapping[str, Any], service: str) -> Any:
        return get(data, self.running_path(data, service))


def fill(path: Path_, service: str, slot: str = "") -> Path_:
    return tuple(service if p == "{service}" else slot if p == "{slot}" else p for p in path)


def get(data: Any, path: Path_) -> Any:
    """The value at ``path``, None when any key on the way is missing."""
    for key in path:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data
