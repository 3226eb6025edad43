"""The pipeline: Document in, Report out, through analyzers in dependency order."""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.dates import date_warnings
from newsaudit.document import Document, Failure
from newsaudit.errors import InputError, NewsauditError
from newsaudit.report.findings import derive_findings
from newsaudit.report.model import AnalyzerInfo, Paragraph, Report, Sentence

log = logging.getLogger(__name__)

# Dotted paths of the default analyzers, in an order that satisfies their ``requires``.
DEFAULT_ANALYZERS: tuple[str, ...] = (
    "newsaudit.analyzers.entities:EntityAnalyzer",
    "newsaudit.analyzers.quotes:QuotesAnalyzer",
    "newsaudit.analyzers.claims:ClaimsAnalyzer",
    "newsaudit.analyzers.keywords:KeywordAnalyzer",
    "newsaudit.analyzers.techniques:TechniqueAnalyzer",
    "newsaudit.analyzers.persuasion:PersuasionAnalyzer",
    "newsaudit.analyzers.genre_frames:GenreFramesAnalyzer",
    # After techniques: it reads their paragraph encodings instead of computing its own.
    "newsaudit.analyzers.narratives:NarrativesAnalyzer",
    "newsaudit.analyzers.credibility:CredibilityAnalyzer",
)


def _instantiate(path: str) -> Analyzer:
    module_name, class_name = path.split(":")
    return getattr(importlib.import_module(module_name), class_name)()


# Report fields the pipeline fills from the Document and the text layer; analyzers
# fill the others, each field by one analyzer. Findings are derived last, from every layer.
PIPELINE_FIELDS = frozenset(
    {
        "schema_version", "id", "text", "language", "language_confidence", "title", "lead",
        "tags", "metadata", "offset_map", "paragraphs", "sentences", "analyzers", "timings",
        "findings", "warnings", "quote_changes",
    }
)  # fmt: skip


def check_contracts(analyzers: Sequence[Analyzer]) -> None:
    """Each analyzer's ``requires`` run before it; its ``assigns`` are Report fields that
    the pipeline leaves to analyzers, and no field is assigned twice."""
    seen: set[str] = set()
    owner: dict[str, str] = {}
    writable = set(Report.model_fields) - PIPELINE_FIELDS
    for analyzer in analyzers:
        missing = [r for r in analyzer.requires if r not in seen]
        if missing:
            raise ValueError(f"analyzer {analyzer.name!r} needs {missing} to run before it")
        unknown = sorted(set(analyzer.assigns) - writable)
        if unknown:
            raise ValueError(f"analyzer {analyzer.name!r} assigns {unknown}, not analysis fields")
        for field in analyzer.assigns:
            if field in owner:
                raise ValueError(
                    f"analyzers {owner[field]!r} and {analyzer.name!r} both assign {field!r}"
                )
            owner[field] = analyzer.name
        seen.add(analyzer.name)


class Pipeline:
    def __init__(self, analyzers: Sequence[Analyzer] | None = None) -> None:
        self.analyzers = list(analyzers) if analyzers is not None else default_analyzers()
        check_contracts(self.analyzers)
        self._loaded: set[str] = set()

    def __getstate__(self) -> dict[str, Any]:
        return {"analyzers": self.analyzers, "_loaded": set()}

    def _ensure_loaded(self, analyzer: Analyzer) -> None:
        if analyzer.name not in self._loaded:
            analyzer.load()
            self._loaded.add(analyzer.name)

    def _register_readers(self, context: Context) -> None:
        """Each analyzer that reads piece states registers its reader before the first
        paragraph is encoded, whichever analyzer reads it first (one encoder pass)."""
        language = context.document.language
        for analyzer in self.analyzers:
            if not analyzer.supports(language):
                continue
            try:
                self._ensure_loaded(analyzer)
                reader = analyzer.piece_reader(language)
            except NewsauditError:
                raise
            except Exception:  # reported when the analyzer runs and fails to load again
                continue
            if reader is not None:
                context.encodings.register(analyzer.name, reader)

    def run(self, document: Document) -> Report:
        from newsaudit.nlp.tokens import build_text_layer

        timings: dict[str, float] = {}
        began = time.perf_counter()
        layer = build_text_layer(document)
        timings["text_layer"] = time.perf_counter() - began
        context = Context(document=document, layer=layer)
        self._register_readers(context)
        infos: list[AnalyzerInfo] = []
        for analyzer in self.analyzers:
            info = AnalyzerInfo(name=analyzer.name, version=analyzer.version)
            if not analyzer.supports(document.language):
                info.status = "skipped"
                info.note = f"language {document.language or 'unknown'!r} is not supported"
                infos.append(info)
                continue
            started = time.perf_counter()
            try:
                self._ensure_loaded(analyzer)
                info.model = analyzer.model_name
                results = analyzer.analyze(context)
                undeclared = sorted(set(results) - set(analyzer.assigns))
                if undeclared:
                    raise ValueError(f"returned {undeclared}, which it does not assign")
                context.results.update(results)
            except NewsauditError:
                raise
            except Exception as exc:  # an analyzer bug must not lose the article
                log.exception("analyzer %s failed on %s", analyzer.name, document.id)
                info.status = "failed"
                info.note = f"{type(exc).__name__}: {exc}"
            timings[analyzer.name] = time.perf_counter() - started
            infos.append(info)
        timings["total"] = time.perf_counter() - began
        report = Report(
            id=document.id,
            text=document.text,
            language=document.language,
            language_confidence=document.language_confidence,
            title=document.title,
            lead=document.lead,
            tags=document.tags,
            metadata=document.metadata,
            offset_map=document.offset_map.breakpoints,
            warnings=[*document.warnings, *date_warnings(document.metadata)],
            paragraphs=[
                Paragraph(index=b.index, start=b.start, end=b.end, role=b.role, window=b.window)
                for b in document.blocks
            ],
            sentences=[Sentence(start=s, end=e) for s, e in layer.sentences],
            analyzers=infos,
            timings={k: round(v, 6) for k, v in timings.items()},
            **context.results,
        )
        report.findings = derive_findings(report)  # last: it reads every layer
        return report


def default_analyzers(names: Iterable[str] | None = None) -> list[Analyzer]:
    """The default analyzers, or only those named (module names such as ``keywords``).

    Choosing a subset lets a user skip models they do not need, e.g. for a fast first look.
    """
    if names is None:
        return [_instantiate(path) for path in DEFAULT_ANALYZERS]
    known = {path.split(":")[0].rsplit(".", 1)[-1]: path for path in DEFAULT_ANALYZERS}
    wanted = set(names)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise InputError(
            f"unknown analyzer(s) {', '.join(unknown)}; choose from {', '.join(known)}"
        )
    chosen = {name: _instantiate(known[name]) for name in wanted}
    pending = [r for a in chosen.values() for r in a.requires]
    while pending:  # what a chosen analyzer needs runs too
        name = pending.pop()
        if name not in chosen:
            chosen[name] = _instantiate(known[name])
            pending.extend(chosen[name].requires)
    return [chosen[name] for name in known if name in chosen]


def analyzers_without(names: Iterable[str]) -> list[Analyzer]:
    """The default analyzers minus those named and every analyzer that needs one of them.

    WHY: a pipeline that drops an analyzer others require fails its contract check, so a
    measurement "without X" must also leave out what reads X, and say so.
    """
    dropped = set(names)
    kept = []
    for analyzer in default_analyzers():
        if analyzer.name in dropped or dropped.intersection(analyzer.requires):
            dropped.add(analyzer.name)
        else:
            kept.append(analyzer)
    return kept


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The process-wide pipeline, so models load once."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def analyze_document(document: Document, pipeline: Pipeline | None = None) -> Report:
    return (pipeline or default_pipeline()).run(document)


def analyze_many(
    documents: Iterable[Document | Failure], pipeline: Pipeline | None = None
) -> Iterator[Report | Failure]:
    """Analyse a stream; an article that fails becomes a :class:`Failure`, never an abort.

    That holds for any exception of one article (a bug in the text layer, say), not only for
    the errors written for users: one poison pill must not stop a million-article batch.
    """
    pipeline = pipeline or default_pipeline()
    for item in documents:
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield pipeline.run(item)
        except NewsauditError as exc:
            yield Failure(id=item.id, error=str(exc), kind=type(exc).__name__)
        except Exception as exc:
            log.exception("analysing %s failed", item.id)
            yield Failure.internal(item.id, exc)
