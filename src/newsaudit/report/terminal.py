"""A compact terminal summary of a Report, rendered with rich."""

from __future__ import annotations

import io
import os

from newsaudit.report.flags import confidence, is_strong
from newsaudit.report.labels import (
    frame_name,
    genre_name,
    share_name,
    signal_name,
    technique_name,
)
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


# Interface text, English and German; the summary speaks the article's language.
_TEXT = {
    "language": ("language", "Sprache"),
    "paragraphs": ("paragraphs", "Absätze"),
    "sentences": ("sentences", "Sätze"),
    "first": ("What to look at first", "Das Wichtigste zuerst"),
    "nothing": (
        "Nothing stood out: no unsourced check-worthy claim, no strong technique.",
        "Nichts fiel auf: keine prüfwürdige Behauptung ohne Quelle, keine starke Technik.",
    ),
    "keywords": ("Keywords", "Schlagwörter"),
    "genre": ("Genre", "Textsorte"),
    "frames": ("Frames", "Deutungsrahmen"),
    "speaks": ("Who speaks", "Wer spricht"),
    "named": ("Who and what is named", "Wer und was genannt wird"),
    "name": ("Name", "Name"),
    "type": ("Type", "Typ"),
    "mentions": ("Mentions", "Nennungen"),
    "quotes": ("Quotes", "Zitate"),
    "speaker": ("Speaker", "Sprecher"),
    "kind": ("Kind", "Art"),
    "message": ("Message", "Aussage"),
    "claims": ("Check-worthy claims", "Prüfwürdige Behauptungen"),
    "claim": ("Claim", "Behauptung"),
    "by": ("Asserted by", "Quelle"),
    "score": ("Score", "Wert"),
    "outlet": ("the outlet, no source", "das Medium, ohne Quelle"),
    "source": ("a source", "eine Quelle"),
    "techniques": ("Persuasion techniques", "Überzeugungstechniken"),
    "technique": ("Technique", "Technik"),
    "words": ("Words", "Wörter"),
    "evidence": ("Evidence", "Beleg"),
    "narratives": ("Known narratives", "Bekannte Narrative"),
    "case": ("Case", "Fall"),
    "probability": ("Prob.", "Wahrsch."),
    "debunk": ("Debunk", "Widerlegung"),
    "seen": ("Seen", "Gesehen"),
    "credibility": ("Credibility", "Glaubwürdigkeit"),
    "moved": ("moved most by", "am stärksten bewegt durch"),
    "signals": ("Credibility signals", "Glaubwürdigkeitssignale"),
    "signal": ("Signal", "Signal"),
    "value": ("Value", "Wert"),
    "why": ("Why", "Warum"),
    "persuasion": (
        "{strong} strong flags per 1,000 words (all {all})",
        "{strong} starke Markierungen je 1.000 Wörter (alle {all})",
    ),
    "percentile": (
        "more than {p}% of everyday news articles ({ref})",
        "mehr als {p}% der Artikel alltäglicher Nachrichten ({ref})",
    ),
    "unusual": ("unusual", "ungewöhnlich"),
    "mostly": ("mostly", "vor allem"),
    "hidden": (
        "{n} possible flags not shown (--possible shows them)",
        "{n} mögliche Markierungen nicht gezeigt (--possible zeigt sie)",
    ),
    "footer": (
        "the terminal summary: -f json gives the full Report, -f html the annotated page",
        "die Kurzfassung: -f json gibt den ganzen Bericht, -f html die annotierte Seite",
    ),
}


def render_text(report: Report, width: int | None = None, possible: bool = False) -> str:
    """The summary; technique flags are the strong ones, with ``possible`` all of them."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from newsaudit.report.findings import with_findings

    report = with_findings(report)
    language = "de" if report.language == "de" else "en"

    def say(key: str) -> str:
        return _TEXT[key][language == "de"]

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
        f"{say('language')} [bold]{report.language or '?'}[/]"
        + (f" ({report.language_confidence:.2f})" if report.language_confidence else ""),
        f"{len(report.paragraphs)} {say('paragraphs')}",
        f"{len(report.sentences)} {say('sentences')}",
    ]
    for key in ("sitename", "author", "date", "url"):
        if report.metadata.get(key):
            facts.append(escape(str(report.metadata[key])))
    console.print(" · ".join(facts))
    paragraph_of = _paragraph_finder(report)
    console.print()
    console.print(f"[bold]{say('first')}[/]")
    if not report.findings:
        console.print(f"[dim]{say('nothing')}[/]")
    for f in report.findings:
        where = f" [dim](¶ {paragraph_of(f.start)})[/]" if f.end > f.start else ""
        sentence = f.sentence_de if language == "de" else f.sentence
        console.print(f" {f.rank}. {escape(sentence)}{where}")
    console.print()
    if report.tags:
        console.print("Tags: " + ", ".join(escape(t) for t in report.tags))
    if report.keywords:
        console.print(
            f"{say('keywords')}: "
            + ", ".join(f"[bold]{escape(k.text)}[/] {k.score:.2f}" for k in report.keywords)
        )
    if report.genre:
        others = ", ".join(
            f"{genre_name(k, language)} {v:.2f}"
            for k, v in sorted(report.genre.scores.items(), key=lambda kv: -kv[1])
            if k != report.genre.label
        )
        score = report.genre.scores.get(report.genre.label)
        console.print(
            f"{say('genre')}: [bold]{genre_name(report.genre.label, language)}[/]"
            + (f" {score:.2f}" if score is not None else "")
            + (f" [dim]({others})[/]" if others else "")
        )
    if report.frames:
        console.print(
            f"{say('frames')}: "
            + ", ".join(f"{frame_name(f.label, language)} {f.score:.2f}" for f in report.frames)
        )
    if report.credibility and report.credibility.attribution_shares:
        shares = report.credibility.attribution_shares
        console.print(
            f"{say('speaks')}: "
            + ", ".join(
                f"{share_name(name, language)} {share:.0%}" for name, share in shares.items()
            )
        )

    credibility = report.credibility
    if credibility and credibility.score is not None:
        moved = ", ".join(
            f"{signal_name(e.signal, language)} {e.effect:+.2f}"
            for e in credibility.score_effects[:3]
        )
        note = credibility.note_de if language == "de" else credibility.note
        console.print(
            f"{say('credibility')}: [bold]{credibility.score:.2f}[/]"
            + (f" ({say('moved')}: {escape(moved)})" if moved else "")
            + f"\n[dim]{escape(note)}[/]"
        )

    def table(title: str, *columns: str) -> Table:
        t = Table(title=say(title), title_justify="left", show_lines=False, expand=True)
        for column in columns:
            t.add_column(say(column) if column in _TEXT else column, overflow="fold")
        return t

    if report.narratives:
        t = table("narratives", "case", "probability", "evidence", "seen", "debunk")
        for m in report.narratives:
            group = report.narrative_groups[m.narrative] if report.narrative_groups else None
            seen = ""
            if group is not None:
                dates = "–".join(
                    dict.fromkeys(d[:4] for d in (group.date_from, group.date_to) if d)
                )
                seen = f"{group.case_count}× {dates}".strip()
            t.add_row(
                escape(_snippet(m.title, 70)),
                f"{m.probability:.2f}",
                f"¶ {paragraph_of(m.evidence.start)}: " + escape(_snippet(m.evidence.text, 60)),
                seen,
                escape(m.url or m.database),
            )
        console.print(t)
    if report.entity_clusters:
        t = table("named", "name", "type", "mentions")
        for c in report.entity_clusters:
            t.add_row(escape(c.canonical), c.label, str(len(c.mentions)))
        console.print(t)
    if report.quotes:
        t = table("quotes", "speaker", "kind", "message")
        for q in report.quotes:
            speaker = q.speaker.text if q.speaker else "—"
            t.add_row(escape(speaker), q.kind.replace("_", " "), escape(_snippet(q.message.text)))
        console.print(t)
    if report.claims:
        t = table("claims", "claim", "by", "score")
        for c in report.claims:
            who = c.attributed_name or say("outlet" if c.attribution == "outlet" else "source")
            t.add_row(escape(_snippet(c.text)), escape(who), f"{c.score:.2f}")
        console.print(t)
    shown = [f for f in report.techniques if possible or is_strong(f)]
    if report.persuasion:
        console.print(_persuasion_line(report, language))
    if shown:
        t = table("techniques", "¶", "technique", "score", "words", "evidence")
        for f in shown:
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
    hidden = len(report.techniques) - len(shown)
    if hidden:
        console.print(f"[dim]{_TEXT['hidden'][language == 'de'].format(n=hidden)}[/]")
    if credibility and credibility.signals:
        paragraph_of = _paragraph_finder(report)
        t = table("signals", "signal", "value", "why", "evidence")
        for signal in credibility.signals:
            evidence = "; ".join(
                f"{_snippet(span.text, 40)} (¶ {paragraph_of(span.start)})"
                for span in signal.spans[:3]
            )
            value = f"{signal.value:.2f}" if isinstance(signal.value, float) else str(signal.value)
            t.add_row(
                signal.name.replace("_", " "),
                value,
                escape(signal.explanation_de if language == "de" else signal.explanation),
                escape(evidence),
            )
        console.print(t)
    skipped = [a for a in report.analyzers if a.status != "ok"]
    for a in skipped:
        console.print(f"[yellow]{a.name}: {a.status}[/] {escape(a.note or '')}")
    console.print(
        f"[dim]{report.timings.get('total', 0.0):.3f} s · schema {report.schema_version} · "
        f"{say('footer')}[/]"
    )
    return buffer.getvalue().rstrip("\n")


def _persuasion_line(report: Report, language: str) -> str:
    from rich.markup import escape

    p = report.persuasion
    assert p is not None
    de = language == "de"
    line = _TEXT["persuasion"][de].format(
        strong=f"[bold]{p.strong_per_1000_words:.1f}[/]", all=f"{p.all_per_1000_words:.1f}"
    )
    if p.percentile is not None:
        where = _TEXT["percentile"][de].format(
            p=f"{p.percentile:.0f}", ref=escape(p.reference or "")
        )
        flag = f"[bold red]{_TEXT['unusual'][de]}:[/] " if p.unusual else ""
        line += f" · {flag}{where}"
    dominant = [d for d in p.dominant if d.strong]
    if dominant:
        names = ", ".join(f"{technique_name(d.technique, language)} ×{d.strong}" for d in dominant)
        where = ", ".join(f"¶ {q.paragraph + 1}" for q in p.paragraphs if q.strong)
        line += f" · {_TEXT['mostly'][de]}: {escape(names)} ({where})"
    return f"{_TEXT['techniques'][de]}: {line}"
