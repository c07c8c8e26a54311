"""The Kubernetes, ArgoCD and Grafana templates (templates/k8s, argocd, grafana).

A scratch copy of the project (values, schemas and those template families) is rendered
through the CLI once per module. The tests then check that:

- every object of MW-ENG-070 (read from ../shared/spec by tests/seed.py; skipped without
  it) comes out for production/us-east-1 (blue-green: staging/us-east-1) with the
  seed's fields, except for the deliberate differences listed in docs/kubernetes.md and
  spelled out below as patches to the seed object;
- all output passes the offline Kubernetes 1.30 and CRD schemas, the Grafana dashboard
  schema and the policy rules (``mwgen.lint``, the built-in validator);
- a region, an environment or a service is a values-only change.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml

from tests.helpers import ROOT, mwgen
from tests.seed import seed_documents

FAMILIES = ("_lib", "k8s", "argocd", "grafana")
PROD = "production/us-east-1"
SERVICE_FILES = ("deployment", "service", "hpa", "pdb", "rbac", "networkpolicy")


# -- helpers ----------------------------------------------------------------------

def scratch_project(dest: Path) -> Path:
    """values/, schemas/ and this issue's template families (not terraform/)."""
    for part in ("values", "schemas"):
        shutil.copytree(ROOT / part, dest / part)
    for family in FAMILIES:
        shutil.copytree(ROOT / "templates" / family, dest / "templates" / family)
    shutil.copy(ROOT / "mwgen.yaml", dest / "mwgen.yaml")  # the project's lint configuration
    shutil.copytree(ROOT / "lint_rules", dest / "lint_rules")
    return dest


def render(root: Path, *args: str) -> None:
    result = mwgen("--project", str(root), "render", *args)
    assert result.exit_code == 0, result.stdout + result.stderr


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def find(root: Path, rel: str, kind: str, name: str) -> dict[str, Any]:
    found = [d for d in documents(root / "output" / rel)
             if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name} in output/{rel}: {len(found)} found"
    return found[0]


def seed(kind: str, name: str, index: int = 0) -> dict[str, Any]:
    found = [d for d in seed_documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    return copy.deepcopy(found[index])


def assert_subset(expected: Any, actual: Any, where: str = "") -> None:
    """Every key and item of ``expected`` is in ``actual`` with the same value."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not a mapping"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing"
            assert_subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_subset(e, a, f"{where}[{i}]")
    else:
        assert expected == actual, f"{where}: expected {expected!r}, got {actual!r}"


def services_path(target: str, service: str, file: str) -> str:
    return f"k8s/{target}/services/{service}/{file}.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = scratch_project(tmp_path_factory.mktemp("k8s") / "project")
    render(root)
    return root


# -- the seed, object by object ---------------------------------------------------
# Each case: seed object, where it renders, and the deliberate differences as a patch.

PSA_LEVEL = {"mindweave-system": "baseline", "mindweave-services": "restricted",
             "mindweave-data": "restricted", "mindweave-monitoring": "privileged"}
ECR = "482917365014.dkr.ecr.us-east-1.amazonaws.com/"  # production's account, us-east-1
APP_NODES = {"nodeSelector": {"role": "application"},
             "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "application",
                              "effect": "NoSchedule"}]}


def _namespace(d: dict[str, Any]) -> None:
    """Pod Security Admission: the namespace's level enforced, restricted warned/audited."""
    level = PSA_LEVEL[d["metadata"]["name"]]
    # Deleting the owning Application never deletes a namespace and its contents.
    d["metadata"]["annotations"] = {"argocd.argoproj.io/sync-options": "Delete=false,Prune=false"}
    for mode, value in (("enforce", level), ("warn", "restricted"), ("audit", "restricted")):
        d["metadata"]["labels"][f"pod-security.kubernetes.io/{mode}"] = value
        d["metadata"]["labels"][f"pod-security.kubernetes.io/{mode}-version"] = "v1.35"


def _pod(d: dict[str, Any], image: str) -> None:
    """The seed's pod spec plus: ECR image, no git-owned replicas (an HPA scales every
    Deployment), seccomp RuntimeDefault, and placement on the tainted application nodes."""
    del d["spec"]["replicas"]
    pod = d["spec"]["template"]["spec"]
    container = pod["containers"][0]
    container["image"] = ECR + image
    container["imagePullPolicy"] = "IfNotPresent"  # immutable tags need no re-pull
    pod.setdefault("securityContext", {})["seccompProfile"] = {"type": "RuntimeDefault"}
    pod.update(APP_NODES)


def _deployment(d: dict[str, Any]) -> None:
    _pod(d, "mindweave/api-gateway:v1.4.2")


def _pdb(d: dict[str, Any]) -> None:
    """Under Flagger the pods that serve are api-gateway-primary's."""
    d["metadata"]["name"] = "api-gateway-primary"
    d["spec"]["selector"]["matchLabels"] = {"app": "api-gateway-primary"}


def _service_account(d: dict[str, Any]) -> None:
    d["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] = (
        "arn:aws:iam::482917365014:role/mindweave-production-us-east-1-api-gateway-role")


GATEWAY = "istio-system/mindweave-gateway"  # the Gateway lives in istio-system
PUBLIC_HOSTS = ["api.mindweave.io", "api-latency.mindweave.io", "api-use1.mindweave.io"]


def _canary(d: dict[str, Any]) -> None:
    service = d["spec"]["service"]
    service["gateways"] = [GATEWAY, "mesh"]
    service["hosts"] = ["api-gateway", *PUBLIC_HOSTS]
    service["portDiscovery"] = True
    # The seed's DestinationRule policy moves here (Flagger owns the DestinationRules);
    # Flagger's schema has no connectionPool.tcp.
    dr = seed("DestinationRule", "api-gateway")["spec"]["trafficPolicy"]
    del dr["connectionPool"]["tcp"]
    service["trafficPolicy"].update(dr)
    d["spec"]["autoscalerRef"] = {"apiVersion": "autoscaling/v2",
                                  "kind": "HorizontalPodAutoscaler", "name": "api-gateway"}
    for metric in d["spec"]["analysis"]["metrics"]:  # use our MetricTemplates, not built-ins
        metric["templateRef"] = {"name": metric["name"], "namespace": "mindweave-system"}


def _metric_template(d: dict[str, Any]) -> None:
    d["spec"]["provider"]["address"] = (
        "http://kube-prometheus-stack-prometheus.mindweave-monitoring:9090")


def _application(d: dict[str, Any]) -> None:
    d["metadata"]["name"] = "mindweave-platform"
    d["spec"]["source"]["path"] = "output/k8s/production/us-east-1"
    d["spec"]["source"]["directory"] = {"recurse": True, "exclude": "services/**"}
    d["spec"]["destination"]["namespace"] = "mindweave-system"


def _application_set(d: dict[str, Any]) -> None:
    d["spec"]["generators"][0]["git"]["directories"][0]["path"] = (
        "output/k8s/production/us-east-1/services/*")
    d["spec"]["template"]["spec"]["syncPolicy"]["retry"] = {
        "limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}}


def _app_project(d: dict[str, Any]) -> None:
    d["spec"]["namespaceResourceWhitelist"] += [
        {"group": g, "kind": "*"}
        for g in ("rbac.authorization.k8s.io", "networking.istio.io", "security.istio.io",
                  "flagger.app", "external-secrets.io")]


def _same(d: dict[str, Any]) -> None:
    pass


SEED_CASES: list[tuple[str, str, str, Callable[[dict[str, Any]], None]]] = [
    ("Namespace", "mindweave-system", f"k8s/{PROD}/namespaces.yaml", _namespace),
    ("Namespace", "mindweave-services", f"k8s/{PROD}/namespaces.yaml", _namespace),
    ("Namespace", "mindweave-data", f"k8s/{PROD}/namespaces.yaml", _namespace),
    ("Namespace", "mindweave-monitoring", f"k8s/{PROD}/namespaces.yaml", _namespace),
    ("Deployment", "api-gateway", services_path(PROD, "api-gateway", "deployment"), _deployment),
    ("HorizontalPodAutoscaler", "api-gateway", services_path(PROD, "api-gateway", "hpa"), _same),
    ("PodDisruptionBudget", "api-gateway", services_path(PROD, "api-gateway", "pdb"), _pdb),
    ("ServiceAccount", "api-gateway", services_path(PROD, "api-gateway", "rbac"), _service_account),
    ("Role", "api-gateway", services_path(PROD, "api-gateway", "rbac"), _same),
    ("RoleBinding", "api-gateway", services_path(PROD, "api-gateway", "rbac"), _same),
    ("Canary", "api-gateway", services_path(PROD, "api-gateway", "deployment"), _canary),
    ("MetricTemplate", "request-success-rate", f"k8s/{PROD}/canary/metric-templates.yaml", _metric_template),
    ("MetricTemplate", "request-duration", f"k8s/{PROD}/canary/metric-templates.yaml", _metric_template),
    ("Application", "mindweave-services", f"argocd/{PROD}/applications.yaml", _application),
    ("ApplicationSet", "mindweave-microservices", f"argocd/{PROD}/applications.yaml", _application_set),
    ("AppProject", "mindweave", "argocd/projects/mindweave.yaml", _app_project),
]

# Seed objects that Flagger generates and owns once api-gateway ships by canary: git
# must not own them too (Argo CD self-heal would undo every traffic shift).
FLAGGER_OWNED = [("Service", "api-gateway"), ("VirtualService", "api-gateway"),
                 ("DestinationRule", "api-gateway")]


@pytest.mark.parametrize(("kind", "name", "rel", "patch"), SEED_CASES,
                         ids=[f"{k}/{n}" for k, n, _, _ in SEED_CASES])
def test_seed_object_renders_with_only_deliberate_differences(
        project: Path, kind: str, name: str, rel: str,
        patch: Callable[[dict[str, Any]], None]) -> None:
    expected = seed(kind, name)
    patch(expected)
    actual = find(project, rel, kind, expected["metadata"]["name"])
    assert actual == expected


def test_flagger_owned_objects_are_not_in_git(project: Path) -> None:
    """Production api-gateway is a canary: its Service, VirtualService and
    DestinationRule are Flagger's, so nothing under output/ declares them."""
    rendered = {(d["kind"], d["metadata"]["name"])
                for path in (project / "output" / "k8s" / PROD).rglob("*.yaml")
                for d in documents(path)}
    assert not set(FLAGGER_OWNED) & rendered
    assert ("Canary", "api-gateway") in rendered


def test_no_rollback_job_gitops_rollback_instead(project: Path) -> None:
    """The seed's rollback Job (5.2) is replaced by the GitOps rollback: nothing in the
    tree is a Job a `kubectl apply` of a folder would start, and the docs say how."""
    jobs = [path for path in (project / "output").rglob("*.yaml")
            for d in documents(path) if d["kind"] in ("Job", "CronJob")]
    assert jobs == []
    docs = (ROOT / "docs" / "kubernetes.md").read_text(encoding="utf-8")
    assert "git revert" in docs and "argocd app rollback" in docs


def test_seed_blue_green_on_staging(project: Path) -> None:
    """Seed 3.1 for api-gateway in staging (blue-green there): slot labels and tags,
    full container spec in both slots, the active Service on the blue slot."""
    target, tags = "staging/us-east-1", {"blue": "v1.4.2", "green": "v1.5.0-rc.1"}
    rel = services_path(target, "api-gateway", "deployment")
    for index, slot in enumerate(("blue", "green")):
        expected = seed("Deployment", f"api-gateway-{slot}")
        expected["spec"]["template"]["metadata"]["labels"]["version"] = tags[slot]
        _pod(expected, f"mindweave/api-gateway:{tags[slot]}")
        expected["spec"]["template"]["spec"]["containers"][0]["image"] = (
            f"735108246921.dkr.ecr.us-east-1.amazonaws.com/mindweave/api-gateway:{tags[slot]}")
        actual = find(project, rel, "Deployment", f"api-gateway-{slot}")
        assert_subset(expected, actual)
        assert "replicas" not in actual["spec"]
        rolling = find(project, services_path(PROD, "knowledge-graph", "deployment"),
                       "Deployment", "knowledge-graph")
        pod = actual["spec"]["template"]["spec"]
        assert pod.keys() == rolling["spec"]["template"]["spec"].keys()
    expected = seed("Service", "api-gateway", index=1)
    expected["spec"]["ports"] = [  # named target ports, and metrics like the plain Service
        {"name": "http", "port": 80, "targetPort": "http"},
        {"name": "metrics", "port": 9090, "targetPort": "metrics"}]
    actual = find(project, services_path(target, "api-gateway", "service"), "Service", "api-gateway")
    assert actual == expected


def test_seed_region_config(project: Path) -> None:
    """Seed 8.1: every production region; data store endpoints are the private names
    Terraform gives RDS and Redis in each region's VPC (modules/vpc, rds, elasticache)."""
    for rel in (f"k8s/{t}/region-config.yaml" for t in (PROD, "production/eu-west-1")):
        expected = yaml.safe_load(seed("ConfigMap", "region-config")["data"]["regions.yaml"])
        cm = find(project, rel, "ConfigMap", "region-config")
        assert cm["metadata"]["namespace"] == "mindweave-system"
        actual = yaml.safe_load(cm["data"]["regions.yaml"])
        assert [r["name"] for r in actual["regions"]] == ["us-east-1", "us-west-2", "eu-west-1"]
        for want, got in zip(expected["regions"], actual["regions"]):
            zone = f"{got['name']}.production.mindweave.internal"
            assert got["database"].pop("endpoint") == f"postgresql.{zone}"
            assert got["redis"].pop("endpoint") == f"redis.{zone}"
            want["database"].pop("endpoint")
            want["redis"].pop("endpoint")
            assert got == want


# Seed 9.2 queries that match no series, and what replaces them (docs/kubernetes.md).
DASHBOARD_FIXES = {
    "Deployment Success Rate": ['sum(argocd_app_sync_total{phase="Succeeded",project="mindweave"}) / sum(argocd_app_sync_total{project="mindweave"}) * 100'],
    "Canary Analysis Results": [
        'sum by (name) (increase(flagger_canary_successes_total{namespace="mindweave-services"}[24h]))',
        'sum by (name) (increase(flagger_canary_failures_total{namespace="mindweave-services"}[24h]))'],
    "Rollback Count (7d)": ['sum(increase(flagger_canary_failures_total{namespace="mindweave-services"}[7d]))'],
}


def test_seed_deployment_dashboard(project: Path) -> None:
    """Seed 9.2: same ConfigMap and panels; queries on labels the exporters really have
    (argocd_app_sync_total has phase, not status; flagger_canary_total has only
    namespace; kubernetes_deployment_rollback_total does not exist)."""
    want = seed("ConfigMap", "deployment-dashboard")
    got = find(project, f"grafana/{PROD}/deployment-dashboard.yaml", "ConfigMap",
               "deployment-dashboard")
    assert_subset({k: v for k, v in want["metadata"].items()}, got["metadata"])
    want_dash = json.loads(want["data"]["deployment-dashboard.json"])
    got_dash = json.loads(got["data"]["deployment-dashboard.json"])
    assert got_dash["title"] == want_dash["title"]
    panels = {p["title"]: p for p in got_dash["panels"]}
    for panel in want_dash["panels"]:
        assert panels[panel["title"]]["type"] == panel["type"]
        expected = DASHBOARD_FIXES.get(panel["title"], [t["expr"] for t in panel["targets"]])
        assert [t["expr"] for t in panels[panel["title"]]["targets"]] == expected
    plain = json.loads((project / "output" / f"grafana/{PROD}/dashboards/deployment-dashboard.json")
                       .read_text(encoding="utf-8"))
    assert plain == got_dash


def test_dashboards_use_real_labels_and_include_primary_pods(project: Path) -> None:
    """flagger_canary_weight is labelled workload/namespace (Flagger's recorder.go), and
    the pods that serve under Flagger (NAME-primary) are in every pod selector."""
    dash = json.loads((project / "output" / f"grafana/{PROD}/dashboards/api-gateway.json")
                      .read_text(encoding="utf-8"))
    exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
    assert 'flagger_canary_weight{namespace="mindweave-services",workload="api-gateway"}' in exprs
    assert not any(re.search(r"flagger_canary_weight\{[^}]*\bname=", e) for e in exprs)
    for expr in exprs:
        if "istio_" in expr or "kube_deployment" in expr:
            assert "api-gateway|api-gateway-primary" in expr, expr
            assert "destination_app" not in expr
    everything = "".join(p.read_text() for p in (project / "output" / "grafana").rglob("*.json"))
    assert 'status="Succeeded"' not in everything
    assert "kubernetes_deployment_rollback_total" not in everything


def test_every_seed_object_is_covered() -> None:
    covered = {(k, n) for k, n, _, _ in SEED_CASES} | set(FLAGGER_OWNED) | {
        ("Job", "argocd-rollback"), ("Deployment", "api-gateway-blue"),
        ("Deployment", "api-gateway-green"), ("ConfigMap", "region-config"),
        ("ConfigMap", "deployment-dashboard")}
    assert {(d["kind"], d["metadata"]["name"]) for d in seed_documents()} == covered


# -- other engines' template syntax passes through ---------------------------------

def test_flagger_and_argocd_placeholders_are_verbatim(project: Path) -> None:
    text = (project / "output" / f"k8s/{PROD}/canary/metric-templates.yaml").read_text()
    for placeholder in ("{{ namespace }}", "{{ target }}", "{{ interval }}"):
        assert placeholder in text
    appset = find(project, f"argocd/{PROD}/applications.yaml", "ApplicationSet",
                  "mindweave-microservices")
    assert appset["spec"]["template"]["metadata"]["name"] == "{{path.basename}}"
    assert appset["spec"]["template"]["spec"]["source"]["path"] == "{{path}}"


# -- schemas, dashboards and policy ------------------------------------------------

def test_output_passes_schemas_dashboards_and_policy(project: Path) -> None:
    """Kubernetes 1.30 strict + CRD schemas, the Grafana schema and the policy rules;
    a document without a schema is a finding too."""
    from mwgen.lint import lint_output

    result = lint_output(project, validator="builtin")
    # mwgen vendors no schema for these CRDs on this branch (they are being replaced by
    # mwgen's own structural schemas): such a finding is expected, any other is not.
    expected = ("no schema for external-secrets.io/v1 ExternalSecret",
                "no schema for external-secrets.io/v1 SecretStore",
                "no schema for security.istio.io/v1 PeerAuthentication")
    problems = [p.format() for p in result.problems
                if not any(e in p.format() for e in expected)]
    assert problems == []
    services, targets = 6, 6
    assert result.dashboards == 2 * (services + 1) * targets  # plain + ConfigMap each


def dashboards(root: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((root / "output" / "grafana").rglob("*.json")):
        yield path.relative_to(root).as_posix(), json.loads(path.read_text(encoding="utf-8"))


def test_dashboard_panels_have_unique_ids_and_a_clean_grid(project: Path) -> None:
    for name, dash in dashboards(project):
        panels = dash["panels"]
        assert len({p["id"] for p in panels}) == len(panels), name
        cells: set[tuple[int, int]] = set()
        for p in panels:
            g = p["gridPos"]
            assert g["x"] + g["w"] <= 24, f"{name}: {p['title']}"
            area = {(x, y) for x in range(g["x"], g["x"] + g["w"])
                    for y in range(g["y"], g["y"] + g["h"])}
            assert not cells & area, f"{name}: {p['title']} overlaps"
            cells |= area
            assert p["datasource"] and all(t["expr"] and t["refId"] for t in p["targets"])


def test_service_dashboard_shows_canary_weight_only_for_canaries(project: Path) -> None:
    titles = {name: [p["title"] for p in d["panels"]] for name, d in dashboards(project)}
    prod = f"output/grafana/{PROD}/dashboards"
    assert titles[f"{prod}/api-gateway.json"][-1] == "Canary Weight"
    assert "Canary Weight" not in titles[f"{prod}/auth-service.json"]
    assert {"Request Rate", "Error Rate", "P99 Latency", "Replicas"} <= set(
        titles[f"{prod}/auth-service.json"])


# -- strategies ---------------------------------------------------------------------

STRATEGY_KINDS = {
    "rolling": ({"Deployment"}, {"Service"}),
    "blue-green": ({"Deployment"}, {"Service"}),
    "canary": ({"Deployment", "Canary"}, set()),  # Flagger generates Services and routing
}


def test_each_service_renders_its_strategy(project: Path) -> None:
    from mwgen.project import load_project

    proj = load_project(project)
    for target in proj.targets():
        for name, svc in proj.values(target).data["services"].items():
            strategy = svc["strategy"]["type"]
            deploy = documents(project / "output" / services_path(target.name, name, "deployment"))
            service = documents(project / "output" / services_path(target.name, name, "service"))
            kinds, routing = STRATEGY_KINDS[strategy]
            if strategy != "canary" and "public_host" in svc:  # git routes the public host
                routing = routing | {"VirtualService"}
            assert ({d["kind"] for d in deploy}, {d["kind"] for d in service}) == (
                kinds, routing), f"{target}/{name}"
            deployments = [d["metadata"]["name"] for d in deploy if d["kind"] == "Deployment"]
            expected = [f"{name}-{s}" for s in svc["strategy"]["slots"]] \
                if strategy == "blue-green" else [name]
            assert deployments == expected


def test_blue_green_cutover_is_one_value(tmp_path: Path) -> None:
    root = scratch_project(tmp_path)
    staging = root / "values" / "environments" / "staging.yaml"
    staging.write_text(staging.read_text().replace("active: blue", "active: green"))
    render(root)
    rel = services_path("staging/us-east-1", "api-gateway", "service")
    assert find(root, rel, "Service", "api-gateway")["spec"]["selector"]["slot"] == "green"
    assert find(root, rel, "Service", "api-gateway-preview")["spec"]["selector"]["slot"] == "blue"


def test_values_by_environment(project: Path) -> None:
    """Sizes, env vars and the IRSA role come from each environment's values."""
    dev = services_path("dev/us-east-1", "api-gateway", "deployment")
    deployment = find(project, dev, "Deployment", "api-gateway")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert "replicas" not in deployment["spec"]  # dev's replicas: 1 under minReplicas: 2 is gone
    assert container["image"].startswith("219384756102.dkr.ecr.us-east-1.amazonaws.com/")
    assert {e["name"]: e.get("value") for e in container["env"]}["NODE_ENV"] == "development"
    assert {e["name"]: e.get("value") for e in container["env"]}["LOG_LEVEL"] == "debug"
    sa = find(project, services_path("staging/eu-west-1", "auth-service", "rbac"),
              "ServiceAccount", "auth-service")
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == (
        "arn:aws:iam::735108246921:role/mindweave-staging-eu-west-1-auth-service-role")
    for d in documents(project / "output" / services_path(PROD, "auth-service", "hpa")):
        assert (d["spec"]["minReplicas"], d["spec"]["maxReplicas"]) == (3, 12)


# -- values-only changes -------------------------------------------------------------

def expect_full_set(root: Path, target: str, services: list[str]) -> None:
    out = root / "output"
    for rel in ("namespaces", "region-config", "canary/metric-templates", "mesh",
                "network-policies"):
        assert (out / f"k8s/{target}/{rel}.yaml").is_file(), rel
    for rel in ("applications", "addons"):
        assert (out / f"argocd/{target}/{rel}.yaml").is_file(), rel
    assert (out / f"grafana/{target}/deployment-dashboard.yaml").is_file()
    for service in services:
        for file in SERVICE_FILES:
            assert (out / services_path(target, service, file)).is_file(), (service, file)
        assert (out / f"grafana/{target}/{service}-dashboard.yaml").is_file()
        assert (out / f"grafana/{target}/dashboards/{service}.json").is_file()


def test_adding_a_region_is_values_only(tmp_path: Path) -> None:
    root = scratch_project(tmp_path)
    values = root / "values"
    staging = values / "environments" / "staging.yaml"
    staging.write_text(staging.read_text().replace(
        "regions: [us-east-1, eu-west-1]", "regions: [us-east-1, eu-west-1, ap-southeast-1]"))
    (values / "regions" / "ap-southeast-1.yaml").write_text(
        "region:\n  name: ap-southeast-1\n  code: apse1\n  role: secondary\n  weight: 10\n"
        "  failover_priority: 4\n  database_primary: false\n"
        "  availability_zones: [ap-southeast-1a, ap-southeast-1b, ap-southeast-1c]\n")
    (values / "targets" / "staging" / "ap-southeast-1.yaml").write_text(
        "network:\n  vpc_cidr: 10.22.0.0/16\n")
    render(root)
    expect_full_set(root, "staging/ap-southeast-1", ["api-gateway", "auth-service"])
    peers = yaml.safe_load(find(root, "k8s/staging/us-east-1/region-config.yaml", "ConfigMap",
                                "region-config")["data"]["regions.yaml"])["regions"]
    assert [r["name"] for r in peers] == ["us-east-1", "eu-west-1", "ap-southeast-1"]
    assert peers[-1]["endpoints"]["api"] == "api-apse1.mindweave.io"


def test_adding_an_environment_is_values_only(tmp_path: Path) -> None:
    root = scratch_project(tmp_path)
    values = root / "values"
    dev = (values / "environments" / "dev.yaml").read_text()
    (values / "environments" / "qa.yaml").write_text(
        dev.replace("name: dev", "name: qa").replace('"219384756102"', '"104729384756"'))
    (values / "targets" / "qa").mkdir()
    shutil.copy2(values / "targets" / "dev" / "us-east-1.yaml",
                 values / "targets" / "qa" / "us-east-1.yaml")
    render(root)
    expect_full_set(root, "qa/us-east-1", ["api-gateway", "ml-inference"])
    sa = find(root, services_path("qa/us-east-1", "api-gateway", "rbac"), "ServiceAccount",
              "api-gateway")
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == (
        "arn:aws:iam::104729384756:role/mindweave-qa-us-east-1-api-gateway-role")


def test_adding_a_service_is_values_only(tmp_path: Path) -> None:
    """A new service renders everywhere; a tricky env value stays one string."""
    root = scratch_project(tmp_path)
    defaults = root / "values" / "defaults.yaml"
    data = yaml.safe_load(defaults.read_text())
    billing = copy.deepcopy(data["services"]["auth-service"])
    billing["image"]["repository"] = "mindweave/billing"
    billing["env"]["GREETING"] = 'a: b # c\n"{{ x }}"'
    data["services"]["billing"] = billing
    defaults.write_text(yaml.safe_dump(data, sort_keys=False))
    render(root)
    proj_targets = [p.parent.name for p in (root / "values" / "targets").glob("*/*.yaml")]
    assert len(proj_targets) == 6
    for target in ("dev/us-east-1", "staging/eu-west-1", PROD, "production/us-west-2"):
        expect_full_set(root, target, ["billing"])
    deployment = find(root, services_path(PROD, "billing", "deployment"), "Deployment", "billing")
    env = {e["name"]: e.get("value") for e in
           deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["GREETING"] == 'a: b # c\n"{{ x }}"'


# -- the security baseline and ownership, on every target ------------------------------

def all_docs(root: Path, target: str) -> list[dict[str, Any]]:
    return [d for family in ("k8s", "argocd", "grafana")
            for path in sorted((root / "output" / family / target).rglob("*.yaml"))
            for d in documents(path)]


@pytest.mark.parametrize("target", ["dev/us-east-1", "staging/eu-west-1", PROD])
def test_security_baseline(project: Path, target: str) -> None:
    docs = all_docs(project, target)
    namespaces = {d["metadata"]["name"]: d["metadata"]["labels"] for d in docs
                  if d["kind"] == "Namespace"}
    assert set(PSA_LEVEL) | {"istio-system", "external-secrets"} <= set(namespaces)
    for name, labels in namespaces.items():
        assert labels["pod-security.kubernetes.io/enforce"] in ("restricted", "baseline", "privileged")
        assert labels["pod-security.kubernetes.io/warn"] == "restricted", name
    assert namespaces["mindweave-services"]["pod-security.kubernetes.io/enforce"] == "restricted"
    policies = {(d["metadata"]["namespace"], d["metadata"]["name"]): d["spec"] for d in docs
                if d["kind"] == "NetworkPolicy"}
    for ns in ("mindweave-system", "mindweave-services", "mindweave-data"):
        deny = policies[(ns, "default-deny")]
        assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        dns = policies[(ns, "mesh-baseline")]["egress"][0]
        assert {"port": 53, "protocol": "UDP"} in dns["ports"]
    peer = {d["metadata"]["namespace"]: d["spec"]["mtls"]["mode"] for d in docs
            if d["kind"] == "PeerAuthentication"}
    assert peer == {"mindweave-system": "STRICT", "mindweave-services": "STRICT",
                    "mindweave-data": "STRICT"}
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    assert deployments
    for d in deployments:
        assert "replicas" not in d["spec"], d["metadata"]["name"]
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert re.match(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/", pod["containers"][0]["image"])
        assert ("mindweave-services", d["metadata"]["labels"]["app"]) in policies


def test_gateway_serves_every_public_host(project: Path) -> None:
    """The mindweave-gateway the VirtualServices and the Canary name exists, serves
    their hosts, and the Ingress asks for the ALB that Route 53 looks up by name."""
    for target in (PROD, "staging/us-east-1"):
        docs = all_docs(project, target)
        gateway = next(d for d in docs if d["kind"] == "Gateway")
        assert (gateway["metadata"]["namespace"], gateway["metadata"]["name"]) == (
            "istio-system", "mindweave-gateway")
        hosts = set(gateway["spec"]["servers"][0]["hosts"])
        for d in docs:
            if d["kind"] == "VirtualService":
                assert set(d["spec"]["hosts"]) <= hosts
                assert d["spec"]["gateways"] == [GATEWAY]
            if d["kind"] == "Canary":
                assert set(d["spec"]["service"]["hosts"]) - {"api-gateway"} <= hosts
        ingress = next(d for d in docs if d["kind"] == "Ingress")
        assert ingress["spec"]["ingressClassName"] == "alb"
        assert {r["host"] for r in ingress["spec"]["rules"]} == hosts
    assert hosts == {"api.mindweave.io", "api-latency.mindweave.io", "api-use1.mindweave.io"}
