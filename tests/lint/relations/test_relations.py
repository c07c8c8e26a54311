"""The shared views relation rules stand on: Terraform evaluation, Argo CD ownership, PromQL."""

from __future__ import annotations

from mwgen.lint.relations.argocd import ArgoModel
from mwgen.lint.relations.promql import scan
from mwgen.lint.relations.terraform import UNKNOWN, Model, evaluate
from mwgen.lint.tree import OutputTree

ROOT_TF = '''
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

variable "groups" {
  type    = any
  default = {}
}

module "eks_west" {
  source    = "../modules/eks"
  providers = {
    aws = aws.west
  }
  groups = var.groups
}
'''
MODULE_TF = '''
variable "groups" {
  type = any
}

data "aws_region" "current" {}

resource "aws_eks_node_group" "this" {
  for_each        = toset(keys(var.groups))
  node_group_name = "${each.key}-${data.aws_region.current.name}"

  dynamic "taint" {
    for_each = var.groups[each.key]
    content {
      key    = taint.key
      value  = taint.value
      effect = "NO_SCHEDULE"
    }
  }
}

resource "aws_iam_role" "opaque" {
  name = format("%s-role", var.groups)
}
'''


def project(make_project, files: dict[str, str]) -> OutputTree:
    root = make_project(files)
    (root / "values" / "environments").mkdir(exist_ok=True)
    (root / "values" / "environments" / "prod.yaml").write_text("environment: {regions: [us-west-2]}\n")
    return OutputTree.scan(root)


def test_module_calls_provider_aliases_for_each_and_dynamic_blocks(make_project) -> None:
    tree = project(make_project, {
        "output/terraform/prod/main.tf": ROOT_TF,
        "output/terraform/prod/terraform.tfvars": 'groups = {\n  app = {\n    dedicated = "app"\n  }\n}\n',
        "output/terraform/modules/eks/main.tf": MODULE_TF})
    model = Model.load(tree)
    [group] = model.resources("aws_eks_node_group")
    assert (group.address, group.env, group.region) == ('module.eks_west.aws_eks_node_group.this["app"]',
                                                         "prod", "us-west-2")
    assert group.value("node_group_name") == "app-us-west-2"
    assert [(b.value("key"), b.value("value")) for b in group.blocks("taint")] == [("dedicated", "app")]
    [role] = model.resources("aws_iam_role")
    assert role.value("name") is UNKNOWN  # a function call is not followed


def test_unknown_taints_never_make_a_finding(make_project) -> None:
    from tests.lint.rulekit import findings

    tree = project(make_project, {
        "output/terraform/prod/main.tf": ROOT_TF.replace("groups = var.groups", "groups = module.x.groups"),
        "output/terraform/modules/eks/main.tf": MODULE_TF,
        "output/k8s/prod/us-west-2/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                             "spec: {containers: [{name: c, image: x:1}]}\n"})
    assert findings(tree.root, ["pod.tolerates-node-group"]) == []


def test_expressions() -> None:
    scope = {"var": {"m": {"a b": [1, {"x": "y"}]}, "n": "prod"}, "local": {}}
    assert evaluate('"${var.n}-$${literal}"', scope) == "prod-${literal}"
    assert evaluate('${var.m["a b"][1].x}', scope) == "y"
    assert evaluate("${var.n == \"prod\" ? 1 : 0}", scope) is UNKNOWN
    assert evaluate('"%{ if true }x%{ endif }"', scope) is UNKNOWN


APPS = """apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: svc, namespace: argocd}
spec:
  generators:
    - git:
        repoURL: https://git.example.com/x.git
        directories:
          - path: output/k8s/prod/r1/services/*
          - path: output/k8s/prod/r1/services/legacy
            exclude: true
  template:
    metadata: {name: "{{path.basename}}"}
    spec:
      source: {repoURL: https://git.example.com/x.git, path: "{{path}}"}
      syncPolicy: {automated: {selfHeal: true}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: platform, namespace: argocd}
spec:
  source:
    repoURL: https://git.example.com/x.git
    path: output/k8s/prod/r1
    directory: {recurse: true, exclude: "services/**", include: "{*.yaml,*.yml}"}
"""


def test_argocd_ownership(make_project) -> None:
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    tree = project(make_project, {
        "output/argocd/prod/r1/apps.yaml": APPS,
        "output/k8s/prod/r1/ns.yaml": cm, "output/k8s/prod/r1/extra/cm.yml": cm,
        "output/k8s/prod/r1/notes.json": "{}",
        "output/k8s/prod/r1/services/web/dep.yaml": cm,
        "output/k8s/prod/r1/services/legacy/dep.yaml": cm})
    model = ArgoModel.build(tree, tree.kube_objects())
    owners = {rel: sorted(a.name for a in apps) for rel, apps in model.owners.items()}
    assert owners == {"output/k8s/prod/r1/ns.yaml": ["platform"],
                      "output/k8s/prod/r1/extra/cm.yml": ["platform"],
                      "output/k8s/prod/r1/services/web/dep.yaml": ["svc"]}
    [web] = [a for a in model.apps if a.generated]
    assert web.spec["source"]["path"] == "output/k8s/prod/r1/services/web" and web.self_heal


def test_promql_scan() -> None:
    q = scan('histogram_quantile(0.9, sum without (pod) (rate(istio_request_duration_milliseconds_bucket'
             '{reporter="destination", destination_app=~"$app|x{1}"}[$__rate_interval]))) '
             '/ on (le) group_left(version) flagger_info offset 5m')
    assert q.selectors == [("istio_request_duration_milliseconds_bucket", ["reporter", "destination_app"]),
                           ("flagger_info", [])]
    assert q.grouping == ["pod", "le", "version"] and not q.relabels
    assert scan("sum by ($group, job) (up)").grouping == ["job"]  # a Grafana variable is no name
    assert scan('label_replace(up, "x", "$1", "job", "(.*)")').relabels


def test_parsed_terraform_is_cached_by_content(make_project, monkeypatch) -> None:
    files = {"output/terraform/prod/main.tf": ROOT_TF, "output/terraform/modules/eks/main.tf": MODULE_TF}
    tree = project(make_project, files)
    first = [i.address for i in Model.load(tree).instances]
    import hcl2

    parsed: list[str] = []
    real = hcl2.loads
    monkeypatch.setattr(hcl2, "loads", lambda text, **kw: parsed.append(text) or real(text, **kw))
    assert [i.address for i in Model.load(OutputTree.scan(tree.root)).instances] == first
    assert parsed == []  # both files came from the cache
    (tree.root / "output/terraform/prod/main.tf").write_text(ROOT_TF + "\n# changed\n")
    assert [i.address for i in Model.load(OutputTree.scan(tree.root)).instances] == first
    assert len(parsed) == 1  # only the changed file was parsed again
