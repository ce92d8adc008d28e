"""Documentation generated from the rule registry: ``rules.md``, ``aml-migrate rules`` and ``explain``.

Regenerate the catalog with ``python -m lint_plugin.docs > rules.md``; a test fails when it is stale.
"""

from __future__ import annotations

from .rules import RULES, Rule

_FIX_WORDS = {"safe": "safe fix", "unsafe": "unsafe fix (behaviour changes, reported)", "manual": "manual"}


def fix_availability(rule: Rule) -> str:
    if not rule.fixes:
        return "hint only"
    return ", ".join(_FIX_WORDS[kind] for kind in rule.fixes)


def rules_table() -> str:
    header = f"{'code':<8}{'pylint':<8}{'symbol':<34}{'fix':<20}what it flags"
    rows = [f"{r.code:<8}{r.pylint_id:<8}{r.symbol:<34}{'/'.join(r.fixes) or 'hint':<20}{r.summary}" for r in RULES]
    return "\n".join([header, *rows])


def rule_document(rule: Rule, heading: str = "##") -> str:
    language = "" if rule.scope == "requirements" else "python"
    return "\n".join([
        f"{heading} {rule.code} `{rule.symbol}` (pylint {rule.pylint_id})",
        "",
        f"**Flags.** {rule.description}",
        "",
        f"**Why.** {rule.why}",
        "",
        f"**Fix.** {fix_availability(rule)}. Applies from azureml-sdk {rule.since}."
        + (" Reported by `aml-migrate check` only." if rule.scope == "requirements" else ""),
        "",
        "Example:",
        "",
        f"```{language}\n{rule.example.rstrip()}\n```",
        "",
        "Migrated:",
        "",
        f"```{language}\n{rule.fixed_example.rstrip()}\n```",
    ])


def rules_markdown() -> str:
    index = "\n".join(f"| [{r.code}](#{r.code.lower()}-{r.symbol}-pylint-{r.pylint_id.lower()}) | `{r.symbol}` | "
                      f"{r.pylint_id} | {r.summary} | {fix_availability(r)} |" for r in RULES)
    sections = "\n\n".join(rule_document(rule) for rule in RULES)
    return (
        "# aml-migrate rules\n\n"
        "<!-- Generated from lint_plugin/rules.py by `python -m lint_plugin.docs > rules.md`. Do not edit. -->\n\n"
        "| code | symbol | pylint | flags | fix |\n|---|---|---|---|---|\n"
        f"{index}\n\n{sections}\n"
    )


if __name__ == "__main__":
    print(rules_markdown(), end="")
