"""The coder's actions — code, uncode, recode, memos, transcript edits, codebook edits — each one
journaled service (undo/redo) that the CLI and the TUI both call."""

from qualtool.coding.actions import (
    apply_codes,
    recode,
    remove_coding,
    set_coding_memo,
    set_key_quote,
    toggle_key_quote,
    write_memo,
)
from qualtool.coding.history import redo, undo

__all__ = [
    "apply_codes",
    "recode",
    "redo",
    "remove_coding",
    "set_coding_memo",
    "set_key_quote",
    "toggle_key_quote",
    "undo",
    "write_memo",
]
