"""F10 lists the names in the recordings' metadata below the findings — the interviewer, a
participant, a key made from a name and what it will be renamed to, a file outside the study to
rename by hand — in the interface language and worded as `qualtool anonymise` prints them (one
service); nothing is decided on them. So are the names `--apply` cleans in the codebooks'
examples and the reference transcripts, as the CLI's listing rows say them. A broken privacy/allow.yml is a notification naming the
file and its line, the app stays and nothing is written."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import AUDIO
from pilot_steps import app_on, press
from rich.text import Text
from textual.widgets import DataTable

from qualtool.cli.main import main
from qualtool.domain import Participant, Recording
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import import_file
from qualtool.store import recordings as rec_store
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens import anonymise as anonymise_screen
from qualtool.workspace.study import Workspace, open_workspace

KEY = "беседа-айгерим-бековой"
META = ("replaced", "by hand", "заменится", "вручную")  # a metadata row's status
OUTSIDE = "Гульнара Серикбаевна.flac"


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path) -> Workspace:
    add_text_recording(empty_study.db, KEY, [("R01", "Очередь в ЦОНе была два часа.")],
                       interviewer="Айгерим Бекова",
                       participants=[Participant("Ерлан Сейткалиев")])  # fmt: skip
    src = tmp_path / "записи" / OUTSIDE
    src.parent.mkdir()
    shutil.copy(AUDIO / "idi-01.flac", src)
    import_file(empty_study.study, empty_study.db, src, Recording(key="idi-09"), copy=False)
    empty_study.save_manifest()
    return empty_study


def _rows(app: QualtoolApp) -> list[list[str]]:
    """Each row's cells; a metadata row's context as the listing's line (its key first, the
    lines it is wrapped in joined)."""
    t = app.screen.query_one("#findings", DataTable)
    rows = [[c.plain if isinstance(c, Text) else str(c) for c in t.get_row_at(n)]
            for n in range(t.row_count)]  # fmt: skip
    return [[*r[:3], f"{r[0]}: {' '.join(r[3].splitlines())}" if r[2] in META else r[3]]
            for r in rows]  # fmt: skip


def _cli_lines(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], list[str]]:
    capsys.readouterr()
    with contextlib.suppress(SystemExit):
        main(["--study", str(ws.study.root), "anonymise"])
    out = capsys.readouterr()
    return out.out.splitlines(), out.err.splitlines()


async def test_f10_lists_the_metadata_as_the_cli_does(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stdout, stderr = _cli_lines(ws, capsys)
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        rows = [r for r in _rows(app) if r[2] in META]
        contexts = [r[3] for r in rows]
        said = "\n".join(contexts)
        assert re.search(f"^{KEY}: interviewer «Айгерим Бекова» → Имя-\\d+$", said, re.M), said
        assert re.search(f"^{KEY}: participant «Ерлан Сейткалиев» → Имя-\\d+$", said, re.M)
        assert re.search(f"^{KEY}: the recording's key holds «айгерим-бековой» → it will be "
                         "renamed to беседа-имя-\\d+$", said, re.M), said  # fmt: skip
        outside = [r for r in rows if r[2] == "by hand"]
        assert [(r[0], r[1]) for r in outside] == [("idi-09", "file")]
        assert re.fullmatch(f"idi-09: the file outside the study {tmp_path}/записи/{OUTSIDE} "
                            f"holds a name → the study will name it {tmp_path}/записи/Имя-\\d+"
                            r"\.flac; rename or move the file there yourself \(qualtool does "
                            r"not touch files outside the study\)", outside[0][3]), outside  # fmt: skip
        # the same lines as `qualtool anonymise` (the warning on stderr, after «warning: »)
        assert [c for c in contexts if c in stdout] == contexts[:-1]
        assert f"warning: {outside[0][3]}" in stderr
        assert "5 in the recordings' metadata" in str(app.screen.query_one("#status").render())
        decisions = ws.study.root / "privacy" / "decisions.yml"
        before = decisions.read_bytes() if decisions.exists() else None
        await pilot.press("end", "a")  # a metadata row: nothing to decide
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("nothing to decide" in m for m in said), said
        assert (decisions.read_bytes() if decisions.exists() else None) == before


async def test_f10_lists_the_metadata_in_russian(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna", language="ru")
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        rows = _rows(app)
        contexts = [r[3] for r in rows]
        assert any(c.startswith(f"{KEY}: интервьюер «Айгерим Бекова» → Имя-") for c in contexts)
        assert any("будет переименована в беседа-имя-" in c for c in contexts), contexts
        assert any(r[2] == "вручную" and "переместите файл туда сами" in r[3] for r in rows), rows
        assert {r[1] for r in rows if r[0] == KEY} >= {"интервьюер", "участник", "ключ"}


async def test_f10_with_a_broken_allow_list_is_a_notification(ws: Workspace) -> None:
    path = ws.study.root / "privacy" / "allow.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("allow:\n  - Медеу\n - Абая\n", encoding="utf-8")
    files = {p: p.read_bytes() for p in ws.study.root.rglob("*")
             if p.is_file() and "qualtool.db" not in p.name}  # fmt: skip
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "privacy/allow.yml is not valid YAML (line 3): correct it and run the command " \
               "again" in said, said  # fmt: skip
        assert app.screen.query_one("#findings", DataTable).row_count == 0
        await pilot.press("a")  # still alive, nothing to act on
        await pilot.pause()
        assert app.is_running
    after = {p: p.read_bytes() for p in ws.study.root.rglob("*")
             if p.is_file() and "qualtool.db" not in p.name}  # fmt: skip
    assert after == files


async def test_f10_makes_the_plan_again_only_after_a_change(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The metadata are numbered by `--apply`'s whole plan (every segment, coding and memo of
    the study), which F10 made again on every reload. It is kept while nothing changed — a
    coder switch, a sync that read other files — and made again after any change, the screen
    showing what it changed: a decision here and its undo, decisions.yml brought by a `git
    pull`, the metadata edited here or by another process."""
    named = "беседа-жумабаев"  # a key named after a man the segments name: while he is one
    add_text_recording(ws.db, named, [("R01", "Меня принимал Бахыт Жумабаев в ЦОНе.")])
    made: list[object] = []
    real = anonymise_screen.numbered_plan

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(anonymise_screen, "numbered_plan", counted)
    decisions = ws.study.root / "privacy" / "decisions.yml"

    def keys(app: QualtoolApp) -> list[str]:
        return [r[0] for r in _rows(app) if r[1] == "key"]

    def interviewer(app: QualtoolApp) -> str:
        return next(r[3] for r in _rows(app) if r[1] == "interviewer")

    async with app_on(ws, "f10", (200, 30)) as (app, pilot):
        shown = _rows(app)
        assert len(made) == 1 and named in keys(app), shown
        for _ in range(2):
            app.screen.reload()  # as a coder switch or a sync that read changed files does
        assert len(made) == 1 and _rows(app) == shown
        await press(pilot, "x")  # «Бахыт Жумабаев» is no name: the key names nobody
        assert len(made) == 2 and named not in keys(app), _rows(app)
        rejected = decisions.read_text(encoding="utf-8")
        await press(pilot, "ctrl+z")
        assert len(made) == 3 and _rows(app) == shown
        decisions.write_text(rejected, encoding="utf-8")  # the reject, pulled from a colleague
        app.screen.reload()
        assert len(made) == 4 and named not in keys(app), _rows(app)
        rec = rec_store.get_recording(ws.db, KEY)
        rec_store.update_recording(ws.db, rec, interviewer="Гульнара Серикбаевна")
        app.screen.reload()
        assert len(made) == 5 and "«Гульнара Серикбаевна»" in interviewer(app)
        other = open_workspace(ws.study.root)  # another process: a connection of its own
        rec_store.update_recording(other.db, rec, interviewer="Шолпан Кенжебаева")
        other.close()
        app.screen.reload()
        assert len(made) == 6 and "«Шолпан Кенжебаева»" in interviewer(app)
        app.screen.reload()
        assert len(made) == 6


async def test_f10_lists_the_names_in_a_reference_transcript(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """audio/reference/<key>.txt is cleaned by --apply: F10 lists its names as `qualtool
    anonymise` does — where, type, «replaced», the pseudonym and the context — with nothing to
    decide on them."""
    reference = ws.study.root / "audio" / "reference" / "idi-09.txt"
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_text("Очередь была два часа.\nМеня принимала Айгерим Бекова.\n", "utf-8")
    stdout, _stderr = _cli_lines(ws, capsys)
    listed = [x for x in stdout if x.startswith("audio/reference/")]
    assert len(listed) == 1 and listed[0].startswith("audio/reference/idi-09.txt:2 person "), listed
    async with app_on(ws, "f10", (200, 30)) as (app, pilot):
        rows = [r for r in _rows(app) if r[0] == "idi-09.txt:2"]
        assert len(rows) == 1 and rows[0][1:3] == ["name", "replaced"], rows
        new = re.search(r"→ (Имя-\d+) +(.*)$", listed[0])
        assert new and rows[0][3] == f"idi-09.txt:2: → {new[1]}  {new[2]}", (rows, listed)
        assert new[2] == "Меня принимала ⟦Айгерим Бекова⟧.", listed
        assert "1 in codebook examples and reference transcripts" in str(
            app.screen.query_one("#status").render())  # fmt: skip
        t = app.screen.query_one("#findings", DataTable)
        t.move_cursor(row=next(n for n in range(t.row_count)
                               if str(t.get_row_at(n)[0]) == "idi-09.txt:2"))  # fmt: skip
        await press(pilot, "a")
        said = [n.message for n in app._notifications]
        assert any("reference transcript" in m and "nothing to decide" in m for m in said), said
