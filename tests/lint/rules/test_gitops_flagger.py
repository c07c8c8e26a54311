"""gitops.flagger-owned: no Application self-heals an object Flagger generates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.gitops_flagger import RULE
from tests.lint.rules.kit import APPS, K8S, obj, run, where, workload

FOLDER = "output/k8s/production/us-east-1"


def app(name: str = "shop", self_heal: bool = True, **source: Any) -> dict[str, Any]:
    return obj("Application", name, {
        "project": "default", "source": {"repoURL": "https://git.example.com/r.git", "path": FOLDER, **source},
        "syncPolicy": {"automated": {"prune": True, "selfHeal": self_heal}, "retry": {"limit": 2}}}, ns="argocd")


CANARY = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"}, "service": {"port": 80}})


def service(name: str) -> dict[str, Any]:
    return obj("Service", name, {"selector": {"app": name}, "ports": [{"port": 80}]})


def test_a_self_healed_generated_object_is_reported_at_its_name(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), CANARY, service("web-primary")], APPS: [app("b"), app("a")]}
    assert where(run(RULE, tmp_path, files)) == [
        ("Service/web-primary", "metadata.name",
         "Flagger generates this object for Canary/web, and Application a, b self-heals it from git")]


def test_istio_objects_count_only_with_the_istio_provider(tmp_path: Path) -> None:
    vs = obj("VirtualService", "web", {"hosts": ["web"]})
    files: dict[str, Any] = {K8S: [workload("web"), CANARY, vs], APPS: [app()]}
    assert [h.subject for h in run(RULE, tmp_path, files)] == ["VirtualService/web"]
    linkerd = obj("Canary", "web", {"provider": "linkerd", "targetRef": {"name": "web"}})
    files[K8S] = [workload("web"), linkerd, vs]
    assert run(RULE, tmp_path, files) == []


def test_without_self_heal_or_outside_the_synced_folder_it_passes(tmp_path: Path) -> None:
    files: dict[str, Any] = {K8S: [workload("web"), CANARY, service("web")], APPS: [app(self_heal=False)]}
    assert run(RULE, tmp_path, files) == []
    files[APPS] = [app(directory={"exclude": "app.yaml"})]
    assert run(RULE, tmp_path, files) == []


def test_objects_flagger_does_not_generate_pass(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), CANARY, service("worker")], APPS: [app()]}
    assert run(RULE, tmp_path, files) == []
