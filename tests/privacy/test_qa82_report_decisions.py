"""QA82: `qualtool report` (md/docx/csv/xlsx) is «pseudonymised by default even before
--apply», but it pseudonymises each quote with the bare default detector: the review's
decisions are not used (QDPX and export-coder use them, through `Redactor`). A name the
reviewer added by hand is printed as spoken; a word the reviewer kept is replaced."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qualtool.cli.main import cli
from qualtool.coding.actions import apply_codes
from qualtool.privacy import review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

TEXT = ("Я стояла в очереди сорок минут, потом асель из окна три мне помогла. "
        "У нас в районе очень тяжело с Этернити, приходится выезжать в районный центр.")  # fmt: skip


def _study(ws: Workspace) -> Path:
    add_text_recording(ws.db, "idi-01", [("R01", TEXT)])
    sid = ws.db.execute("SELECT id FROM segments").fetchone()[0]
    apply_codes(ws, sid, (0, len(TEXT)), ["ACC.QUEUE"], "tester")
    ws.save_layers()
    s = TEXT.index("асель")
    review.add_span(ws, "idi-01", 0, s, s + 5, "person", TEXT)
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    review.decide(ws, next(f for f in review.segment_findings(ws, pseud)
                           if f.entity.text == "Этернити"), "reject")  # fmt: skip
    return ws.study.root


def _report(root: Path, fmt: str, out: Path) -> None:
    """`qualtool report --format FMT -o OUT --all-coders`, which must succeed."""
    res = CliRunner().invoke(cli, ["--study", str(root), "report", "--format", fmt, "-o",
                                   str(out), "--all-coders"])  # fmt: skip
    assert res.exit_code == 0, res.output


def test_report_uses_the_review_decisions(empty_study: Workspace, tmp_path: Path) -> None:
    _report(_study(empty_study), "md", tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text()
    assert "из окна три" in text, text  # the quote is in the report
    assert "асель" not in text, "a name the reviewer added is printed as spoken"
    assert "Этернити" in text, "a word the reviewer kept was replaced"


def test_quotes_csv_uses_the_review_decisions(empty_study: Workspace, tmp_path: Path) -> None:
    _report(_study(empty_study), "csv", tmp_path / "q.csv")
    assert "асель" not in (tmp_path / "q.csv").read_text(encoding="utf-8-sig")
