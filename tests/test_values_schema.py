"""schemas/values.schema.json: the bundled values pass, bad values fail with located,
actionable messages.

Each negative test copies the project's values/ and the values schema to tmp_path,
breaks exactly one thing in a real value file, and checks what ``Project.validate``
reports: file, line, dotted path and message.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator

from mwgen.errors import Problem, format_path
from mwgen.project import load_project

REPO = Path(__file__).resolve().parents[1]
SCHEMA_PATH = REPO / "schemas" / "values.schema.json"
DEV_TARGET = "values/targets/dev/us-east-1.yaml"


# -- helpers ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One scratch project per module: the schema is copied (and compiled) once."""
    root = tmp_path_factory.mktemp("project")
    (root / "schemas").mkdir()
    shutil.copy2(SCHEMA_PATH, root / "schemas" / "values.schema.json")
    return root


@pytest.fixture
def proj(scratch: Path) -> Path:
    """The scratch project with a fresh copy of the bundled values."""
    shutil.rmtree(scratch / "values", ignore_errors=True)
    shutil.copytree(REPO / "values", scratch / "values")
    return scratch


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(root: Path, rel: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first line containing ``needle`` (after ``after``)."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i, line in enumerate(lines[start:], start) if needle in line) + 1


def problems(root: Path, *targets: str) -> list[Problem]:
    project = load_project(root, search=False)
    chosen = [project.target(t) for t in targets] if targets else None
    return project.validate(chosen)


def at(found: list[Problem], path: str) -> list[Problem]:
    hits = [p for p in found if p.path == path]
    assert hits, f"no problem at {path}; got:\n" + "\n".join(p.format() for p in found)
    return hits


def one(found: list[Problem], path: str, fragment: str) -> Problem:
    hits = [p for p in at(found, path) if fragment in p.message]
    assert len(hits) == 1, (f"expected one problem at {path} containing {fragment!r}; got:\n"
                            + "\n".join(p.format() for p in found))
    return hits[0]


def walk(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    """Every (json-pointer-ish location, subschema) in the schema document."""
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


# -- the schema itself --------------------------------------------------------------

def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    missing = []
    for where, node in walk(schema):
        if not isinstance(node, dict) or "/if" in where:
            continue  # an ``if`` is a condition, not a definition
        for keyword in ("properties", "patternProperties", "$defs"):
            for name, sub in (node.get(keyword) or {}).items() if isinstance(node.get(keyword), dict) else ():
                # ``true`` only appears in if/then branches that re-list allowed keys;
                # the real definition (with its description) is in the parent.
                if sub is True and "/then" in where:
                    continue
                if not (isinstance(sub, dict) and isinstance(sub.get("description"), str)
                        and sub["description"].strip()):
                    missing.append(f"{where}/{keyword}/{name}")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and "description" not in extra:
            missing.append(f"{where}/additionalProperties")
    assert not missing, "schemas without a description:\n" + "\n".join(missing)


def test_every_object_is_closed(schema: dict[str, Any]) -> None:
    """Every object schema rejects unknown keys (or constrains map keys and values)."""
    open_ = []
    for where, node in walk(schema):
        if isinstance(node, dict) and node.get("type") == "object":
            extra = node.get("additionalProperties", True)
            if extra is True or (extra is not False and "propertyNames" not in node):
                open_.append(where)
    assert not open_, "open objects:\n" + "\n".join(open_)


def test_free_strings_are_bounded(schema: dict[str, Any]) -> None:
    unbounded = [where for where, node in walk(schema)
                 if isinstance(node, dict) and node.get("type") == "string"
                 and "maxLength" not in node and "enum" not in node]
    assert not unbounded, "strings without maxLength:\n" + "\n".join(unbounded)


# -- the bundled values ---------------------------------------------------------------

def test_bundled_values_are_valid_for_every_target() -> None:
    project = load_project(REPO, search=False)
    names = [t.name for t in project.targets()]
    assert {"dev/us-east-1", "staging/us-east-1", "staging/eu-west-1", "production/us-east-1",
            "production/us-west-2", "production/eu-west-1"} <= set(names)
    found = project.validate()
    assert found == [], "\n".join(p.format() for p in found)


# -- types, unknown keys, required keys ---------------------------------------------

def test_wrong_type_is_located(proj: Path) -> None:
    env = "values/environments/dev.yaml"
    edit(proj, env, "  api-gateway:\n    autoscaling: {min_replicas: 2, max_replicas: 4}\n",
         "  api-gateway:\n    autoscaling: {min_replicas: three, max_replicas: 4}\n")
    p = one(problems(proj, "dev/us-east-1"), "services.api-gateway.autoscaling.min_replicas",
            "'three' is not of type 'integer'")
    assert (p.file, p.line) == (env, line_of(proj, env, "min_replicas: three"))
    assert p.targets == ("dev/us-east-1",)


def test_unquoted_version_is_a_type_error(proj: Path) -> None:
    # YAML reads 1.30 as the float 1.3: the schema insists on a quoted string.
    append(proj, DEV_TARGET, "kubernetes:\n  version: 1.30\n")
    p = one(problems(proj, "dev/us-east-1"), "kubernetes.version", "is not of type 'string'")
    assert (p.file, p.line) == (DEV_TARGET, line_of(proj, DEV_TARGET, "version: 1.30"))


@pytest.mark.parametrize("rel, old, new, path, suggestion", [
    ("values/environments/dev.yaml", "  log_level: debug", "  log_levl: debug",
     "environment.log_levl", "log_level"),
    ("values/environments/production.yaml", "      progress_deadline_seconds: 600",
     "      progress_deadline_second: 600",
     "services.api-gateway.strategy.progress_deadline_second", "progress_deadline_seconds"),
])
def test_unknown_key_suggests_the_right_one(proj: Path, rel: str, old: str, new: str,
                                            path: str, suggestion: str) -> None:
    edit(proj, rel, old, new)
    key = path.rsplit(".", 1)[1]
    p = one(problems(proj), path, f"unknown key '{key}'")
    assert f"(did you mean '{suggestion}'?)" in p.message
    assert (p.file, p.line) == (rel, line_of(proj, rel, new.strip()))


def test_unknown_top_level_key(proj: Path) -> None:
    append(proj, DEV_TARGET, "netwrok:\n  vpc_cidr: 10.9.0.0/16\n")
    p = one(problems(proj, "dev/us-east-1"), "netwrok", "unknown key 'netwrok'")
    assert "did you mean 'network'" in p.message
    assert (p.file, p.line) == (DEV_TARGET, line_of(proj, DEV_TARGET, "netwrok:"))


def test_null_cannot_delete_a_required_key(proj: Path) -> None:
    append(proj, DEV_TARGET, "services:\n  api-gateway:\n    metrics: null\n")
    p = one(problems(proj, "dev/us-east-1"), "services.api-gateway",
            "'metrics' is a required property")
    assert p.file == "values/defaults.yaml"


def test_key_only_set_in_environment_files_is_still_required(proj: Path) -> None:
    # The account lives in values/environments/ENV.yaml; deleting it there leaves the
    # placeholder of defaults, which is still a valid 12-digit id: deleting it with
    # null is refused at the environment file.
    env = "values/environments/dev.yaml"
    edit(proj, env, '  account_id: "219384756102"\n', "  account_id: null\n")
    found = problems(proj, "dev/us-east-1")
    p = one(found, "environment", "'account_id' is a required property")
    assert p.file in (env, "values/defaults.yaml")


# -- service names -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../etc", "a/b", "Api_Gateway", "-api", "api.gateway",
                                  "9api", "x" * 64])
def test_bad_service_name_is_rejected_at_the_key(proj: Path, name: str) -> None:
    # Service names become output path segments: no '/', no '..', DNS-1123 only.
    append(proj, DEV_TARGET, f"services:\n  {json.dumps(name)}: {{}}\n")
    found = problems(proj, "dev/us-east-1")
    hits = [p for p in at(found, format_path(("services", name)))
            if repr(name)[:40] in p.message]
    # The schema's description is the hint (a 64-character name also gets "too long").
    assert any("DNS-1123 label" in p.message for p in hits), "\n".join(p.format() for p in found)
    for p in hits:
        assert (p.file, p.line) == (DEV_TARGET, line_of(proj, DEV_TARGET, json.dumps(name)))


def test_good_new_service_name_is_accepted(proj: Path) -> None:
    # A copy of an existing service under a new, valid name is a values-only change.
    import yaml

    defaults = yaml.safe_load((proj / "values/defaults.yaml").read_text(encoding="utf-8"))
    body = defaults["services"]["auth-service"]
    append(proj, DEV_TARGET, yaml.safe_dump({"services": {"billing-v2": body}}, sort_keys=False))
    assert problems(proj, "dev/us-east-1") == []


# -- patterns and ranges ---------------------------------------------------------------

@pytest.mark.parametrize("cidr", ["10.0.0.0/33", "300.0.0.0/16", "10.0.0/16", "10.0.0.0",
                                  "10.0.0.0/8", "10.0.0.0/24", "ten.0.0.0/16"])
def test_bad_vpc_cidr(proj: Path, cidr: str) -> None:
    edit(proj, DEV_TARGET, "  vpc_cidr: 10.10.0.0/16", f"  vpc_cidr: {cidr}")
    p = one(problems(proj, "dev/us-east-1"), "network.vpc_cidr", f"'{cidr}' does not match")
    assert (p.file, p.line, p.column) == (DEV_TARGET, line_of(proj, DEV_TARGET, "vpc_cidr"), 3)
    assert "IPv4 CIDR" in p.message and "/16 to /20" in p.message


@pytest.mark.parametrize("rel, old, new, path, fragment", [
    ("values/environments/production.yaml", '  account_id: "482917365014"',
     '  account_id: "48291736501"', "environment.account_id", "12 digits"),
    ("values/environments/production.yaml", '  account_id: "482917365014"',
     "  account_id: 482917365014", "environment.account_id", "is not of type 'string'"),
    ("values/environments/dev.yaml", '  account_id: "219384756102"',
     '  account_id: "000000000000"', "environment.account_id", "placeholder"),
    ("values/environments/dev.yaml", "  log_level: debug", "  log_level: verbose",
     "environment.log_level", "is not one of"),
    ("values/regions/us-west-2.yaml", "  name: us-west-2", "  name: US-West-2",
     "region.name", "AWS region name"),
    ("values/regions/us-west-2.yaml", "  availability_zones: [us-west-2a, us-west-2b, us-west-2c]",
     "  availability_zones: [us-west-2a, us-west-2]", "region.availability_zones[1]",
     "availability zone"),
    ("values/regions/us-west-2.yaml", "  availability_zones: [us-west-2a, us-west-2b, us-west-2c]",
     "  availability_zones: [us-west-2a]", "region.availability_zones", "too short"),
    ("values/regions/us-west-2.yaml", "  weight: 30", "  weight: 130", "region.weight",
     "greater than the maximum of 100"),
    ("values/regions/us-west-2.yaml", "  role: secondary", "  role: tertiary", "region.role",
     "is not one of ['primary', 'secondary', 'eu-data']"),
    ("values/environments/dev.yaml", "      requests: {cpu: 500m, memory: 2Gi}",
     "      requests: {cpu: 1 core, memory: 2Gi}",
     "services.ml-inference.resources.requests.cpu", "CPU quantity"),
    ("values/environments/dev.yaml", "      limits: {cpu: 2000m, memory: 4Gi}",
     "      limits: {cpu: 2000m, memory: 4g}",
     "services.ml-inference.resources.limits.memory", "memory quantity"),
    ("values/environments/staging.yaml", "        green: {tag: v1.5.0-rc.1}",
     "        green: {tag: ''}", "services.api-gateway.strategy.slots.green.tag", "image tag"),
    ("values/environments/production.yaml", "      analysis: {interval: 1m,",
     "      analysis: {interval: 1 minute,", "services.api-gateway.strategy.analysis.interval",
     "duration"),
    ("values/environments/dev.yaml", "    disruption_budget: {min_available: 1}\n  auth",
     "    disruption_budget: {min_available: -1}\n  auth",
     "services.api-gateway.disruption_budget.min_available", "less than the minimum of 0"),
    ("values/environments/dev.yaml", "    system: {desired_size: 2, min_size: 1, max_size: 3}",
     "    system: {desired_size: 2, min_size: 1, max_size: 3, capacity_type: spot}",
     "eks.node_groups.system.capacity_type", "is not one of ['ON_DEMAND', 'SPOT']"),
    ("values/defaults.yaml", "  interface_endpoints: [ecr.api, ecr.dkr, secretsmanager, sts]",
     "  interface_endpoints: [ecr.api, s3]", "network.interface_endpoints[1]", "not s3"),
    ("values/defaults.yaml", "request_interval: 10}", "request_interval: 15}",
     "terraform.global_lb.health_check.request_interval", "is not one of [10, 30]"),
])
def test_bad_value_is_located(proj: Path, rel: str, old: str, new: str, path: str,
                              fragment: str) -> None:
    edit(proj, rel, old, new)
    p = one(problems(proj), path, fragment)
    assert p.file == rel
    assert p.line == line_of(proj, rel, new.splitlines()[0].strip())


def test_port_out_of_range(proj: Path) -> None:
    append(proj, DEV_TARGET, "services:\n  api-gateway:\n    metrics: {port: 70000, path: /metrics}\n")
    p = one(problems(proj, "dev/us-east-1"), "services.api-gateway.metrics.port",
            "70000 is greater than the maximum of 65535")
    assert (p.file, p.line) == (DEV_TARGET, line_of(proj, DEV_TARGET, "port: 70000"))


def test_writable_path_cannot_escape(proj: Path) -> None:
    append(proj, DEV_TARGET, "services:\n  api-gateway:\n    writable_paths: {tmp: /tmp/../etc}\n")
    one(problems(proj, "dev/us-east-1"), "services.api-gateway.writable_paths.tmp", "does not match")


# -- strategy: if/then on type ---------------------------------------------------------

def test_blue_green_requires_active(proj: Path) -> None:
    edit(proj, "values/environments/staging.yaml", "      active: blue\n", "")
    found = problems(proj)
    p = one(found, "services.api-gateway.strategy", "'active' is a required property")
    assert set(p.targets) == {"staging/us-east-1", "staging/eu-west-1"}
    # A required-key error points at the strategy mapping itself.
    assert p.file == "values/defaults.yaml"
    assert p.line == line_of(proj, "values/defaults.yaml", "strategy:", after="  api-gateway:")
    # Exactly the one missing key is reported: no oneOf noise.
    assert [q for q in found if q.path.startswith("services.api-gateway.strategy")] == [p]


def test_blue_green_requires_both_slot_tags(proj: Path) -> None:
    rel = "values/environments/staging.yaml"
    edit(proj, rel, "        green: {tag: v1.5.0-rc.1}\n", "        green: {}\n")
    p = one(problems(proj), "services.api-gateway.strategy.slots.green",
            "'tag' is a required property")
    assert (p.file, p.line) == (rel, line_of(proj, rel, "green: {}"))


def test_blue_green_active_is_blue_or_green(proj: Path) -> None:
    rel = "values/environments/staging.yaml"
    edit(proj, rel, "      active: blue", "      active: red")
    p = one(problems(proj), "services.api-gateway.strategy.active", "'red' is not one of ['blue', 'green']")
    assert (p.file, p.line) == (rel, line_of(proj, rel, "active: red"))


@pytest.mark.parametrize("old, new, path, fragment", [
    ("max_weight: 50", "max_weight: 150", "max_weight", "150 is greater than the maximum of 100"),
    ("step_weight: 10", "step_weight: 0", "step_weight", "0 is less than the minimum of 1"),
    ("threshold: 5", "threshold: 0", "threshold", "0 is less than the minimum of 1"),
])
def test_canary_analysis_ranges(proj: Path, old: str, new: str, path: str, fragment: str) -> None:
    rel = "values/environments/production.yaml"
    edit(proj, rel, old, new)
    p = one(problems(proj), f"services.api-gateway.strategy.analysis.{path}", fragment)
    assert (p.file, p.line) == (rel, line_of(proj, rel, new))
    assert set(p.targets) == {"production/us-east-1", "production/us-west-2", "production/eu-west-1"}


def test_canary_requires_analysis(proj: Path) -> None:
    rel = "values/environments/production.yaml"
    edit(proj, rel, "      analysis: {interval: 1m, threshold: 5, max_weight: 50, step_weight: 10}\n", "")
    one(problems(proj), "services.api-gateway.strategy", "'analysis' is a required property")


def test_keys_of_another_strategy_type_are_rejected(proj: Path) -> None:
    # A rolling strategy with blue-green keys is a mistake, not something to ignore.
    append(proj, DEV_TARGET, "services:\n  auth-service:\n    strategy: {type: rolling, active: blue}\n")
    p = one(problems(proj, "dev/us-east-1"), "services.auth-service.strategy.active",
            "unknown key 'active'")
    assert p.file == DEV_TARGET


def test_unknown_strategy_type(proj: Path) -> None:
    append(proj, DEV_TARGET, "services:\n  auth-service:\n    strategy: {type: recreate}\n")
    found = problems(proj, "dev/us-east-1")
    one(found, "services.auth-service.strategy.type",
        "'recreate' is not one of ['rolling', 'blue-green', 'canary']")
    assert len(found) == 1


# -- region and environment rules ------------------------------------------------------

def test_eu_data_region_must_own_a_primary_database(proj: Path) -> None:
    rel = "values/regions/eu-west-1.yaml"
    edit(proj, rel, "  database_primary: true", "  database_primary: false")
    p = one(problems(proj), "region.database_primary", "True was expected")
    assert (p.file, p.line) == (rel, line_of(proj, rel, "database_primary"))
    assert set(p.targets) == {"staging/eu-west-1", "production/eu-west-1"}


def test_primary_region_must_own_a_primary_database(proj: Path) -> None:
    rel = "values/regions/us-east-1.yaml"
    edit(proj, rel, "  database_primary: true", "  database_primary: false")
    p = one(problems(proj), "region.database_primary", "True was expected")
    assert p.file == rel


def test_secondary_region_may_read_a_replica(proj: Path) -> None:
    # us-west-2 is secondary with database_primary: false in the bundled values;
    # flipping it to true is allowed too.
    edit(proj, "values/regions/us-west-2.yaml", "  database_primary: false", "  database_primary: true")
    assert problems(proj, "production/us-west-2") == []


def test_duplicate_region_is_rejected(proj: Path) -> None:
    rel = "values/environments/production.yaml"
    edit(proj, rel, "  regions: [us-east-1, us-west-2, eu-west-1]",
         "  regions: [us-east-1, us-west-2, us-east-1]")
    p = one(problems(proj), "environment.regions", "has non-unique elements")
    assert (p.file, p.line) == (rel, line_of(proj, rel, "regions:"))


# -- ports -------------------------------------------------------------------------

def test_first_port_must_be_named_http(proj: Path) -> None:
    # Probes, the Service's targetPort and canary traffic all use the port named http.
    rel = "values/defaults.yaml"
    edit(proj, rel, "      - {name: http, container_port: 3000, service_port: 80}",
         "      - {name: web, container_port: 3000, service_port: 80}")
    p = one(problems(proj, "dev/us-east-1"), "services.api-gateway.ports[0].name", "'http' was expected")
    assert (p.file, p.line) == (rel, line_of(proj, rel, "{name: web,"))


def test_canary_requires_its_webhook_settings(proj: Path) -> None:
    rel = "values/environments/production.yaml"
    edit(proj, rel, "      load_test: {duration: 1m, qps: 10, concurrency: 2, timeout: 5s}\n", "")
    one(problems(proj, "production/us-east-1"), "services.api-gateway.strategy",
        "'load_test' is a required property")
