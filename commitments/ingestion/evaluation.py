"""Scoring an analysis run against labelled articles, as the development set's README says.

Each article is ingested on a fresh database holding only the seed record (`ingest_article PATH
--published-on DATE --json`); the suggestions are then compared with the labels. Totals are
summed over articles (not averaged) and given per language too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

KINDS = ("evidence", "figures", "conflicts", "new", "meeting", "quotes")


@dataclass
class Tally:
    """found/expected per kind; evidence also counts the unlabelled keys suggested (`extra`)."""

    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    extra: int = 0

    def add(self, other: Tally) -> None:
        for kind in KINDS:
            self.found[kind] += other.found[kind]
            self.expected[kind] += other.expected[kind]
        self.extra += other.extra

    def recall(self, kind: str) -> float | None:
        return self.found[kind] / self.expected[kind] if self.expected[kind] else None

    def precision(self) -> float | None:
        hits = self.found["evidence"]
        return hits / (hits + self.extra) if hits + self.extra else None

    def as_dict(self) -> dict[str, Any]:
        return {
            kind: {"found": self.found[kind], "expected": self.expected[kind]} for kind in KINDS
        } | {"evidence_extra": self.extra, "evidence_precision": self.precision()}


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _period_matches(period: str, start: str | None, end: str | None) -> bool:
    if not start or not end:
        return False
    if ".." in period:
        first, last = period.split("..")
        return start[:7] == first and end[:7] == last and start[8:] == "01"
    return start == f"{period}-01-01" and end == f"{period}-12-31"


def score_article(label: dict[str, Any], text: str, suggestions: list[dict[str, Any]]) -> Tally:
    """One article's tally from its label, its text and the suggestions `ingest_article` gave."""
    tally = Tally()
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for s in suggestions:
        by_kind.setdefault(s["kind"], []).append(s)

    expect, accept = set(label.get("expect", [])), set(label.get("accept", []))
    keys = {s["commitment"] for s in by_kind.get("evidence", []) if s["commitment"]}
    tally.expected["evidence"] = len(expect)
    tally.found["evidence"] = len(expect & keys)
    tally.extra = len(keys - expect - accept)

    observations = by_kind.get("observation", [])
    for figure in label.get("figures", []):
        tally.expected["figures"] += 1
        wanted = Decimal(str(figure["value"]))
        hits = [
            o
            for o in observations
            if o.get("value") is not None
            and abs(Decimal(str(o["value"])) - wanted) <= wanted * Decimal("0.01")
            and _period_matches(figure["period"], o.get("period_start"), o.get("period_end"))
        ]
        if hits:
            tally.found["figures"] += 1
        if figure.get("conflicts_with") is not None:
            tally.expected["conflicts"] += 1
            if any(o.get("conflicts_with") for o in hits):
                tally.found["conflicts"] += 1

    proposed = by_kind.get("commitment", [])
    for phrase in label.get("new", []):
        tally.expected["new"] += 1
        lower = phrase.lower()
        if any(
            lower in (s.get("quote") or "").lower() or lower in (s.get("title") or "").lower()
            for s in proposed
        ):
            tally.found["new"] += 1

    meetings = by_kind.get("meeting", [])
    meeting = label.get("meeting")
    tally.expected["meeting"] = 1
    if meeting is None:
        right = not meetings
    elif meeting.get("existing"):
        right = any(m.get("meeting") == meeting["existing"] for m in meetings)
    else:
        right = any(not m.get("meeting") for m in meetings)
    tally.found["meeting"] = int(right)

    collapsed = _collapsed(text)
    tally.expected["quotes"] = len(suggestions)
    tally.found["quotes"] = sum(_collapsed(s["quote"]) in collapsed for s in suggestions)
    return tally


def ingest(path: Path, published_on: str) -> list[dict[str, Any]]:
    """The suggestions `ingest_article` gives for one article on the current database."""
    from django.core.management import call_command

    out = StringIO()
    call_command("ingest_article", str(path), "--published-on", published_on, "--json", stdout=out)
    return json.loads(out.getvalue())["suggestions"]


def evaluate(labels: dict[str, Any], texts_dir: Path) -> dict[str, Any]:
    """Every labelled article with a text in `texts_dir`, each on the seed record alone (loaded in
    a transaction that is rolled back), with totals overall and per language."""
    from django.core.management import call_command
    from django.db import transaction

    rows, totals, languages = [], Tally(), {}
    for label in labels["articles"]:
        path = texts_dir / f"{label['id']}.txt"
        if not path.is_file():
            rows.append({"id": label["id"], "lang": label["lang"], "missing": True})
            continue
        with transaction.atomic():
            call_command("load_seeds", stdout=StringIO())
            suggestions = ingest(path, label["published_on"])
            transaction.set_rollback(True)
        tally = score_article(label, path.read_text(encoding="utf-8"), suggestions)
        totals.add(tally)
        languages.setdefault(label["lang"], Tally()).add(tally)
        rows.append(
            {
                "id": label["id"],
                "lang": label["lang"],
                **tally.as_dict(),
                "suggested": sorted(
                    f"{s['kind']}:{s['commitment'] or s.get('title') or s.get('name') or ''}"
                    for s in suggestions
                ),
            }
        )
    return {
        "articles": rows,
        "total": totals.as_dict(),
        "languages": {code: t.as_dict() for code, t in sorted(languages.items())},
    }


def _cell(counts: dict[str, int]) -> str:
    if not counts["expected"]:
        return "-"
    return f"{counts['found']}/{counts['expected']}"


def _ratio(counts: dict[str, int]) -> str:
    if not counts["expected"]:
        return "-"
    return f"{counts['found']}/{counts['expected']} = {counts['found'] / counts['expected']:.2f}"


def table(report: dict[str, Any]) -> Iterable[str]:
    """The report as plain-text lines: a row per article, then the totals."""
    header = "article".ljust(44) + "evid  prec  figs  confl new   meet  quotes"
    yield header
    for row in report["articles"]:
        if row.get("missing"):
            yield f"{row['id'][:43]:<44}(no text)"
            continue
        precision = row["evidence_precision"]
        yield (
            f"{row['id'][:43]:<44}{_cell(row['evidence']):<6}"
            f"{'-' if precision is None else f'{precision:.2f}':<6}{_cell(row['figures']):<6}"
            f"{_cell(row['conflicts']):<6}{_cell(row['new']):<6}{_cell(row['meeting']):<6}"
            f"{_cell(row['quotes'])}"
        )
    for name, total in [("all", report["total"]), *report["languages"].items()]:
        precision = total["evidence_precision"]
        yield ""
        yield f"[{name}] evidence recall {_ratio(total['evidence'])}, precision " + (
            "-" if precision is None else f"{precision:.2f}"
        )
        yield (
            f"[{name}] figures {_ratio(total['figures'])}, conflicts {_ratio(total['conflicts'])}, "
            f"new {_ratio(total['new'])}, meeting {_ratio(total['meeting'])}, "
            f"quotes {_ratio(total['quotes'])}"
        )
