"""Jinja filters and tests of the weather project (named by `extensions:` in mwgen.yaml)."""


def hostname(service, env, region, domain):
    """Public host of a service in one target: api.prod.ap-southeast-2.weather.example.net."""
    prefix = "" if env == "prod" else f"{env}."
    return f"{service}.{prefix}{region}.{domain}"


def public(service):
    """Whether a service is reachable from the internet (it has an ingress)."""
    return bool(service.get("public", False))


FILTERS = {"hostname": hostname}
TESTS = {"public": public}
