"""The screens the function keys open, by name (imported on first use: startup stays fast)."""

from __future__ import annotations

import importlib
from typing import Any

SCREENS: dict[str, tuple[str, str]] = {
    "codebook": ("qualtool.tui.codebook_view", "CodebookScreen"),
    "search": ("qualtool.tui.search_view", "SearchScreen"),
    "suggestions": ("qualtool.tui.suggestions_view", "SuggestionsScreen"),
    "agreement": ("qualtool.tui.agreement_view", "AgreementScreen"),
    "export": ("qualtool.tui.export_view", "ExportScreen"),
    "analysis": ("qualtool.tui.analysis_view", "AnalysisScreen"),
}


def make(name: str) -> Any:
    module, cls = SCREENS[name]
    return getattr(importlib.import_module(module), cls)()
