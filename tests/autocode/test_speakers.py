"""Who is speaking: interviewer detection from text and metadata, the coder's speakers.yml
corrections, and auto-coding that skips interviewer turns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.autocode.speakers import INTERVIEWER, RESPONDENT, Turn, attribute, cue
from qualtool.domain import Method
from qualtool.domain.errors import InvalidInput
from qualtool.files.speaker_map import load_speaker_map, save_speaker_map
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace

INTERVIEW = [
    ("SPEAKER_00", "Добрый день! Расскажите, как вы оформляли справку."),
    (
        "SPEAKER_01",
        "Пришлось три раза ходить, каждый раз требовали новые справки, которых нет в "
        "перечне. Почему нельзя было сразу сказать?",
    ),
    ("SPEAKER_00", "А с порталом у вас были проблемы?"),
    ("SPEAKER_01", "Портал постоянно зависал, меня выбрасывало из системы посреди заявки."),
    ("SPEAKER_00", "А очереди в ЦОНе большие?"),
    ("SPEAKER_01", "Очередь была огромная, я ждала четыре часа."),
]


REPO = Path(__file__).resolve().parents[2]


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qualtool", "suggest", "speakers", *args], cwd=root,
        capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def turns(pairs: list[tuple[str | None, str]]) -> list[Turn]:
    return [Turn(100 + n, n, who, text) for n, (who, text) in enumerate(pairs)]


def test_interviewer_found_from_the_text_of_a_labelled_interview() -> None:
    got = attribute(turns(INTERVIEW))
    roles = [got[100 + n].role for n in range(len(INTERVIEW))]
    assert roles == [INTERVIEWER, RESPONDENT] * 3
    # the respondent's rhetorical question did not make them the interviewer
    assert cue(INTERVIEW[1][1]) < cue(INTERVIEW[2][1])


def test_interviewer_named_in_the_metadata_wins_over_the_text() -> None:
    pairs = [("Марат", "Я слушаю вас."), ("SPEAKER_01", "Скажите, а где тут касса?")]
    got = attribute(turns(pairs), interviewer="марат")
    assert got[100].role == INTERVIEWER and got[100].source == "metadata"
    assert got[101].role == RESPONDENT


def test_unlabelled_turns_are_judged_one_by_one_with_turn_taking() -> None:
    pairs: list[tuple[str | None, str]] = [
        (None, "Здравствуйте. Давайте начнём: как проходило оформление пенсии?"),
        (None, "Каждый год я заново несу трудовую книжку, хотя у них всё есть в базе."),
        (None, "Приходилось ли вам приходить несколько раз?"),
        (
            None,
            "Я туда ходил раз пять, и каждый раз выяснялось, что чего-то ещё не хватает, "
            "почему нельзя было сразу всё сказать?",
        ),
        (None, "Хорошо, спасибо."),
    ]
    got = attribute(turns(pairs))
    assert [got[100 + n].role for n in range(5)] == [
        INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT, INTERVIEWER]  # fmt: skip


def test_focus_group_moderator_and_participants() -> None:
    pairs = [
        ("SPEAKER_02", "Коллеги, давайте по кругу: кто с какими сложностями сталкивался?"),
        ("SPEAKER_00", "Меня гоняли из окна в окно, никто не знал, кто за это отвечает."),
        ("SPEAKER_01", "А я полчаса бродила по этажам, ни одной таблички."),
        ("SPEAKER_02", "Интересно. А кто-то обращался к посредникам?"),
        ("SPEAKER_03", "У входа стоят ребята, за пять тысяч всё заполняют за тебя."),
    ]
    got = attribute(turns(pairs), method="focus_group")
    assert {n for n in range(5) if got[100 + n].role == INTERVIEWER} == {0, 3}


def test_coder_correction_wins() -> None:
    got = attribute(turns(INTERVIEW), corrections={"SPEAKER_00": RESPONDENT, "#3": INTERVIEWER})
    assert got[100].role == RESPONDENT and got[100].source == "coder"
    assert got[103].role == INTERVIEWER


def test_suggestions_only_on_respondent_turns_and_the_map_is_respected(
    empty_study: Workspace,
) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-s", INTERVIEW, method=Method.INTERVIEW)
    root = ws.study.root
    autocode.suggest(ws.db, load_codebook(ws.db), speaker_map=load_speaker_map(root))
    queue = sug_store.queue(ws.db)
    by_idx = {s.segment_id: s for s in queue}
    idx = {sid: i for sid, i in ws.db.execute("SELECT id, idx FROM segments").fetchall()}
    assert queue and all(idx[s.segment_id] % 2 == 1 for s in queue)  # respondent turns only
    assert any(s.code_id == "TECH.OUTAGE" for s in queue)
    # the coder says SPEAKER_00 is a respondent after all (one key in the TUI)
    who, role = autocode.toggle_role(ws.db, root, "idi-s", "SPEAKER_00", 0)
    assert (who, role) == ("SPEAKER_00", RESPONDENT)
    assert load_speaker_map(root) == {"idi-s": {"SPEAKER_00": RESPONDENT}}
    listed = {w: (r, src) for w, r, src, _ in autocode.speaker_roles(ws.db, root, "idi-s")}
    assert listed["SPEAKER_00"] == (RESPONDENT, "coder")
    # its turns are looked at now (they are questions, so only at a low score)
    autocode.suggest(ws.db, load_codebook(ws.db), speaker_map=load_speaker_map(root),
                     threshold=0.01)  # fmt: skip
    assert any(idx[s.segment_id] % 2 == 0 for s in sug_store.queue(ws.db))
    # and back: the interviewer's pending suggestions go away
    autocode.toggle_role(ws.db, root, "idi-s", "SPEAKER_00", 0)
    autocode.suggest(ws.db, load_codebook(ws.db), speaker_map=load_speaker_map(root))
    assert all(idx[s.segment_id] % 2 == 1 for s in sug_store.queue(ws.db))
    assert by_idx  # the first run's queue was not empty


def test_speaker_map_file_is_deterministic_and_validated(tmp_path: Path) -> None:
    assert save_speaker_map(tmp_path, {"b": {"S2": RESPONDENT}, "a": {"S1": INTERVIEWER}})
    text = (tmp_path / "speakers.yml").read_text()
    assert text.index("a:") < text.index("b:")
    assert not save_speaker_map(tmp_path, load_speaker_map(tmp_path))  # unchanged: not rewritten
    (tmp_path / "speakers.yml").write_text("a:\n  S1: boss\n")
    with pytest.raises(InvalidInput):
        load_speaker_map(tmp_path)


def test_cli_lists_and_corrects_speakers(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-c", INTERVIEW)
    root = ws.study.root
    out = cli(root, "idi-c")
    assert out.returncode == 0, out.stderr
    assert "SPEAKER_00" in out.stdout and "интервьюер" in out.stdout  # a Russian study
    out = cli(root, "idi-c", "SPEAKER_01", "interviewer")
    assert out.returncode == 0, out.stderr
    assert load_speaker_map(root) == {"idi-c": {"SPEAKER_01": INTERVIEWER}}


@pytest.mark.parametrize("args", [("idi-c", "Nobody", "interviewer"),
                                  ("idi-c", "#99", "interviewer"),
                                  ("idi-c", "#x", "respondent"),
                                  ("nope", "SPEAKER_00", "interviewer")])  # fmt: skip
def test_cli_refuses_a_speaker_or_turn_the_recording_does_not_have(
    empty_study: Workspace, args: tuple[str, str, str]
) -> None:
    """A label not in the transcript, a turn past its end or a recording without transcript
    used to be saved in speakers.yml (and counted as a correction)."""
    add_text_recording(empty_study.db, "idi-c", INTERVIEW)
    root = empty_study.study.root
    out = cli(root, *args)
    assert out.returncode == 1, out.stdout
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert not (root / "speakers.yml").exists()


async def test_one_key_in_the_transcript_corrects_the_interviewer(empty_study: Workspace) -> None:
    from qualtool.tui.app import QualtoolApp

    ws = empty_study
    add_text_recording(ws.db, "idi-t", INTERVIEW)
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # open the only recording's transcript
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TranscriptScreen"
        await pilot.press("i")  # first turn: SPEAKER_00, detected as the interviewer
        await pilot.pause()
        assert load_speaker_map(ws.study.root) == {"idi-t": {"SPEAKER_00": RESPONDENT}}
        await pilot.press("i")
        await pilot.pause()
        assert load_speaker_map(ws.study.root) == {"idi-t": {"SPEAKER_00": INTERVIEWER}}
