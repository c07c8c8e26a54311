"""Views of the rendered tree that relation rules share: objects per target, pods and
their labels (Flagger's generated primaries included), the evaluated Terraform, Argo CD
ownership, PromQL selectors. Built once per lint run (see ``Context`` in
:mod:`mwgen.lint.rules.base`)."""
