"""route53.routing-policy: records of one name and type share one routing policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.lint.relations.terraform import Model
from mwgen.lint.rules.route53_policy import RULE, policy
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import check, line_of, project, run

DNS = "output/terraform/global/dns/main.tf"


def record(name: str, policy_block: str, fqdn: str = "www.example.com", rtype: str = "A", zone: str = "main") -> str:
    return (f'resource "aws_route53_record" "{name}" {{\n  zone_id = aws_route53_zone.{zone}.zone_id\n'
            f'  name = "{fqdn}"\n  type = "{rtype}"\n  set_identifier = "{name}"\n{policy_block}'
            '  records = ["192.0.2.1"]\n}\n\n')


LATENCY = '  latency_routing_policy {\n    region = "us-east-1"\n  }\n'
GEO = '  geolocation_routing_policy {\n    continent = "EU"\n  }\n'
WEIGHTED = '  weighted_routing_policy {\n    weight = 10\n  }\n'
MULTI = "  multivalue_answer_routing_policy = true\n"


@pytest.mark.parametrize("block, name", [(LATENCY, "latency"), (GEO, "geolocation"), (WEIGHTED, "weighted"),
                                         (MULTI, "multivalue"), ("", "simple")])
def test_policy_names_the_records_routing(tmp_path: Path, block: str, name: str) -> None:
    root = project(tmp_path, {DNS: record("r", block)})
    (rec,) = Model.load(OutputTree.scan(root)).resources("aws_route53_record")
    assert policy(rec) == name


def test_one_policy_per_name_and_type_passes(tmp_path: Path) -> None:
    text = (record("east", LATENCY) + record("west", LATENCY) + record("v6", GEO, rtype="AAAA")
            + record("api", GEO, fqdn="api.example.com") + record("other", GEO, zone="other"))
    assert run(RULE, tmp_path, {DNS: text}) == []


def test_a_mix_is_reported_at_the_odd_record_with_its_file_and_line(tmp_path: Path) -> None:
    root = project(tmp_path, {DNS: record("east", LATENCY) + record("eu", GEO) + record("west", LATENCY)})
    found = check(RULE, root)
    assert [(h.file, h.line, h.subject, h.message) for h in found] == [
        (DNS, line_of(root, DNS, '"aws_route53_record" "eu"'), "",
         "aws_route53_record.eu: www.example.com A mixes geolocation routing with latency routing "
         "(aws_route53_record.east)")]


def test_names_compare_without_case_or_trailing_dot(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {DNS: record("east", LATENCY) + record("eu", GEO, fqdn="WWW.Example.com.")})
    assert len(found) == 1
