"""The analyzer contract shared by every step of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from newsaudit.analyzers.embeddings import ParagraphEncodings, PieceReader
    from newsaudit.document import Document
    from newsaudit.nlp.tokens import TextLayer


@dataclass
class Context:
    """What an analyzer reads: the document, its text layer, earlier analyzers' results and
    the e5 encodings of its analysable paragraphs.

    ``results`` maps Report field names (``entities``, ``quotes``, ...) to the values the
    analyzers before this one produced. ``encodings`` encodes each paragraph once for every
    analyzer (``analyzers.embeddings``).
    """

    document: Document
    layer: TextLayer
    results: dict[str, Any] = field(default_factory=dict)
    encodings: ParagraphEncodings = field(init=False)

    def __post_init__(self) -> None:
        from newsaudit.analyzers.embeddings import ParagraphEncodings

        self.encodings = ParagraphEncodings.of_document(self.document)


class Analyzer:
    """One pipeline step.

    Subclasses set ``name``, ``version``, ``languages`` (``None`` means any language),
    ``requires`` (names of analyzers that must run first), ``assigns`` (the Report fields
    it writes; the pipeline checks that they exist and that no two analyzers write the same
    one) and implement :meth:`analyze`, which returns a mapping of those Report field names
    to values. Models are loaded lazily in
    :meth:`load`, once per process; ``_model`` attributes are dropped when pickled, so Dask
    can ship an analyzer to a worker that loads its own copy.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "0.1"
    languages: ClassVar[frozenset[str] | None] = None
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

    @property
    def model_name(self) -> str | None:
        """Name and version of the packaged model this analyzer uses, if any."""
        return None

    def supports(self, language: str | None) -> bool:
        return self.languages is None or language in self.languages

    def load(self) -> None:
        """Load models; called once before the first :meth:`analyze`."""

    def piece_reader(self, language: str | None) -> PieceReader | None:
        """What this analyzer computes from a paragraph's e5 piece states (its head over
        them), if it reads them. The pipeline registers it with the Context's encodings
        before any analyzer runs, so each paragraph is encoded once for all readers; the
        analyzer gets the output with ``context.encodings.read``. Called after :meth:`load`."""
        return None

    def analyze(self, context: Context) -> dict[str, Any]:
        raise NotImplementedError

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_model")}
