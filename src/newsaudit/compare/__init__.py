"""Quote fidelity: compare what an article says a source said with the source itself.

``compare(article, sources)`` aligns every quote and speaker-attributed claim of the
article with the source passages that say the same thing (across languages) and reports
each change with both spans and a plain explanation. Imports stay lazy.
"""

from typing import TYPE_CHECKING, Any

__all__ = ["CompareReport", "compare"]

if TYPE_CHECKING:
    from newsaudit.compare.comparison import compare
    from newsaudit.compare.model import CompareReport


def __getattr__(name: str) -> Any:
    if name == "compare":
        from newsaudit.compare.comparison import compare

        return compare
    if name == "CompareReport":
        from newsaudit.compare.model import CompareReport

        return CompareReport
    raise AttributeError(name)
