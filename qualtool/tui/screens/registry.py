"""The screens the function keys switch to, by name (imported on first use: startup stays
fast). Each is a Textual mode: switching keeps its state instead of stacking screens."""

from __future__ import annotations

import importlib
from typing import Any

SCREENS: dict[str, tuple[str, str]] = {
    "dashboard": ("qualtool.tui.screens.dashboard", "DashboardScreen"),
    "codebook": ("qualtool.tui.screens.codebook", "CodebookScreen"),
    "search": ("qualtool.tui.screens.search", "SearchScreen"),
    "suggestions": ("qualtool.tui.screens.suggestions", "SuggestionsScreen"),
    "agreement": ("qualtool.tui.screens.agreement", "AgreementScreen"),
    "export": ("qualtool.tui.screens.export", "ExportScreen"),
    "analysis": ("qualtool.tui.screens.analysis", "AnalysisScreen"),
    "code_view": ("qualtool.tui.screens.code_view", "CodeViewScreen"),
    "anonymise": ("qualtool.tui.screens.anonymise", "AnonymiseScreen"),
}


def make(name: str) -> Any:
    module, cls = SCREENS[name]
    return getattr(importlib.import_module(module), cls)()


def factory(name: str) -> Any:
    return lambda: make(name)
