"""Rendering: template discovery, the Jinja environment, escaping, output formats."""
