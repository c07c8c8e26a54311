"""image.pinned: images carry a tag other than latest, or a digest, except where allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.lint.rules.image_pinned import RULE, environment, image_problem
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload

DEV = "output/k8s/dev/us-east-1/app.yaml"
LOOSE = "output/k8s/app.yaml"  # in no target folder


@pytest.mark.parametrize("image, problem", [
    ("app:1.2.3", None),
    ("registry.example.com:5000/team/app:1.2.3", None),
    ("app@sha256:" + "0" * 64, None),
    ("app:latest@sha256:" + "0" * 64, None),  # the digest pins, whatever the tag says
    ("app", "image 'app' has no tag"),
    ("registry.example.com:5000/team/app", "image 'registry.example.com:5000/team/app' has no tag"),
    ("app:latest", "image 'app:latest' uses the latest tag"),
    ("", "image '' has no tag"),
])
def test_image_problem(image: str, problem: str | None) -> None:
    assert image_problem(image) == problem


def test_environment_comes_from_the_label_else_the_path(tmp_path: Path) -> None:
    labelled = workload("b")
    labelled["metadata"]["labels"] = {"mwgen.io/env": "staging"}
    root = project(tmp_path, {DEV: [workload("a"), labelled], LOOSE: [workload("c")]})
    envs = {o.name: environment(o) for o in OutputTree.scan(root).kube_objects()}
    assert envs == {"a": "dev", "b": "staging", "c": ""}


def test_a_pinned_image_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web")]}) == []


def test_an_unpinned_image_is_located_at_the_image(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web", containers=[container(), container("b", image="shop/b:latest")])]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[1].image",
                             "image 'shop/b:latest' uses the latest tag in production")]
    assert found[0].line == line_of(root, K8S, "shop/b:latest")


def test_init_containers_and_objects_outside_targets(tmp_path: Path) -> None:
    wl = workload("web", initContainers=[container("migrate", image="shop/migrate")])
    assert where(run(RULE, tmp_path, {LOOSE: [wl]})) == [
        ("Deployment/web", "spec.template.spec.initContainers[0].image", "image 'shop/migrate' has no tag")]


def test_unpinned_allowed_in_names_exempt_environments(tmp_path: Path) -> None:
    loose = workload("web", containers=[container(image="shop/web:latest")])
    files = {DEV: [loose], K8S: [loose]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "image 'shop/web:latest' uses the latest tag in dev", "image 'shop/web:latest' uses the latest tag in production"]
    assert [h.file for h in run(RULE, tmp_path, files, unpinned_allowed_in=["dev"])] == [K8S]
    # a file in no environment is never exempt
    assert len(run(RULE, tmp_path, {LOOSE: [loose]}, unpinned_allowed_in=[""])) == 1
