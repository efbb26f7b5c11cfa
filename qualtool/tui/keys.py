"""Key descriptions in the interface language: shared by screens and widgets (below both)."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from qualtool.i18n import _


def translate_bindings(node: DOMNode) -> None:
    """Key descriptions are class constants (English, extracted as `Binding:3`); the footer,
    help and palette read the node's own copy, so that copy is translated once, here."""
    for key, bindings in list(node._bindings.key_to_bindings.items()):
        node._bindings.key_to_bindings[key] = [
            replace(b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else "")
            if isinstance(b, Binding) and b.description
            else b
            for b in bindings
        ]
