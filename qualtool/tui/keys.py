"""Key descriptions in the interface language: shared by screens and widgets (below both)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from qualtool.i18n import _

# F1 in a window on top (a picker, a question, an editor): Textual stops the app's keys at a
# modal, so F1 did nothing there without a word; each modal lists this binding, and the help
# shows that window's own keys
MODAL_HELP = Binding("f1", "app.help", "Help", show=False)


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


def key_label(app: App[object], keys: str) -> str:
    """A binding's keys as the footer shows them (`^z`, `esc`, `⏎`, `?`), alternatives joined
    by « / » (one modifier over single-mark keys once: `shift+←→`): the help and the palette
    use the same marks as the footer, never Textual's raw names (`ctrl+z`, `question_mark`)."""
    labels = [app.get_key_display(Binding(k.strip(), "")) for k in keys.split(",")]
    heads = {label[:-1] for label in labels}
    if len(labels) > 1 and len(heads) == 1 and next(iter(heads)).endswith("+"):
        return heads.pop() + "".join(label[-1] for label in labels)  # shift+←→↑↓
    return " / ".join(labels)
