"""The screens the function keys open, by name (imported lazily: startup stays fast)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _codebook() -> Any:
    from qualtool.tui.codebook_view import CodebookScreen

    return CodebookScreen()


def _search() -> Any:
    from qualtool.tui.search_view import SearchScreen

    return SearchScreen()


def _suggestions() -> Any:
    from qualtool.tui.suggestions_view import SuggestionsScreen

    return SuggestionsScreen()


def _agreement() -> Any:
    from qualtool.tui.agreement_view import AgreementScreen

    return AgreementScreen()


def _export() -> Any:
    from qualtool.tui.export_view import ExportScreen

    return ExportScreen()


def _analysis() -> Any:
    from qualtool.tui.analysis_view import AnalysisScreen

    return AnalysisScreen()


_codebook.__name__ = "CodebookScreen"
_analysis.__name__ = "AnalysisScreen"
_search.__name__ = "SearchScreen"
_suggestions.__name__ = "SuggestionsScreen"
_agreement.__name__ = "AgreementScreen"
_export.__name__ = "ExportScreen"

SCREENS: dict[str, Callable[[], Any]] = {
    "codebook": _codebook,
    "search": _search,
    "suggestions": _suggestions,
    "agreement": _agreement,
    "export": _export,
    "analysis": _analysis,
}
