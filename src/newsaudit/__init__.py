"""newsaudit: shows, with evidence, how news articles try to persuade and where they may mislead.

``from newsaudit import analyze`` is the entry point; imports stay lazy so the CLI starts fast.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Report", "analyze", "analyze_many", "compare", "__version__"]

if TYPE_CHECKING:
    from newsaudit.api import analyze, analyze_many, compare
    from newsaudit.report.model import Report


def __getattr__(name: str) -> Any:
    if name in ("analyze", "analyze_many", "compare"):
        from newsaudit import api

        return getattr(api, name)
    if name == "Report":
        from newsaudit.report.model import Report

        return Report
    raise AttributeError(name)
