"""An oTranscribe file whose stamps run past the end of the recording: the segments are kept
with their times and flagged for review, the import says how many (one line), and nothing is
half-written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import AUDIO

from qualtool.cli.main import cli
from qualtool.domain import Recording, Segment
from qualtool.domain.transcript import BEYOND_AUDIO, check_duration
from qualtool.recordings.importing import import_file
from qualtool.store.transcripts import get_transcript
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import beyond_audio, import_transcript


def otr(*stamps: tuple[float, str]) -> str:
    return json.dumps({"text": "".join(
        f'<p><span class="timestamp" data-timestamp="{t}">{t}</span> R01: {text}</p>'
        for t, text in stamps), "media": "idi-01.flac"})  # fmt: skip


def test_check_duration_flags_late_starts_and_stops_ends_at_the_end() -> None:
    segs = [Segment(0, 1.0, 5.0, "а"), Segment(1, 17.0, 21.0, "б"), Segment(2, 18.3, 19.0, "в"),
            Segment(3, 25.0, 27.0, "г", flags=("overlap",))]  # fmt: skip
    out = check_duration(segs, 18.0)
    assert [(s.start, s.end, s.flags) for s in out] == [
        (1.0, 5.0, ()), (17.0, 18.0, ()), (18.3, 19.0, ()),  # 0.3 s late: rounding, not wrong
        (25.0, 27.0, ("overlap", BEYOND_AUDIO))]  # fmt: skip
    assert check_duration(segs, 0.0) == segs and check_duration(segs, None) == segs
    assert check_duration(out, 18.0) == out  # flagged once


def test_import_keeps_late_segments_flagged_and_the_cli_warns(
    empty_study: Workspace, tmp_path: Path
) -> None:
    ws = empty_study
    rec = import_file(ws.study, ws.db, AUDIO / "idi-01.flac", Recording())
    ws.save_manifest()
    assert 17 < rec.duration < 19
    path = tmp_path / "idi-01.otr"
    path.write_text(otr((0.0, "Здравствуйте."), (6.5, "Ждала месяц."),
                        (41.0, "Это уже из другой записи."), (95.2, "И это.")), "utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["--study", str(ws.study.root), "transcript", "import",
                                      rec.key, str(path)], catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    warning = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warning == [
        "warning: 2 segments start after the end of the recording (00:00:18): kept, flagged for "
        f"review (`qualtool transcript show {rec.key} --flagged`)"]  # fmt: skip
    t = get_transcript(ws.db, rec.id or 0)
    assert t is not None and beyond_audio(t) == 2
    assert [(s.start, s.flags) for s in t.segments] == [
        (0.0, ()), (6.5, ()), (41.0, (BEYOND_AUDIO,)), (95.2, (BEYOND_AUDIO,))]  # fmt: skip
    assert t.segments[1].end <= rec.duration  # «Ждала месяц.» ended with the recording
    written = json.loads((ws.study.transcripts_dir / f"{rec.key}.json").read_text("utf-8"))
    assert [s["text"] for s in written["segments"]][-1] == "И это."
    shown = CliRunner().invoke(cli, ["--study", str(ws.study.root), "transcript", "show",
                                     rec.key, "--flagged"], catch_exceptions=False)  # fmt: skip
    assert "Это уже из другой записи." in shown.output and "Ждала" not in shown.output


def test_a_file_entirely_past_the_end_imports_without_a_crash(
    empty_study: Workspace, tmp_path: Path
) -> None:
    ws = empty_study
    rec = import_file(ws.study, ws.db, AUDIO / "idi-01.flac", Recording())
    path = tmp_path / "other.otr"
    path.write_text(otr((120.0, "Первая."), (130.0, "Вторая.")), "utf-8")
    t = import_transcript(ws, rec, path)
    assert beyond_audio(t) == 1 + 1 and len(t.segments) == 2
