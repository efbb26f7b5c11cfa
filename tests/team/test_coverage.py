"""What a coder judged: one coding in a long interview is not a verdict on all of it.

Two coders' layer files, read into a fresh database as a colleague's clone would: anna coded
through the interview, boris coded one segment and stopped. Only what both looked at is
compared until boris marks the interview done."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from textual.widgets import DataTable

from qualtool.cli.main import cli
from qualtool.domain import Coding
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.store.recordings import get_recording
from qualtool.team import agreement as agr
from qualtool.team import assignments
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace, open_workspace
from qualtool.workspace.transcripts import write_outputs

CODE = "BUR.EXTRA_DOCS"


def two_layer_files(ws: Workspace) -> Path:
    """idi-z: ten segments; anna coded #1, #4, #7; boris coded #1 (as anna). The study is left
    as files only: transcript, manifest, codings/anna.json and codings/boris.json."""
    add_text_recording(ws.db, "idi-z", [("R", f"Фраза {i} про справки.") for i in range(10)])
    ids = [r["id"] for r in ws.db.query("SELECT id FROM segments ORDER BY idx")]
    for coder, idx in (("anna", 1), ("anna", 4), ("anna", 7), ("boris", 1)):
        add_coding(ws.db, Coding(ids[idx], CODE, coder, 0, 5, ""))
    write_outputs(ws, get_recording(ws.db, "idi-z"))
    ws.save_manifest()
    ws.save_layers()
    root = ws.study.root
    ws.close()
    for cache in root.glob("qualtool.db*"):
        cache.unlink()
    assert {p.name for p in (root / "codings").glob("*.json")} == {"anna.json", "boris.json"}
    return root


def qt(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_one_coded_segment_is_not_a_judgement_on_the_whole_transcript(
    empty_study: Workspace,
) -> None:
    root = two_layer_files(empty_study)
    ws = open_workspace(root, sync=True)
    try:
        rep = agr.agreement(ws.db, finished=assignments.finished(ws))
        # boris judged #1 only: anna's #4 and #7 lie beyond what he has read
        assert rep.compared == {"idi-z": (1, 10)}
        assert rep.overall.units == 1 and rep.overall.percent == 1.0
        assert rep.basis["idi-z"] == {"anna": agr.Coverage(False, (1, 7)),
                                      "boris": agr.Coverage(False, (1, 1))}  # fmt: skip
        assert agr.disagreements(ws.db, finished=assignments.finished(ws)) == []
    finally:
        ws.close()
    out = qt(root, "agreement")
    assert "  idi-z: 1 of 10 segments (anna coded #1–#7, boris coded #1 only)" in out
    assert "0 open disagreement(s)" in qt(root, "disagreements")

    qt(root, "done", "idi-z", "--coder", "boris")  # he read it all: #4 and #7 are his «no»
    out = qt(root, "agreement")
    assert "  idi-z: 7 of 10 segments (anna coded #1–#7, boris done)" in out
    out = qt(root, "disagreements")
    assert "2 open disagreement(s)" in out
    assert "idi-z#4" in out and "idi-z#7" in out
    # the consensus takes what both judged and agreed on, and nothing boris never saw
    assert "1 agreed coding(s) added to the consensus layer; 2 disagreement(s) open" in qt(
        root, "consensus")  # fmt: skip


def test_coverage_is_the_stretch_or_the_whole_transcript() -> None:
    assert agr.Coverage(False, (2, 5)).covers(2) and agr.Coverage(False, (2, 5)).covers(5)
    assert not agr.Coverage(False, (2, 5)).covers(1) and not agr.Coverage(False, (2, 5)).covers(6)
    assert agr.Coverage(True, None).covers(99) and agr.Coverage(True, (2, 3)).covers(0)
    assert not agr.Coverage(False, None).covers(0)


async def test_transcript_disagreements_layer_shows_only_what_both_judged(
    empty_study: Workspace,
) -> None:
    """The transcript's «disagreements» layer follows the same rule: anna's #4 and #7 are not
    disputed while boris has read only #1; once he marks the interview done they are."""
    ws = empty_study
    add_text_recording(ws.db, "idi-z", [("R", f"Фраза {i} про справки.") for i in range(10)])
    ids = [r["id"] for r in ws.db.query("SELECT id FROM segments ORDER BY idx")]
    for coder, idx in (("anna", 1), ("anna", 4), ("anna", 7), ("boris", 1)):
        add_coding(ws.db, Coding(ids[idx], CODE, coder, 0, 5, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(2):  # mine → all coders → disagreements
            await pilot.press("l")
            await pilot.pause()
        screen = app.screen
        assert screen.coding_layer == "disagreements"  # type: ignore[attr-defined]
        table = screen.query_one("#segments", DataTable)
        assert screen.disputed == set()  # type: ignore[attr-defined]
        assert f"[{CODE}]" not in str(table.get_row_at(4)[2])
        assignments.assign(ws, "idi-z", "boris", done=True)
        screen.reload()  # type: ignore[attr-defined]
        assert screen.disputed == {(ids[4], CODE), (ids[7], CODE)}  # type: ignore[attr-defined]
        assert f"[{CODE}]" in str(table.get_row_at(4)[2])
        assert f"[{CODE}]" not in str(table.get_row_at(1)[2])  # both coded #1: agreed
