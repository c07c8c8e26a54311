"""route53.health-check-target: a health check's fqdn inside a managed zone is a record."""

from __future__ import annotations

from pathlib import Path

from mwgen.lint.rules.route53_health import RULE
from tests.lint.rules.kit import check, line_of, project, run

DNS = "output/terraform/global/dns/main.tf"
ZONE = 'resource "aws_route53_zone" "main" {\n  name = "example.com."\n}\n\n'


def record(name: str, fqdn: str) -> str:
    return (f'resource "aws_route53_record" "{name}" {{\n  zone_id = aws_route53_zone.main.zone_id\n'
            f'  name = "{fqdn}"\n  type = "A"\n  records = ["192.0.2.1"]\n}}\n\n')


def health(name: str, fqdn: str) -> str:
    return f'resource "aws_route53_health_check" "{name}" {{\n  fqdn = "{fqdn}"\n  type = "HTTPS"\n}}\n\n'


def test_a_check_on_a_record_passes(tmp_path: Path) -> None:
    text = ZONE + record("www", "www.example.com") + record("api", "api") + health("www", "WWW.example.com.") \
        + health("api", "api.example.com")  # a record name relative to its zone counts too
    assert run(RULE, tmp_path, {DNS: text}) == []


def test_a_check_on_no_record_is_located_at_the_health_check(tmp_path: Path) -> None:
    root = project(tmp_path, {DNS: ZONE + record("www", "www.example.com") + health("east", "www-east.example.com")})
    found = check(RULE, root)
    assert [(h.file, h.line, h.path, h.message) for h in found] == [
        (DNS, line_of(root, DNS, '"aws_route53_health_check" "east"'), "",
         "aws_route53_health_check.east: fqdn www-east.example.com is no record of zone example.com")]


def test_the_zone_apex_needs_a_record_too(tmp_path: Path) -> None:
    assert [h.message for h in run(RULE, tmp_path, {DNS: ZONE + health("apex", "example.com")})] == [
        "aws_route53_health_check.apex: fqdn example.com is no record of zone example.com"]


def test_names_outside_managed_zones_and_unknown_fqdns_are_not_judged(tmp_path: Path) -> None:
    text = ZONE + health("ext", "status.other.org") + health("near", "notexample.com") \
        + 'resource "aws_route53_health_check" "v" {\n  fqdn = var.host\n}\n'
    assert run(RULE, tmp_path, {DNS: text}) == []
    assert run(RULE, tmp_path, {DNS: health("east", "www.example.com")}) == []  # no zone in the tree
