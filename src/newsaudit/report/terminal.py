"""A compact terminal summary of a Report, rendered with rich."""

from __future__ import annotations

import io
import os

from newsaudit.report.model import Report

_SNIPPET = 90


def _snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_text(report: Report, width: int | None = None) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or int(os.environ.get("COLUMNS", 100)),
        force_terminal=os.environ.get("NO_COLOR") is None and os.isatty(1),
        highlight=False,
    )
    title = report.title or _snippet(report.lead or report.text, 70)
    console.rule(f"[bold]{escape(title)}")
    facts = [
        f"language [bold]{report.language or 'unknown'}[/]"
        + (f" ({report.language_confidence:.2f})" if report.language_confidence else ""),
        f"{len(report.paragraphs)} paragraphs",
        f"{len(report.sentences)} sentences",
    ]
    for key in ("sitename", "author", "date", "url"):
        if report.metadata.get(key):
            facts.append(escape(str(report.metadata[key])))
    console.print(" · ".join(facts))
    if report.tags:
        console.print("Tags: " + ", ".join(escape(t) for t in report.tags))
    if report.keywords:
        console.print(
            "Keywords: "
            + ", ".join(f"[bold]{escape(k.text)}[/] {k.score:.2f}" for k in report.keywords)
        )
    if report.genre:
        console.print(f"Genre: [bold]{escape(report.genre.label)}[/]")
    if report.frames:
        console.print(
            "Frames: " + ", ".join(f"{escape(f.label)} {f.score:.2f}" for f in report.frames)
        )
    if report.credibility and report.credibility.attribution_shares:
        shares = report.credibility.attribution_shares
        console.print(
            "Who speaks: "
            + ", ".join(f"{name.replace('_', ' ')} {share:.0%}" for name, share in shares.items())
        )

    def table(title: str, *columns: str) -> Table:
        t = Table(title=title, title_justify="left", show_lines=False, expand=True)
        for column in columns:
            t.add_column(column, overflow="fold")
        return t

    if report.entity_clusters:
        t = table("Who and what is named", "Name", "Type", "Mentions")
        for c in report.entity_clusters:
            t.add_row(escape(c.canonical), c.label, str(len(c.mentions)))
        console.print(t)
    if report.quotes:
        t = table("Quotes", "Speaker", "Kind", "Message")
        for q in report.quotes:
            speaker = q.speaker.text if q.speaker else "—"
            t.add_row(escape(speaker), q.kind, escape(_snippet(q.message.text)))
        console.print(t)
    if report.claims:
        t = table("Claims", "Claim", "Asserted by", "Score")
        for c in report.claims:
            who = c.attributed_name or ("outlet" if c.attribution == "outlet" else "source")
            t.add_row(escape(_snippet(c.text)), escape(who), f"{c.score:.2f}")
        console.print(t)
    if report.techniques:
        t = table("Persuasion techniques", "¶", "Technique", "Score", "Words", "Evidence")
        for f in report.techniques:
            evidence = " / ".join(_snippet(e.text, 60) for e in f.evidence) or _snippet(f.text, 60)
            words = ", ".join(dict.fromkeys(c for e in f.evidence for c in e.cues))
            t.add_row(
                str(f.paragraph), f.technique, f"{f.score:.2f}", escape(words), escape(evidence)
            )
        console.print(t)
    skipped = [a for a in report.analyzers if a.status != "ok"]
    for a in skipped:
        console.print(f"[yellow]{a.name}: {a.status}[/] {escape(a.note or '')}")
    console.print(
        f"[dim]{report.timings.get('total', 0.0):.3f} s · schema {report.schema_version}[/]"
    )
    return buffer.getvalue().rstrip("\n")
