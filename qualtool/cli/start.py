"""The `qualtool` command's first lines (the console script and `python -m qualtool`).

Loading the command line's modules takes about 1.5 s (spaCy, numpy, the features); a Ctrl+C
in that time used to end in a screen of import traceback. It ends the start quietly instead,
exit status 130, as a Ctrl+C anywhere later does (`cli.main.main`: «cancelled», one line).
Before them, a study with `[transcription] reproducible = true` gets its pinned arithmetic
(`transcribe.cpu_path`), which numpy and CTranslate2 read only as they load.
"""

from __future__ import annotations

import sys

from qualtool.transcribe import cpu_path

INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a command ended by Ctrl+C


def main() -> None:
    # before numpy and CTranslate2 load: they read their kernel settings once, at load
    cpu_path.apply_to_process()
    try:
        # the one import not at the top: it is the slow start a Ctrl+C may cut short, and
        # nothing has been opened or written yet, so there is nothing to undo — no line either
        # (the interface language is not known before study.toml is read)
        from qualtool.cli.main import main as run
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    run()
