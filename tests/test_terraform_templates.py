"""The Terraform tree that templates/terraform renders (issue 5).

What is checked here offline, in place of ``terraform validate`` (which needs the AWS
provider): every resource and data source of MW-ENG-070's hand-written HCL is
rendered under its seed address with the seed's attributes; the global load balancer
is the seed's, resource for resource; every file parses (python-hcl2) and is
``terraform fmt`` clean; every ``var.``/``local.``/resource/``module.`` reference
resolves, and every module call passes exactly what its module declares; and a new
production region in values reaches the environment root and the load balancer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hcl2
import pytest
from click.testing import CliRunner

from mwgen.cli import main
from mwgen.project import load_project
from mwgen.render.engine import render
from tests.seed import seed_hcl

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM = shutil.which("terraform")

# (module, kind, type, name) -> attributes and blocks the seed sets (MW-ENG-070 1.2,
# 1.3 and 8.2, parsed with python-hcl2). The seed is not shipped with the project,
# so its inventory is written down here.
SEED: dict[tuple[str, str, str, str], tuple[str, ...]] = {
    # modules/vpc
    ("vpc", "resource", "aws_vpc", "main"): ("cidr_block", "enable_dns_hostnames", "enable_dns_support", "tags"),
    ("vpc", "resource", "aws_internet_gateway", "main"): ("tags", "vpc_id"),
    ("vpc", "resource", "aws_subnet", "public"): ("availability_zone", "cidr_block", "count", "map_public_ip_on_launch", "tags", "vpc_id"),
    ("vpc", "resource", "aws_subnet", "private_app"): ("availability_zone", "cidr_block", "count", "tags", "vpc_id"),
    ("vpc", "resource", "aws_subnet", "private_data"): ("availability_zone", "cidr_block", "count", "tags", "vpc_id"),
    ("vpc", "resource", "aws_eip", "nat"): ("count", "domain", "tags"),
    ("vpc", "resource", "aws_nat_gateway", "main"): ("allocation_id", "count", "depends_on", "subnet_id", "tags"),
    ("vpc", "resource", "aws_route_table", "public"): ("route", "tags", "vpc_id"),
    ("vpc", "resource", "aws_route_table", "private"): ("count", "route", "tags", "vpc_id"),
    ("vpc", "resource", "aws_route_table_association", "public"): ("count", "route_table_id", "subnet_id"),
    ("vpc", "resource", "aws_route_table_association", "private_app"): ("count", "route_table_id", "subnet_id"),
    ("vpc", "resource", "aws_route_table_association", "private_data"): ("count", "route_table_id", "subnet_id"),
    ("vpc", "resource", "aws_vpc_endpoint", "s3"): ("route_table_ids", "service_name", "tags", "vpc_endpoint_type", "vpc_id"),
    # The seed's ecr_api, ecr_dkr and secretsmanager endpoints: one for_each resource over
    # var.interface_endpoints, with moved blocks (test_interface_endpoints_come_from_values).
    ("vpc", "resource", "aws_vpc_endpoint", "interface"): ("private_dns_enabled", "security_group_ids", "service_name", "subnet_ids", "tags", "vpc_endpoint_type", "vpc_id"),
    ("vpc", "resource", "aws_security_group", "vpc_endpoints"): ("description", "egress", "ingress", "name_prefix", "tags", "vpc_id"),
    ("vpc", "data", "aws_region", "current"): (),
    # modules/eks
    ("eks", "resource", "aws_eks_cluster", "main"): ("depends_on", "enabled_cluster_log_types", "encryption_config", "name", "role_arn", "tags", "version", "vpc_config"),
    ("eks", "resource", "aws_eks_node_group", "application"): ("capacity_type", "cluster_name", "depends_on", "instance_types", "labels", "node_group_name", "node_role_arn", "scaling_config", "subnet_ids", "tags", "taint", "update_config"),
    ("eks", "resource", "aws_eks_node_group", "system"): ("capacity_type", "cluster_name", "instance_types", "labels", "node_group_name", "node_role_arn", "scaling_config", "subnet_ids", "tags", "taint"),
    ("eks", "resource", "aws_kms_key", "eks"): ("deletion_window_in_days", "description", "enable_key_rotation", "tags"),
    ("eks", "resource", "aws_iam_role", "cluster"): ("assume_role_policy", "name"),
    ("eks", "resource", "aws_iam_role_policy_attachment", "cluster_policy"): ("policy_arn", "role"),
    ("eks", "resource", "aws_iam_role_policy_attachment", "cluster_vpc_policy"): ("policy_arn", "role"),
    ("eks", "resource", "aws_iam_role", "node"): ("assume_role_policy", "name"),
    ("eks", "resource", "aws_iam_role_policy_attachment", "node_policy"): ("policy_arn", "role"),
    ("eks", "resource", "aws_iam_role_policy_attachment", "node_cni_policy"): ("policy_arn", "role"),
    ("eks", "resource", "aws_iam_role_policy_attachment", "node_ecr_policy"): ("policy_arn", "role"),
    ("eks", "resource", "aws_security_group", "cluster"): ("description", "egress", "name_prefix", "tags", "vpc_id"),
    ("eks", "resource", "aws_eks_addon", "vpc_cni"): ("addon_name", "addon_version", "cluster_name", "resolve_conflicts_on_update"),
    ("eks", "resource", "aws_eks_addon", "coredns"): ("addon_name", "addon_version", "cluster_name", "depends_on", "resolve_conflicts_on_update"),
    ("eks", "resource", "aws_eks_addon", "kube_proxy"): ("addon_name", "addon_version", "cluster_name", "resolve_conflicts_on_update"),
    ("eks", "resource", "aws_eks_addon", "ebs_csi_driver"): ("addon_name", "addon_version", "cluster_name", "resolve_conflicts_on_update", "service_account_role_arn"),
    ("eks", "resource", "aws_iam_openid_connect_provider", "eks"): ("client_id_list", "tags", "thumbprint_list", "url"),
    ("eks", "resource", "aws_iam_role", "ebs_csi"): ("assume_role_policy", "name"),
    ("eks", "resource", "aws_iam_role_policy_attachment", "ebs_csi"): ("policy_arn", "role"),
    ("eks", "data", "tls_certificate", "eks"): ("url",),
    # modules/global-lb
    ("global-lb", "resource", "aws_route53_health_check", "us_east_1"): ("failure_threshold", "fqdn", "port", "request_interval", "resource_path", "tags", "type"),
    ("global-lb", "resource", "aws_route53_health_check", "us_west_2"): ("failure_threshold", "fqdn", "port", "request_interval", "resource_path", "tags", "type"),
    ("global-lb", "resource", "aws_route53_health_check", "eu_west_1"): ("failure_threshold", "fqdn", "port", "request_interval", "resource_path", "tags", "type"),
    ("global-lb", "resource", "aws_route53_record", "api"): ("alias", "health_check_id", "latency_routing_policy", "name", "set_identifier", "type", "zone_id"),
    ("global-lb", "resource", "aws_route53_record", "api_usw2"): ("alias", "health_check_id", "latency_routing_policy", "name", "set_identifier", "type", "zone_id"),
    ("global-lb", "resource", "aws_route53_record", "api_euw1"): ("alias", "health_check_id", "latency_routing_policy", "name", "set_identifier", "type", "zone_id"),
    # No health check: EU clients are not failed over out of the EU (data residency).
    ("global-lb", "resource", "aws_route53_record", "api_eu_geo"): ("alias", "geolocation_routing_policy", "name", "set_identifier", "type", "zone_id"),
}

# Files of the seed's layout (MW-ENG-070 1.1) that must exist.
LAYOUT = [
    "modules/vpc/main.tf", "modules/vpc/variables.tf", "modules/vpc/outputs.tf", "modules/vpc/vpc.tf",
    "modules/eks/main.tf", "modules/eks/cluster.tf", "modules/eks/node-groups.tf", "modules/eks/addons.tf",
    "modules/rds/main.tf", "modules/rds/postgresql.tf", "modules/rds/timescaledb.tf",
    "modules/elasticache/main.tf", "modules/elasticache/redis.tf",
    "modules/msk/main.tf", "modules/msk/kafka.tf",
    "modules/security/kms.tf", "modules/security/waf.tf", "modules/security/secrets.tf",
    "modules/global-lb/main.tf",
    *(f"environments/{env}/{name}" for env in ("dev", "staging", "production")
      for name in ("main.tf", "terraform.tfvars", "backend.tf")),
    "global/iam/main.tf", "global/route53/main.tf", "global/s3-state/main.tf",
]


# -- helpers -------------------------------------------------------------------------
def render_terraform(project_dir: Path) -> dict[str, str]:
    """Rendered files under output/terraform/, keyed by path below it."""
    result = render(load_project(project_dir, search=False))
    return {path.removeprefix("terraform/"): f.content.decode()
            for path, f in result.files.items() if path.startswith("terraform/")}


def unquote(label: str) -> str:
    """python-hcl2 8 keeps the quotes of block labels and quoted keys."""
    return label[1:-1] if len(label) > 1 and label[0] == label[-1] == '"' else label


def blocks(doc: dict[str, Any], kind: str) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """(labels, body) of each ``kind`` block (resource, data, module, variable, ...)."""
    for item in doc.get(kind, []):
        yield from _labelled(item, [])


def _labelled(node: dict[str, Any], labels: list[str]) -> Iterator[tuple[list[str], dict[str, Any]]]:
    if node.get("__is_block__"):
        yield labels, node
        return
    for key, value in node.items():
        if isinstance(value, dict):
            yield from _labelled(value, [*labels, unquote(key)])


def attributes(body: dict[str, Any]) -> set[str]:
    return {unquote(k) for k in body if not k.startswith("__")}


def folder_docs(files: dict[str, str], folder: str) -> list[dict[str, Any]]:
    return [hcl2.loads(text) for path, text in sorted(files.items())
            if path.rsplit("/", 1)[0] == folder and path.endswith(".tf")]


def addresses(docs: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    found = {}
    for doc in docs:
        for kind in ("resource", "data"):
            for (rtype, name), body in blocks(doc, kind):
                found[(kind, rtype, name)] = body
    return found


@pytest.fixture(scope="module")
def tree() -> dict[str, str]:
    return render_terraform(ROOT)


# -- the seed ------------------------------------------------------------------------
def test_layout_of_the_seed(tree: dict[str, str]) -> None:
    assert [p for p in LAYOUT if p not in tree] == []


@pytest.mark.parametrize("key", list(SEED), ids=["/".join(k) for k in SEED])
def test_seed_resource_rendered_with_its_attributes(tree: dict[str, str],
                                                    key: tuple[str, str, str, str]) -> None:
    module, kind, rtype, name = key
    found = addresses(folder_docs(tree, f"modules/{module}"))
    assert (kind, rtype, name) in found, f"{kind} {rtype}.{name} missing from modules/{module}"
    missing = set(SEED[key]) - attributes(found[(kind, rtype, name)])
    assert not missing, f"{rtype}.{name} lacks the seed's {sorted(missing)}"


def test_global_lb_keeps_the_seed_health_checks_and_addresses(tree: dict[str, str]) -> None:
    """8.2's health checks are unchanged and every seed record address still exists;
    what the records answer changed (test_route53_design_is_one_the_api_accepts)."""
    seed = addresses([hcl2.loads(seed_hcl("8.2"))])
    rendered = addresses(folder_docs(tree, "modules/global-lb"))
    assert set(seed) <= set(rendered)
    for key, body in seed.items():
        if key[1] == "aws_route53_health_check":
            assert rendered[key] == body


def _records(tree: dict[str, str]) -> dict[str, dict[str, Any]]:
    found = addresses(folder_docs(tree, "modules/global-lb"))
    return {name: body for (kind, rtype, name), body in found.items()
            if rtype == "aws_route53_record"}


POLICIES = ("latency_routing_policy", "geolocation_routing_policy", "weighted_routing_policy",
            "failover_routing_policy", "geoproximity_routing_policy")


def test_route53_design_is_one_the_api_accepts(tree: dict[str, str]) -> None:
    """No name+type mixes geolocation with another routing policy (Route 53 rejects
    it); every health check probes a record the tree creates; EU clients are answered by
    eu-west-1 only; everyone else gets latency routing over all regions."""
    by_name: dict[tuple[str, str], set[str]] = {}
    for body in _records(tree).values():
        policy = next((p for p in POLICIES if p in body), "simple")
        by_name.setdefault((unquote(body["name"]), unquote(body["type"])), set()).add(policy)
    for (name, rtype), policies in by_name.items():
        assert len(policies) == 1, f"{name} {rtype} mixes {sorted(policies)}"
    assert by_name[("api.mindweave.io", "A")] == {"geolocation_routing_policy"}
    assert by_name[("api-latency.mindweave.io", "A")] == {"latency_routing_policy"}
    names = {name for name, _ in by_name}
    checks = addresses(folder_docs(tree, "modules/global-lb"))
    for (kind, rtype, name), body in checks.items():
        if rtype == "aws_route53_health_check":
            assert unquote(body["fqdn"]) in names, f"health check {name} probes nothing"
    records = _records(tree)
    eu = records["api_eu_geo"]
    assert eu["geolocation_routing_policy"][0]["continent"] == '"EU"'
    assert eu["alias"][0]["name"] == '"api-euw1.mindweave.io"'
    assert eu["alias"][0]["evaluate_target_health"] is False
    default = records["api_default_geo"]
    assert default["geolocation_routing_policy"][0]["country"] == '"*"'
    assert default["alias"][0]["name"] == '"api-latency.mindweave.io"'


def test_albs_are_found_by_the_name_the_ingress_gives_them(tree: dict[str, str]) -> None:
    """global/route53 reads each production ALB by the load-balancer-name the
    Kubernetes Ingress asks the AWS Load Balancer Controller for."""
    root = addresses(folder_docs(tree, "global/route53"))
    for region, code in (("us_east_1", "use1"), ("us_west_2", "usw2"), ("eu_west_1", "euw1")):
        assert unquote(root[("data", "aws_lb", region)]["name"]) == f"mindweave-production-{code}"
        assert ("resource", "aws_wafv2_web_acl_association", region) in root
    ingress_dir = ROOT / "output" / "k8s" / "production"
    if ingress_dir.is_dir():
        text = (ingress_dir / "us-east-1" / "mesh.yaml").read_text()
        assert "alb.ingress.kubernetes.io/load-balancer-name: mindweave-production-use1" in text


# -- the whole tree ------------------------------------------------------------------
def test_every_file_parses_as_hcl2(tree: dict[str, str]) -> None:
    for path, text in tree.items():
        hcl2.loads(text)  # raises on the first file that does not parse
    assert len(tree) >= len(LAYOUT)


@pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")
def test_tree_is_terraform_fmt_clean(tree: dict[str, str], tmp_path: Path) -> None:
    for path, text in tree.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull}
    proc = subprocess.run([str(TERRAFORM), "fmt", "-check", "-recursive", "-no-color", "."],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, f"not fmt clean:\n{proc.stdout}{proc.stderr}"


def test_committed_tree_is_current(tree: dict[str, str]) -> None:
    committed = ROOT / "output" / "terraform"
    if not committed.is_dir():
        pytest.skip("output/terraform has not been rendered")
    on_disk = {p.relative_to(committed).as_posix(): p.read_text()
               for p in committed.rglob("*") if p.is_file()}
    assert on_disk == tree, "output/terraform is stale: run mwgen render"


# -- references: what terraform validate would catch first --------------------------
_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")
_RESOURCE = re.compile(r"(?<![\w.])((?:aws|tls)_\w+)\.([A-Za-z_][\w-]*)")
_DATA = re.compile(r"\bdata\.(\w+)\.([A-Za-z_][\w-]*)")
_MODULE = re.compile(r"\bmodule\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)")
_LOCAL_BLOCK = re.compile(r"^locals \{\n(.*?)^\}", re.M | re.S)
_MOVED_FROM = re.compile(r"(?m)^\s*from\s*=.*$")


def folders(tree: dict[str, str]) -> list[str]:
    return sorted({p.rsplit("/", 1)[0] for p in tree if p.endswith(".tf")})


def declared(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {labels[0]: body for doc in docs for labels, body in blocks(doc, kind)}


@pytest.mark.parametrize("folder", folders(render_terraform(ROOT)))
def test_references_resolve(tree: dict[str, str], folder: str) -> None:
    texts = [t for p, t in tree.items() if p.rsplit("/", 1)[0] == folder and p.endswith(".tf")]
    code = "\n".join(re.sub(r"(?m)^\s*#.*$", "", t) for t in texts)
    code = _MOVED_FROM.sub("", code)  # a moved block's `from` names the old address
    docs = folder_docs(tree, folder)
    variables = set(declared(docs, "variable"))
    local_names = {m.group(1) for block in _LOCAL_BLOCK.findall(code)
                   for m in re.finditer(r"(?m)^  (\w+)\s*=", block)}
    found = addresses(docs)
    modules = declared(docs, "module")
    problems = [f"var.{n}" for n in sorted(set(_VAR.findall(code)) - variables)]
    problems += [f"local.{n}" for n in sorted(set(_LOCAL.findall(code)) - local_names)]
    problems += [f"{t}.{n}" for t, n in sorted(set(_RESOURCE.findall(code)))
                 if ("resource", t, n) not in found]
    problems += [f"data.{t}.{n}" for t, n in sorted(set(_DATA.findall(code)))
                 if ("data", t, n) not in found]
    for name, output in sorted(set(_MODULE.findall(code))):
        if name not in modules:
            problems.append(f"module.{name}")
            continue
        source = os.path.normpath(f"{folder}/{unquote(modules[name]['source'])}")
        if output not in declared(folder_docs(tree, source), "output"):
            problems.append(f"module.{name}.{output} (no such output in {source})")
    assert problems == [], f"{folder}: unresolved {problems}"


def test_module_calls_match_module_variables(tree: dict[str, str]) -> None:
    meta = {"source", "providers", "count", "for_each", "depends_on", "version"}
    problems = []
    for folder in folders(tree):
        for name, body in declared(folder_docs(tree, folder), "module").items():
            source = os.path.normpath(f"{folder}/{unquote(body['source'])}")
            variables = declared(folder_docs(tree, source), "variable")
            given = attributes(body) - meta
            required = {v for v, b in variables.items() if "default" not in b}
            problems += [f"{folder}: module.{name} passes unknown {a}" for a in sorted(given - set(variables))]
            problems += [f"{folder}: module.{name} misses {v}" for v in sorted(required - given)]
    assert problems == []


# -- values drive the structure -----------------------------------------------------------
def test_environment_roots_follow_their_regions(tree: dict[str, str]) -> None:
    for env, regions in (("dev", ["us-east-1"]), ("staging", ["us-east-1", "eu-west-1"]),
                         ("production", ["us-east-1", "us-west-2", "eu-west-1"])):
        doc = hcl2.loads(tree[f"environments/{env}/main.tf"])
        aliases = [unquote(b["alias"]) for _, b in blocks(doc, "provider")]
        assert aliases == [r.replace("-", "_") for r in regions]
        modules = set(declared([doc], "module"))
        for region in regions:
            alias = region.replace("-", "_")
            assert {f"{m}_{alias}" for m in ("vpc", "eks", "rds", "elasticache", "msk", "security")} <= modules
        backend = tree[f"environments/{env}/backend.tf"]
        assert f'key            = "environments/{env}/terraform.tfstate"' in backend
        assert 'dynamodb_table = "mindweave-terraform-locks"' in backend


def test_sizes_come_from_values_not_from_the_environment_name(tree: dict[str, str]) -> None:
    """The seed's `var.environment == "production" ? 6 : 3` is gone; tfvars carry sizes."""
    modules = "".join(t for p, t in tree.items() if p.startswith("modules/"))
    assert 'var.environment == "' not in modules
    production = hcl2.loads(tree["environments/production/terraform.tfvars"])
    app = production["regions"]['"us-east-1"']["eks"]["node_groups"]["application"]
    assert (app["desired_size"], app["min_size"], app["max_size"]) == (6, 3, 20)
    assert app["instance_types"] == ['"m6i.xlarge"']


def test_secondary_region_replicates_the_primary_database(tree: dict[str, str]) -> None:
    doc = hcl2.loads(tree["environments/production/main.tf"])
    rds = declared([doc], "module")
    assert "replica_sources" not in rds["rds_us_east_1"]
    assert "replica_sources" not in rds["rds_eu_west_1"]  # EU keeps its own primary
    assert rds["rds_us_west_2"]["replica_sources"]["postgresql"] == "${module.rds_us_east_1.postgresql_arn}"


def test_no_secret_values_in_terraform(tree: dict[str, str]) -> None:
    text = "".join(tree.values())
    assert 'resource "aws_secretsmanager_secret_version"' not in text
    assert not re.search(r"\b(password|secret_string)\s*=", text)


@pytest.fixture()
def project_with_new_region(tmp_path: Path) -> Path:
    """A copy of the project with production in ap-south-1 too."""
    for folder in ("values", "templates", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "values/regions/ap-south-1.yaml").write_text(
        "region:\n  name: ap-south-1\n  code: aps1\n  role: secondary\n  weight: 10\n"
        "  failover_priority: 4\n  database_primary: false\n"
        "  availability_zones: [ap-south-1a, ap-south-1b, ap-south-1c]\n")
    (tmp_path / "values/targets/production/ap-south-1.yaml").write_text(
        "network:\n  vpc_cidr: 10.3.0.0/16\n")
    production = tmp_path / "values/environments/production.yaml"
    text = production.read_text()
    assert "regions: [us-east-1, us-west-2, eu-west-1]" in text
    production.write_text(text.replace("regions: [us-east-1, us-west-2, eu-west-1]",
                                       "regions: [us-east-1, us-west-2, eu-west-1, ap-south-1]"))
    return tmp_path


def test_new_production_region_needs_values_only(project_with_new_region: Path,
                                                 tree: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["--project", str(project_with_new_region), "render"])
    assert result.exit_code == 0, result.output
    out = project_with_new_region / "output" / "terraform"
    root = hcl2.loads((out / "environments/production/main.tf").read_text())
    aliases = [unquote(b["alias"]) for _, b in blocks(root, "provider")]
    assert aliases[-1] == "ap_south_1"
    modules = declared([root], "module")
    assert {"vpc_ap_south_1", "eks_ap_south_1"} <= set(modules)
    assert modules["vpc_ap_south_1"]["providers"] == {"aws": "${aws.ap_south_1}"}
    lb = addresses([hcl2.loads((out / "modules/global-lb/main.tf").read_text())])
    check = lb[("resource", "aws_route53_health_check", "ap_south_1")]
    assert unquote(check["fqdn"]) == "api-aps1.mindweave.io"
    record = lb[("resource", "aws_route53_record", "api_aps1")]
    assert record["latency_routing_policy"] == [{"region": '"ap-south-1"', "__is_block__": True}]
    assert record["health_check_id"] == "${aws_route53_health_check.ap_south_1.id}"
    # The existing addresses (in state already) are untouched, except that the default
    # geolocation record now also waits for the new latency record.
    before = addresses(folder_docs(tree, "modules/global-lb"))
    default = ("resource", "aws_route53_record", "api_default_geo")
    assert {k: v for k, v in lb.items() if k in before and k != default} == {
        k: v for k, v in before.items() if k != default}
    route53 = hcl2.loads((out / "global/route53/main.tf").read_text())
    assert declared([route53], "module")["global_lb"]["alb_dns_name_aps1"] == (
        "${data.aws_lb.ap_south_1.dns_name}")
    irsa = (out / "environments/production/irsa.tf").read_text()
    assert '"mindweave-production-ap-south-1-api-gateway-role"' in irsa


# -- what the rendered Kubernetes tree needs from Terraform (issue 14) ---------------------
@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    """Every rendered file of the bundled project, by path under output/."""
    result = render(load_project(ROOT, search=False))
    return {path: f.content.decode() for path, f in result.files.items()}


def k8s_docs(rendered: dict[str, str], prefix: str) -> Iterator[dict[str, Any]]:
    import yaml

    for path, text in sorted(rendered.items()):
        if path.startswith(prefix) and path.endswith(".yaml"):
            yield from (d for d in yaml.safe_load_all(text) if d)


def pod_specs(docs: Iterator[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for d in docs:
        if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            yield d["metadata"]["name"], d["spec"]["template"]["spec"]


TF_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute",
              "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


@pytest.mark.parametrize("target", ["dev/us-east-1", "staging/eu-west-1", "production/us-east-1"])
def test_pods_tolerate_a_node_group_of_their_environment(rendered: dict[str, str],
                                                         target: str) -> None:
    """Every node group in the environment's terraform.tfvars is tainted; every pod
    tolerates the taint of the group whose role label it selects."""
    env, region = target.split("/")
    tfvars = hcl2.loads(rendered[f"terraform/environments/{env}/terraform.tfvars"])
    groups = tfvars["regions"][f'"{region}"']["eks"]["node_groups"]
    taints = {role: {"key": unquote(g["taint"]["key"]), "value": unquote(g["taint"]["value"]),
                     "effect": TF_EFFECTS[unquote(g["taint"]["effect"])]}
              for role, g in groups.items()}
    specs = list(pod_specs(k8s_docs(rendered, f"k8s/{target}/")))
    assert len(specs) >= 6
    for name, pod in specs:
        role = pod["nodeSelector"]["role"]
        wanted = dict(taints[role], operator="Equal")
        assert wanted in pod["tolerations"], f"{target} {name} does not tolerate {role}"
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}


def test_add_on_pods_go_to_the_system_node_group(rendered: dict[str, str]) -> None:
    import yaml

    apps = [d for d in yaml.safe_load_all(rendered["argocd/production/us-east-1/addons.yaml"]) if d]
    charted = {a["metadata"]["name"]: a["spec"]["source"]["helm"]["valuesObject"] for a in apps}
    want = [{"key": "CriticalAddonsOnly", "operator": "Equal", "value": "true", "effect": "NoSchedule"}]
    for name in ("flagger", "flagger-loadtester", "external-secrets", "aws-load-balancer-controller",
                 "istio-ingressgateway"):
        assert charted[name]["tolerations"] == want, name
    assert charted["istiod"]["pilot"]["tolerations"] == want
    assert charted["kube-prometheus-stack"]["grafana"]["sidecar"]["dashboards"]["label"] == "grafana_dashboard"
    for app in apps:  # pinned chart versions, never a range
        assert re.fullmatch(r"\d+\.\d+\.\d+", app["spec"]["source"]["targetRevision"]), app["metadata"]["name"]
        assert app["spec"]["syncPolicy"]["retry"]["limit"] >= 1
    assert {a["metadata"]["name"] for a in apps} >= {
        "istio-base", "istiod", "istio-ingressgateway", "flagger", "flagger-loadtester",
        "kube-prometheus-stack", "external-secrets", "aws-load-balancer-controller"}


def _irsa_roles(rendered: dict[str, str], env: str) -> dict[str, str]:
    """IAM role name -> the ServiceAccount subject its trust policy names."""
    roles = {}
    for (_, rtype, _name), body in addresses([hcl2.loads(rendered[f"terraform/environments/{env}/irsa.tf"])]).items():
        if rtype == "aws_iam_role":
            text = str(body["assume_role_policy"])
            sub = re.search(r"system:serviceaccount:[\w-]+:[\w-]+", text)
            assert sub and "oidc_provider_arn" in text
            roles[unquote(body["name"])] = sub.group(0)
    return roles


@pytest.mark.parametrize("env", ["dev", "staging", "production"])
def test_every_role_arn_names_a_role_trusting_that_service_account(rendered: dict[str, str],
                                                                    env: str) -> None:
    import yaml

    roles = _irsa_roles(rendered, env)
    seen = 0
    for path, text in rendered.items():
        if not (path.startswith(f"k8s/{env}/") or path.startswith(f"argocd/{env}/")):
            continue
        for doc in (d for d in yaml.safe_load_all(text) if d):
            for arn, namespace, sa in _role_arns(doc):
                role = arn.rsplit("/", 1)[1]
                assert role in roles, f"{path}: {arn} names no role in environments/{env}/irsa.tf"
                assert roles[role] == f"system:serviceaccount:{namespace}:{sa}"
                seen += 1
    assert seen >= 7


def _role_arns(doc: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    if doc["kind"] == "ServiceAccount":
        arn = doc["metadata"].get("annotations", {}).get("eks.amazonaws.com/role-arn")
        if arn:
            yield arn, doc["metadata"]["namespace"], doc["metadata"]["name"]
    elif doc["kind"] == "Application" and "helm" in doc["spec"]["source"]:
        sa = doc["spec"]["source"]["helm"]["valuesObject"].get("serviceAccount", {})
        arn = sa.get("annotations", {}).get("eks.amazonaws.com/role-arn")
        if arn:
            yield arn, doc["spec"]["destination"]["namespace"], sa["name"]


def test_external_secrets_read_what_terraform_creates(rendered: dict[str, str]) -> None:
    """Each service with secrets gets an ExternalSecret for its <service>-secrets, from
    Secrets Manager names <project>/<env>/<key> the security module creates."""
    module = rendered["terraform/modules/security/secrets.tf"]
    assert 'name                    = "${var.project}/${var.environment}/${each.key}"' in module
    tfvars = hcl2.loads(rendered["terraform/environments/staging/terraform.tfvars"])
    created = {unquote(s) for s in tfvars["regions"]['"eu-west-1"']["security"]["secrets"]}
    docs = list(k8s_docs(rendered, "k8s/staging/eu-west-1/"))
    targets = {}
    for d in docs:
        if d["kind"] == "ExternalSecret":
            assert d["apiVersion"] == "external-secrets.io/v1"
            targets[d["spec"]["target"]["name"]] = [r["remoteRef"]["key"] for r in d["spec"]["data"]]
    for name, spec in pod_specs(iter(docs)):
        for env in spec["containers"][0]["env"]:
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] in targets, f"{name}: {ref['name']} has no ExternalSecret"
                assert f"mindweave/staging/{ref['key']}" in targets[ref["name"]]
    for keys in targets.values():
        assert {k.rsplit("/", 1)[1] for k in keys} <= created


def test_redis_requires_auth_from_secrets_manager(tree: dict[str, str]) -> None:
    redis = tree["modules/elasticache/redis.tf"]
    assert "transit_encryption_enabled = true" in redis
    assert "auth_token                 = data.aws_secretsmanager_secret_version.auth_token.secret_string" in redis
    root = tree["environments/production/main.tf"]
    assert 'auth_token_secret_arn = module.security_us_east_1.secret_arns["redis-auth-token"]' in root


def test_no_eks_api_open_to_the_internet(tree: dict[str, str]) -> None:
    for env in ("dev", "staging", "production"):
        tfvars = hcl2.loads(tree[f"environments/{env}/terraform.tfvars"])
        for region, settings in tfvars["regions"].items():
            eks = settings["eks"]
            assert eks["endpoint_public_access"] is False or (
                eks["endpoint_public_access_cidrs"] and
                '"0.0.0.0/0"' not in eks["endpoint_public_access_cidrs"]), (env, region)
    assert "!contains(var.endpoint_public_access_cidrs, \"0.0.0.0/0\")" in tree["modules/eks/variables.tf"]


def test_ci_roles_are_scoped_below_administrator(tree: dict[str, str]) -> None:
    iam = tree["global/iam/main.tf"]
    assert "policy/AdministratorAccess" not in iam
    assert '"iam:*"' not in iam and 'Action = "*"' not in iam


def test_eks_version_and_add_ons_are_in_standard_support(tree: dict[str, str]) -> None:
    """EKS 1.35 is in standard support until 2027-03-27 (1.34 ends 2026-12-02); the
    add-on builds are 1.35's (kube-proxy's version is the cluster's minor)."""
    tfvars = hcl2.loads(tree["environments/production/terraform.tfvars"])
    eks = tfvars["regions"]['"us-east-1"']["eks"]
    assert unquote(eks["version"]) == "1.35"
    addons = {unquote(k): unquote(v) for k, v in eks["addons"].items()}
    assert addons["kube-proxy"].startswith("v1.35."), addons
    assert "enableNetworkPolicy" in tree["modules/eks/addons.tf"]


def test_interface_endpoints_come_from_values(tree: dict[str, str]) -> None:
    vpc = tree["modules/vpc/vpc.tf"]
    assert "for_each = toset(var.interface_endpoints)" in vpc
    for old, key in (("ecr_api", "ecr.api"), ("ecr_dkr", "ecr.dkr"), ("secretsmanager", "secretsmanager")):
        assert f'from = aws_vpc_endpoint.{old}\n  to   = aws_vpc_endpoint.interface["{key}"]' in vpc
    root = tree["environments/staging/main.tf"]
    assert 'interface_endpoints = var.regions["us-east-1"].network.interface_endpoints' in root


def test_region_config_names_the_data_stores_terraform_names(rendered: dict[str, str]) -> None:
    import yaml

    assert 'name    = "${data.aws_region.current.name}.${var.environment}.${var.project}.internal"' in (
        rendered["terraform/modules/vpc/vpc.tf"])
    assert '"${each.key}.${var.internal_zone_name}"' in rendered["terraform/modules/rds/main.tf"]
    assert '"redis.${var.internal_zone_name}"' in rendered["terraform/modules/elasticache/redis.tf"]
    cm = next(d for d in k8s_docs(rendered, "k8s/staging/us-east-1/region-config") if d)
    for region in yaml.safe_load(cm["data"]["regions.yaml"])["regions"]:
        zone = f"{region['name']}.staging.mindweave.internal"
        assert region["database"]["endpoint"] == f"postgresql.{zone}"
        assert region["redis"]["endpoint"] == f"redis.{zone}"


def test_images_come_from_the_accounts_ecr(rendered: dict[str, str]) -> None:
    repos = hcl2.loads(rendered["terraform/modules/ecr/variables.tf"])
    names = {unquote(r) for r in declared([repos], "variable")["repositories"]["default"]}
    for name, pod in pod_specs(k8s_docs(rendered, "k8s/production/eu-west-1/")):
        image = pod["containers"][0]["image"]
        registry, rest = image.split("/", 1)
        assert registry == "482917365014.dkr.ecr.eu-west-1.amazonaws.com", image
        assert rest.rsplit(":", 1)[0] in names
    ecr = rendered["terraform/modules/ecr/main.tf"]
    assert 'image_tag_mutability = "IMMUTABLE"' in ecr
