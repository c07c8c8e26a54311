"""Each relation rule passes on a small consistent tree and catches one breakage of it.

``cases/relations/good`` is a shop with a Flagger canary, Istio routing, an Argo CD
Application, Terraform (node groups, an IRSA role, Route 53) and a dashboard, all
consistent. Every case below re-introduces one problem (the ones issue 14 names are
marked) by editing one file, and expects exactly that rule to report it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.lint.rulekit import findings

GOOD = Path(__file__).parent / "cases" / "relations" / "good"
K8S = "output/k8s/production/us-east-1/app.yaml"
APPS = "output/argocd/production/us-east-1/apps.yaml"
EKS = "output/terraform/modules/eks/main.tf"
DNS = "output/terraform/global/dns/main.tf"
DASH = "output/grafana/production/us-east-1/web.json"
RELATIONS = ("service.selector", "service.ports", "hpa.target", "pdb.selects-serving-pods",
             "canary.refs", "canary.metric-template", "istio.host", "istio.subset", "istio.gateway",
             "pod.references", "pod.tolerates-node-group", "irsa.role", "route53.routing-policy",
             "route53.health-check-target", "argocd.path", "argocd.project", "argocd.retry",
             "gitops.replicas", "gitops.flagger-owned", "grafana.metric-labels")

# (rule, file, text to replace, replacement, expected words in the message)
BREAKAGES = [
    ("service.selector", K8S, "selector: {app: worker}", "selector: {app: wroker}", "matches no pods"),
    ("service.ports", K8S, "port: 80, targetPort: http}", "port: 80, targetPort: grpc}", "targetPort 'grpc'"),
    ("hpa.target", K8S, "scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}",
     "scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: webb}", "Deployment/webb does not exist"),
    ("pdb.selects-serving-pods", K8S, "matchLabels: {app: web-primary}", "matchLabels: {app: web}",
     "the serving pods are web-primary's"),
    ("canary.refs", K8S, "kind: HorizontalPodAutoscaler, name: web}", "kind: HorizontalPodAutoscaler, name: web2}",
     "autoscalerRef HorizontalPodAutoscaler/web2"),
    ("canary.metric-template", K8S, "templateRef: {name: latency}", "templateRef: {name: latncy}",
     "shop/latncy is no MetricTemplate"),
    ("istio.host", K8S, "destination: {host: worker, subset: v1}", "destination: {host: wroker, subset: v1}",
     "host 'wroker' is no Service"),
    ("istio.subset", K8S, "labels: {version: v1}\n", "labels: {version: v2}\n", "subset 'v1' (version=v2)"),
    ("istio.gateway", K8S, "gateways: [istio-system/public, mesh]", "gateways: [istio-system/private, mesh]",
     "gateway istio-system/private"),
    ("pod.references", K8S, "configMapRef: {name: web-config}", "configMapRef: {name: web-cfg}",
     "ConfigMap shop/web-cfg does not exist"),
    # issue 14: a missing toleration
    ("pod.tolerates-node-group", K8S, "- {key: dedicated, operator: Equal, value: application, effect: NoSchedule}",
     "- {key: gpu, operator: Exists}", "tolerate no node group of production/us-east-1: shop-production-app"),
    # issue 14: a dangling IRSA ARN
    ("irsa.role", K8S, "role/shop-production-web", "role/shop-production-api",
     "role 'shop-production-api' is not created"),
    ("irsa.role", EKS, "system:serviceaccount:shop:web", "system:serviceaccount:shop:worker",
     "does not trust system:serviceaccount:shop:web"),
    # issue 14: a mixed Route 53 policy
    ("route53.routing-policy", DNS, 'latency_routing_policy {\n    region = "us-west-2"\n  }',
     'geolocation_routing_policy {\n    continent = "EU"\n  }', "mixes geolocation routing with latency"),
    ("route53.health-check-target", DNS, 'fqdn = "www.example.com"', 'fqdn = "www-east.example.com"',
     "www-east.example.com is no record"),
    ("argocd.path", APPS, "path: output/k8s/production/us-east-1", "path: output/k8s/production/us-east-2",
     "has no manifests"),
    ("argocd.project", APPS, "namespace: shop\n", "namespace: billing\n", "is not allowed by AppProject shop"),
    ("argocd.retry", APPS, "    retry:\n      limit: 5\n", "", "without syncPolicy.retry"),
    ("gitops.replicas", K8S, "metadata: {name: web, namespace: shop}\nspec:\n  selector:",
     "metadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector:",
     "owned by git (Application shop) while HorizontalPodAutoscaler/web scales it"),
    # issue 14: a git-owned Flagger service
    ("gitops.flagger-owned", K8S, "metadata: {name: worker, namespace: shop}\nspec:\n  selector: {app: worker}",
     "metadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]"
     "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: worker, namespace: shop}\nspec:\n  selector: {app: worker}",
     "Flagger generates this object for Canary/web, and Application shop self-heals it"),
    # issue 14: a wrong dashboard label
    ("grafana.metric-labels", DASH, "sum by (workload) (flagger_canary_weight", "sum by (name) (flagger_canary_weight",
     "grouping by 'name'"),
    ("grafana.metric-labels", DASH, 'flagger_canary_weight{namespace=', 'flagger_canary_weight{name=\\"web\\",namespace=',
     "flagger_canary_weight has no label 'name'"),
    ("grafana.metric-labels", DASH, "istio_requests_total", "istio_request_total", "istio exports no metric"),
]


def copy_good(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(GOOD, root)
    return root


def test_the_good_tree_passes_every_relation_rule(tmp_path: Path) -> None:
    assert findings(copy_good(tmp_path), RELATIONS) == []


def test_every_relation_rule_has_a_failing_case() -> None:
    assert {rule for rule, *_ in BREAKAGES} == set(RELATIONS)


@pytest.mark.parametrize("rule, rel, old, new, expected", BREAKAGES,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKAGES)])
def test_each_rule_catches_its_breakage(tmp_path: Path, rule: str, rel: str, old: str, new: str,
                                        expected: str) -> None:
    root = copy_good(tmp_path)
    path = root / rel
    text = path.read_text()
    assert old in text, f"the case no longer applies to {rel}"
    path.write_text(text.replace(old, new, 1))
    found = findings(root, RELATIONS)
    assert [r for r, _p, _m in found] == [rule], found
    assert expected in found[0][2]


def _paths(data: object, prefix: tuple = ()):  # type: ignore[type-arg]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from _paths(value, prefix + (key,))


def test_no_rule_crashes_on_odd_shapes(tmp_path: Path) -> None:
    """Every field of every object replaced by a value of another type, all in one tree:
    the rules report or skip, they never raise."""
    import copy

    import yaml

    root = copy_good(tmp_path)
    variants = []
    for rel in (K8S, APPS, "output/argocd/projects/shop.yaml"):
        for doc in yaml.safe_load_all((root / rel).read_text()):
            for path in _paths(doc):
                for odd in (7, [1], {"a": {}}, None):
                    changed = copy.deepcopy(doc)
                    node = changed
                    for key in path[:-1]:
                        node = node[key]
                    node[path[-1]] = odd
                    variants.append(changed)
    (root / "output/k8s/production/us-east-1/odd.yaml").write_text(yaml.safe_dump_all(variants))
    assert isinstance(findings(root), list)


def test_a_dashboard_in_a_configmap_is_located_at_its_query(tmp_path: Path) -> None:
    root = copy_good(tmp_path)
    dashboard = (root / DASH).read_text().replace("sum by (workload)", "sum by (name)")
    block = "\n".join("    " + line for line in dashboard.splitlines())
    (root / "output/grafana/production/us-east-1/web.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-dashboard, namespace: monitoring}\n"
        f"data:\n  web.json: |\n{block}\n")
    (root / DASH).unlink()
    found = [(p.rule, p.line) for p in _problems(root) if p.rule == "grafana.metric-labels"]
    expr_line = 1 + next(i for i, line in enumerate((root / "output/grafana/production/us-east-1/web.yaml")
                                                     .read_text().splitlines()) if "flagger_canary_weight" in line)
    assert found == [("grafana.metric-labels", expr_line)]


def _problems(root: Path):  # type: ignore[no-untyped-def]
    from mwgen.config import load_config
    from mwgen.lint.rules import project_rules
    from mwgen.lint.rules.engine import run
    from mwgen.lint.tree import OutputTree

    config = load_config(root)
    tree = OutputTree.scan(root)
    return run(tree, tree.kube_objects(), config, [r for r in project_rules(root, config) if r.id in RELATIONS])


def test_without_terraform_for_the_environment_irsa_is_not_judged(tmp_path: Path) -> None:
    root = copy_good(tmp_path)
    shutil.rmtree(root / "output/terraform")
    assert findings(root, ["irsa.role", "pod.tolerates-node-group"]) == []
