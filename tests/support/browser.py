"""Helpers for the browser tests."""

# The axe-core impacts a page must have no violations of.
SEVERE_IMPACTS = ("serious", "critical")


def severe(violations: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """From the `axe` fixture's violations by impact, the serious and critical ones as (rule,
    help, elements) by impact: `{}` when the page has none, and a readable failure when not."""
    return {
        impact: [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations[impact]
        ]
        for impact in SEVERE_IMPACTS
        if violations.get(impact)
    }
