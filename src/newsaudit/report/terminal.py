"""A compact terminal summary of a Report, rendered with rich."""

from __future__ import annotations

import io
import os

from newsaudit.report.flags import confidence, is_strong
from newsaudit.report.labels import frame_name, genre_name, technique_name
from newsaudit.report.model import Report

_SNIPPET = 90


def _snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _paragraph_finder(report: Report):
    """Offset -> paragraph number (from 1), for pointing at a passage in plain text."""
    starts = [(p.start, p.index + 1) for p in report.paragraphs]

    def find(offset: int) -> int:
        number = 1
        for start, index in starts:
            if start > offset:
                break
            number = index
        return number

    return find


def render_text(report: Report, width: int | None = None) -> str:
    from newsaudit.report.findings import with_findings

    report = with_findings(report)
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
    german = report.language == "de"
    paragraph_of = _paragraph_finder(report)
    console.print()
    console.print(f"[bold]{'Das Wichtigste zuerst' if german else 'What to look at first'}[/]")
    if not report.findings:
        console.print(
            "[dim]"
            + (
                "Nichts fiel auf: keine prüfwürdige Behauptung ohne Quelle, keine starke Technik."
                if german
                else "Nothing stood out: no unsourced check-worthy claim, no strong technique."
            )
            + "[/]"
        )
    for f in report.findings:
        where = f" [dim](¶ {paragraph_of(f.start)})[/]" if f.end > f.start else ""
        console.print(f" {f.rank}. {escape(f.sentence_de if german else f.sentence)}{where}")
    console.print()
    if report.tags:
        console.print("Tags: " + ", ".join(escape(t) for t in report.tags))
    if report.keywords:
        console.print(
            "Keywords: "
            + ", ".join(f"[bold]{escape(k.text)}[/] {k.score:.2f}" for k in report.keywords)
        )
    language = "de" if german else "en"
    if report.genre:
        others = ", ".join(
            f"{genre_name(k, language)} {v:.2f}"
            for k, v in sorted(report.genre.scores.items(), key=lambda kv: -kv[1])
            if k != report.genre.label
        )
        score = report.genre.scores.get(report.genre.label)
        console.print(
            f"Genre: [bold]{genre_name(report.genre.label, language)}[/]"
            + (f" {score:.2f}" if score is not None else "")
            + (f" [dim]({others})[/]" if others else "")
        )
    if report.frames:
        console.print(
            "Frames: "
            + ", ".join(f"{frame_name(f.label, language)} {f.score:.2f}" for f in report.frames)
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
                str(f.paragraph + 1),
                technique_name(f.technique, language),
                f"{confidence(f):.2f}" + ("" if is_strong(f) else " ?"),
                escape(words),
                escape(evidence),
            )
        console.print(t)
    skipped = [a for a in report.analyzers if a.status != "ok"]
    for a in skipped:
        console.print(f"[yellow]{a.name}: {a.status}[/] {escape(a.note or '')}")
    console.print(
        f"[dim]{report.timings.get('total', 0.0):.3f} s · schema {report.schema_version} · "
        "this is the terminal summary: -f json gives the full Report, -f html the annotated page[/]"
    )
    return buffer.getvalue().rstrip("\n")
