"""A rule's page, written once as Markdown from its catalog file.

``hueylint explain`` renders it with rich; SARIF uses the same text as
``help.markdown``; the examples in it are the ones the test suite runs.
"""

from __future__ import annotations

from hueylint.catalog import RuleDoc

LANG = {"dockerfile": "docker", "compose": "yaml", "kubernetes": "yaml", "helm": "yaml", "systemd": "ini",
        "supervisord": "ini", "circus": "ini", "python": "python", "procfile": "text", "script": "bash",
        "logrotate": "text", "s6": "text", "deps": "text", "toml": "toml", "fly": "toml", "render": "yaml", "platformsh": "yaml", "heroku": "yaml", "kamal": "yaml",
        "cloudfoundry": "yaml", "ecs": "json"}


def markdown(doc: RuleDoc) -> str:
    lines = [f"# {doc.id} {doc.name}", "", f"- **Severity:** {doc.severity.label}"]
    if doc.guide:
        lines.append(f"- **Guide:** {doc.guide}")
    lines += ["", doc.summary, "", "## Why", "", doc.rationale, ""]
    for kind, heading in (("bad", "## Bad"), ("good", "## Good")):
        examples = [example for example in doc.examples if example.kind == kind]
        if not examples:
            continue
        lines += [heading, ""]
        for example in examples:
            if example.title:
                lines += [f"*{example.title}*", ""]
            for path, text in example.files.items():
                lang = LANG.get(example.format, "")
                if path.endswith(".py"):
                    lang = "python"
                elif path.endswith((".yaml", ".yml")):
                    lang = "yaml"
                elif path.endswith(".sh"):
                    lang = "bash"
                elif path.rsplit("/", 1)[-1].startswith("Dockerfile"):
                    lang = "docker"  # an image beside a compose or Kubernetes example
                lines += [f"`{path}`", "", f"```{lang}", text.rstrip("\n"), "```", ""]
    if doc.fix:
        lines += ["## Fix", "", doc.fix, ""]
    return "\n".join(lines)


def plain(doc: RuleDoc) -> str:
    return f"{doc.summary}\n\n{doc.rationale}\n\nFix: {doc.fix}"


def render_rule(doc: RuleDoc, color: str = "auto") -> None:
    """The page on stdout: rendered by rich on a terminal, the Markdown itself when piped (as
    ``ruff rule``), so it has no padding and greps and pages well. ``color`` as :func:`make_console`."""
    import sys

    from hueylint.terminal import is_terminal, make_console

    if color != "always" and not is_terminal():
        sys.stdout.write(markdown(doc) + "\n")
        return
    from rich.markdown import Markdown

    make_console(color=color).print(Markdown(markdown(doc), code_theme="ansi_dark"))


def rules_table(catalog: dict[str, RuleDoc]) -> str:
    """The README's rule table, generated so the README cannot drift from the catalog."""
    rows = ["| id | name | severity | summary |", "|---|---|---|---|"]
    for doc in catalog.values():
        summary = doc.summary.replace("|", "\\|")
        rows.append(f"| [{doc.id}](rules/{doc.path.name}) | {doc.name} | {doc.severity.label} | {summary} |")
    return "\n".join(rows)
