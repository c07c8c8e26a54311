"""A deterministic generator of HCL snippets, valid and broken, for judging mwgen.hcl
against the real ``terraform fmt``.

Everything a template can emit is drawn at random with messy spacing: expressions of
every kind (operators, conditionals, tuples, objects, for-expressions, splats, calls,
templates with interpolations, directives and strip markers, heredocs), blocks with
ident/quoted labels and comments between them, single-line blocks, ``variable`` types,
interpolation-only values, non-ASCII identifiers, and values whose width differs from
their length (flags, ZWJ emoji, combining marks, CJK). A share of the snippets is then
broken by one random edit, to compare what each side accepts and refuses.
"""

from __future__ import annotations

import random

IDENTS = ["a", "b_c", "foo-bar", "x1", "𝒜", "café", "日本", "name", "count", "for_each"]
REFS = ["var.x", "local.y", "aws_s3_bucket.b.arn", "module.m.out", "each.value", "data.d.e.f"]
WORDS = ["", "x", "a b", "ünï", "🇩🇪", "👨\u200d👩\u200d👧", "cafe\u0301", "日本語", "tab\\t", "q\\\"q",
         "\\u00e9", "$${lit}", "%%{lit}", "100%", "$5", "back\\\\slash", "\U0001F600", "e\u0301\u0301"]
BINOPS = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]
LABELS = ["x", "a-b", "𝒜", "with space", "é", "tab\\there", "q\\\"", "\\u0041", "$${x}", "日本"]
BLOCK_TYPES = ["resource", "data", "module", "provider", "locals", "terraform", "b", "dynamic", "lifecycle"]
BREAKERS = list(' {}[]()"=,:#\n\r.*!?<$%~\\') + ["${", "%{", "<<EOT\n", "/*", "*/", "\u00a0", ";", "'"]


class Corpus:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    # -- helpers --------------------------------------------------------------------
    def sp(self) -> str:
        return self.r.choice(["", " ", " ", "  ", "   ", "\t"])

    def sp1(self) -> str:
        """At least one blank (where none would join two words)."""
        return self.r.choice([" ", " ", "  ", "\t "])

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # -- expressions ----------------------------------------------------------------
    def expr(self, depth: int = 0) -> str:
        r = self.r
        if depth > 3:
            return self.atom()
        kinds = ["atom", "atom", "ref", "unary", "binary", "cond", "tuple", "object",
                 "for", "call", "template", "paren", "index", "splat"]
        # A heredoc's closing marker must end its line: only a whole value can be one.
        kind = r.choice(kinds + ["heredoc", "heredoc", "heredoc-arg"] if depth == 0 else kinds)
        if kind == "heredoc-arg":  # a heredoc as a call argument: its marker ends the line
            return "f(" + self.sp() + self.heredoc(depth) + "\n" + self.sp() + ", 1)"
        if kind == "atom":
            return self.atom()
        if kind == "ref":
            return r.choice(REFS + IDENTS)
        if kind == "unary":
            return r.choice(["-", "!"]) + self.sp() + self.expr(depth + 1)
        if kind == "binary":
            return self.expr(depth + 1) + self.sp1() + r.choice(BINOPS) + self.sp() + self.expr(depth + 1)
        if kind == "cond":
            return (self.expr(depth + 1) + self.sp() + "?" + self.sp() + self.expr(depth + 1) + self.sp()
                    + ":" + self.sp() + self.expr(depth + 1))
        if kind == "tuple":
            return self.tuple(depth)
        if kind == "object":
            return self.object(depth)
        if kind == "for":
            return self.for_expr(depth)
        if kind == "call":
            name = r.choice(["f", "merge", "jsonencode", "provider::aws::arn_parse", "lookup"])
            args = [self.expr(depth + 1) for _ in range(r.randint(0, 3))]
            inner = ("," + self.sp()).join(args)
            if args and self.chance(0.2):
                inner += "..."
            return name + "(" + self.sp() + inner + self.sp() + ")"
        if kind == "template":
            return self.template(depth)
        if kind == "paren":
            return "(" + self.sp() + self.expr(depth + 1) + self.sp() + ")"
        if kind == "index":
            key = r.choice(["0", '"k"', "var.i", "1 + 1"])
            return r.choice(REFS) + "[" + self.sp() + key + self.sp() + "]" + r.choice(["", ".id", "[0]"])
        if kind == "splat":
            return r.choice(REFS) + r.choice(["[" + self.sp() + "*" + self.sp() + "]", ".*"]) + r.choice(
                ["", ".id", ".a.b", "[0]"])
        return self.heredoc(depth)

    def atom(self) -> str:
        return self.r.choice(["1", "0", "2.5", "1e3", "true", "false", "null", '"s"', "-1"]
                             + ['"' + w + '"' for w in WORDS])

    def tuple(self, depth: int) -> str:
        items = [self.expr(depth + 1) for _ in range(self.r.randint(0, 3))]
        if self.chance(0.3):
            body = "".join("\n" + self.sp() + item + "," for item in items) + "\n"
            return "[" + body + "]"
        inner = ("," + self.sp()).join(items)
        if items and self.chance(0.2):
            inner += ","
        return "[" + self.sp() + inner + self.sp() + "]"

    def key(self, depth: int) -> str:
        return self.r.choice(IDENTS[:4] + ['"k"', '"日本"', "(var.k)", '"${a}"'])

    def object(self, depth: int) -> str:
        items = [self.key(depth) + self.sp() + self.r.choice(["=", "=", ":"]) + self.sp() + self.expr(depth + 1)
                 for _ in range(self.r.randint(0, 3))]
        if self.chance(0.4):
            lines = "".join("\n" + self.sp() + item + self.r.choice(["", ",", "  # c"]) for item in items)
            return "{" + lines + "\n" + self.sp() + "}"
        return "{" + self.sp() + ("," + self.sp()).join(items) + self.sp() + "}"

    def for_expr(self, depth: int) -> str:
        coll = self.expr(depth + 2)
        if self.chance(0.5):
            head = "for" + self.sp1() + "x" + self.sp1() + "in" + self.sp1() + coll + self.sp() + ":" + self.sp()
            tail = (self.sp1() + "if" + self.sp1() + "x" + self.sp() + "!=" + self.sp() + "0") if self.chance(0.4) else ""
            return "[" + self.sp() + head + "x" + tail + self.sp() + "]"
        head = ("for" + self.sp1() + "k" + self.sp() + "," + self.sp() + "v" + self.sp1() + "in" + self.sp1()
                + coll + self.sp() + ":" + self.sp())
        group = "..." if self.chance(0.2) else ""
        return "{" + self.sp() + head + "k" + self.sp() + "=>" + self.sp() + "v" + group + self.sp() + "}"

    def interp(self, depth: int) -> str:
        return ("${" + self.r.choice(["", "~"]) + self.sp() + self.expr(depth + 2) + self.sp()
                + self.r.choice(["", "~"]) + "}")

    def template(self, depth: int) -> str:
        r = self.r
        if self.chance(0.25):  # interpolation only: terraform fmt unwraps it
            inner = self.expr(depth + 1)
            if self.chance(0.3):
                inner = self.expr(depth + 2) + self.sp() + "?" + self.sp() + "a" + self.sp() + ":\n" + self.sp() + "b"
            return '"${' + self.sp() + inner + self.sp() + '}"'
        parts = []
        for _ in range(r.randint(1, 3)):
            kind = r.choice(["lit", "lit", "interp", "if", "for"])
            if kind == "lit":
                parts.append(r.choice(WORDS))
            elif kind == "interp":
                parts.append(self.interp(depth))
            elif kind == "if":
                els = ("%{" + self.sp() + "else" + self.sp() + "}" + r.choice(WORDS)) if self.chance(0.5) else ""
                parts.append("%{" + r.choice(["", "~"]) + self.sp() + "if" + self.sp1() + self.expr(depth + 2)
                             + self.sp() + "}" + r.choice(WORDS) + els + "%{" + self.sp() + "endif"
                             + self.sp() + r.choice(["", "~"]) + "}")
            else:
                parts.append("%{" + self.sp() + "for" + self.sp1() + "x" + self.sp1() + "in" + self.sp1()
                             + r.choice(REFS) + self.sp() + "}${x}%{" + self.sp() + "endfor" + self.sp() + "}")
        return '"' + "".join(parts) + '"'

    def heredoc(self, depth: int) -> str:
        flush = self.chance(0.5)
        lines = []
        for _ in range(self.r.randint(0, 3)):
            line = self.r.choice(["  x = 1", "text", "", "   indented", "{ not code }", "$5 and 100%"])
            if self.chance(0.4):
                line += " " + self.interp(depth)
            lines.append(line)
        close = ("  " if flush or self.chance(0.3) else "") + "EOT"
        return ("<<-EOT\n" if flush else "<<EOT\n") + "".join(x + "\n" for x in lines) + close

    # -- body -----------------------------------------------------------------------
    def comment(self) -> str:
        return self.r.choice(["# c", "// c", "/* c */", "#   wide   ", "# 🇩🇪 flag", "/* a\n b */"])

    def attribute(self, indent: str, comment: bool = True) -> str:
        name = self.r.choice(IDENTS)
        value = self.expr()
        line = indent + name + self.sp() + "=" + self.sp() + value
        if comment and not value.startswith("<<") and self.chance(0.25):
            line += self.sp() + self.comment()
        return line

    def label(self) -> str:
        value = self.r.choice(LABELS)
        if self.chance(0.25) and value.isidentifier():
            return value
        return '"' + value + '"'

    def block(self, depth: int, indent: str) -> str:
        r = self.r
        kind = r.choice(BLOCK_TYPES)
        if kind == "variable" or self.chance(0.15):
            return self.variable(indent)
        labels = [self.label() for _ in range(r.randint(0, 2))]
        head = indent + kind
        for label in labels:
            head += self.sp1() + (self.comment() + " " if self.chance(0.1) and "\n" not in self.comment() else "") + label
        head += self.sp()
        if labels and self.chance(0.05):
            head += "/* c */ "
        if self.chance(0.2):
            return head + "{}" if self.chance(0.5) else head + "{" + self.sp() + "}"
        if self.chance(0.2):
            value = self.attribute("", comment=False)
            if "<<" not in value:
                return head + "{" + self.sp() + value + self.sp() + "}"
        return head + "{\n" + self.body(depth + 1, indent + r.choice(["", " ", "  ", "    "])) + indent + "}"

    def variable(self, indent: str) -> str:
        kind = self.r.choice(['"string"', "string", "list", '"list"', "map", '"map"', "set",
                              "map(string)", "object({a=string})", '"number"', "any"])
        name = self.r.choice(["x", '"x"', "𝒜", '"with space"'])
        return (indent + "variable" + self.sp1() + name + self.sp() + "{\n" + indent + "  type" + self.sp()
                + "=" + self.sp() + kind + "\n" + indent + "}")

    def body(self, depth: int, indent: str) -> str:
        out = []
        names: set[str] = set()
        for _ in range(self.r.randint(1, 4)):
            roll = self.r.random()
            if roll < 0.5 or depth > 2:
                line = self.attribute(indent)
                name = line.strip().split("=", 1)[0].strip()
                if name in names:
                    continue
                names.add(name)
                out.append(line)
            elif roll < 0.8:
                out.append(self.block(depth, indent))
            elif roll < 0.9:
                out.append(indent + self.comment())
            else:
                out.append(self.r.choice(["", "   "]))
        return "".join(line + "\n" for line in out)

    def snippet(self) -> str:
        text = self.body(0, "")
        if self.chance(0.1):
            text = text.rstrip("\n")
        if self.chance(0.05):
            text = text.replace("\n", "\r\n")
        return text

    def broken(self, text: str) -> str:
        """``text`` after one random edit: a deletion, an insertion or a replacement."""
        if not text:
            return self.r.choice(BREAKERS)
        at = self.r.randrange(len(text))
        edit = self.r.choice(["delete", "insert", "replace"])
        if edit == "delete":
            return text[:at] + text[at + 1:]
        piece = self.r.choice(BREAKERS)
        return text[:at] + piece + text[at + (edit == "replace"):]


def snippets(count: int, seed: int = 18, broken_share: float = 0.35) -> list[str]:
    """``count`` snippets; about ``broken_share`` of them edited at random."""
    corpus = Corpus(seed)
    out = []
    for _ in range(count):
        text = corpus.snippet()
        if corpus.chance(broken_share):
            text = corpus.broken(text)
        out.append(text)
    return out
