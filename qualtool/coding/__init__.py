"""The coder's actions — code, uncode, recode, memos, transcript edits, codebook edits — each undoable."""
