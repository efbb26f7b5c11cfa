"""Every command's happy path, in process (click's CliRunner) on a copy of the sample study:
what a user types, what they read, and what changed in the study's files."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO

from qualtool.cli.main import cli


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """The sample study as a fresh clone has it (files, no database)."""
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    return root


def layer_codings(study: Path, coder: str) -> list[dict[str, object]]:
    """The codings in codings/<coder>.json, read as plain JSON (the file's own format)."""
    records = json.loads((study / "codings" / f"{coder}.json").read_text(encoding="utf-8"))
    return [r for r in records if r.get("kind") == "coding"]


def qt(study: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--study", str(study), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_ls_show_sync(study: Path) -> None:
    out = qt(study, "ls").output
    assert "4 recordings" in out and "idi-01" in out and "fg-01" in out
    out = qt(study, "show", "idi-01").output
    assert "R01" in out and "ВКО" in out
    out = qt(study, "sync").output
    assert out.strip()  # says what it read


def test_sync_names_the_manifest_and_codebook_it_read(study: Path) -> None:
    """A recording added by hand to audio/recordings.yml was read («1 added») while the first
    line said «files read: none changed»; the same for a codebook changed by hand."""
    qt(study, "ls")
    manifest = study / "audio" / "recordings.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "- key: idi-09\n  file: text:idi-09\n"
                        "  method: interview\n", encoding="utf-8")  # fmt: skip
    book = study / "codebooks" / "barriers.yml"
    book.write_text(book.read_text(encoding="utf-8").replace(
        "label_en: Forced repeat visits", "label_en: Repeat visits"), encoding="utf-8")  # fmt: skip
    out = qt(study, "sync").output.splitlines()
    assert out[0] == "files read: audio/recordings.yml, codebooks/barriers.yml", out
    assert "recordings: 1 added, 0 updated, 0 removed" in out
    assert qt(study, "sync").output.splitlines()[0] == "files read: none changed"


def test_search_prints_keyword_in_context(study: Path) -> None:
    out = qt(study, "search", "справка").output
    assert "idi-01" in out and "справки" in out
    assert "idi-01" not in qt(study, "search", "справка", "--region", "Туркестанская").output
    assert qt(study, "search", "справ*", "--exact").output.strip()


def test_code_then_uncode_follows_the_coder_file(study: Path) -> None:
    # typed in capitals: the quote is found whatever the case and stored as the transcript
    # spells it
    out = qt(study, "code", "idi-01#2", "TIME.BREACH", "--quote", "Я ЖДАЛ БОЛЬШЕ МЕСЯЦА",
             "--coder", "dana").output  # fmt: skip
    mine = [c for c in layer_codings(study, "dana") if c["quote"] == "я ждал больше месяца"]
    assert [c["code"] for c in mine] == ["TIME.BREACH"]
    match = re.match(r"coding (\d+): TIME.BREACH by dana", out)
    assert match, out
    coding_id = match.group(1)
    qt(study, "uncode", coding_id)
    assert not [c for c in layer_codings(study, "dana") if c["quote"] == "я ждал больше месяца"]


def test_suggest_run_review_accept_reject(study: Path) -> None:
    # a low floor: the sample study is mostly coded already, and this is about the review
    assert "suggestion" in qt(study, "suggest", "run", "--threshold", "0").output
    queue = qt(study, "suggest", "ls").output
    ids = [line.split()[0] for line in queue.splitlines() if line.strip()[:1].isdigit()]
    assert len(ids) >= 2, queue
    qt(study, "suggest", "accept", ids[0])
    qt(study, "suggest", "reject", ids[1])
    after = qt(study, "suggest", "ls").output
    assert not any(line.split()[:1] == [ids[0]] for line in after.splitlines())
    assert not any(line.split()[:1] == [ids[1]] for line in after.splitlines())


def test_quotes_pin_unpin_and_tables(study: Path, tmp_path: Path) -> None:
    listing = qt(study, "quotes", "ls").output
    first = listing.split()[0]
    qt(study, "quotes", "pin", first)
    assert "★" in qt(study, "quotes", "ls").output or "key" in qt(study, "quotes", "ls").output
    qt(study, "quotes", "unpin", first)
    out = qt(study, "tables", "frequency", "--by", "region").output
    assert "ВКО" in out
    csv_path = tmp_path / "m.csv"
    qt(study, "tables", "matrix", "-o", str(csv_path))
    assert "idi-01" in csv_path.read_text(encoding="utf-8")
    assert qt(study, "tables", "cooccurrence").output.strip()


def test_agreement_disagreements_consensus(study: Path) -> None:
    out = qt(study, "agreement", "--coders", "aigerim,dana").output
    assert "κ" in out or "kappa" in out.lower()
    assert qt(study, "disagreements", "--coders", "aigerim,dana", "--all").output.strip()
    qt(study, "consensus", "--coders", "aigerim,dana")


def test_export_and_import_coder_is_idempotent(study: Path, tmp_path: Path) -> None:
    target = tmp_path / "dana-layer.json"
    qt(study, "export-coder", "dana", "-o", str(target))
    layer = json.loads(target.read_text(encoding="utf-8"))
    assert layer["coder"] == "dana" and layer["codings"]
    before = (study / "codings" / "dana.json").read_bytes()
    qt(study, "import-coder", str(target))
    assert (study / "codings" / "dana.json").read_bytes() == before  # nothing new to merge


def test_refi_export_project_and_codebook(study: Path, tmp_path: Path) -> None:
    qdpx = tmp_path / "study.qdpx"
    qt(study, "refi", "export", str(qdpx))
    with zipfile.ZipFile(qdpx) as z:
        project = z.read("project.qde").decode("utf-8")
    assert "<CodeBook" in project and "TranscriptSelection" in project
    qdc = tmp_path / "codebook.qdc"
    qt(study, "refi", "export", str(qdc))
    assert "BUR.EXTRA_DOCS" in qdc.read_text(encoding="utf-8") or "<Code " in qdc.read_text(
        encoding="utf-8"
    )


def test_transcript_show_export_import_round_trip(study: Path, tmp_path: Path) -> None:
    out = qt(study, "transcript", "show", "idi-01").output
    assert out.startswith("[00:00:00] R01:")
    before = (study / "transcripts" / "idi-01.json").read_bytes()
    qt(study, "transcript", "export", "idi-01")
    assert (study / "transcripts" / "idi-01.json").read_bytes() == before
    edited = tmp_path / "idi-01.md"
    edited.write_text(
        (study / "transcripts" / "idi-01.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    qt(study, "transcript", "import", "idi-01", str(edited))
    assert qt(study, "transcript", "show", "idi-01").output == out


@pytest.mark.parametrize("span", ["abc", "5", "1:2:3", "-3:4", "20:3", "5:5"])
def test_a_bad_span_is_one_line_and_changes_nothing(study: Path, span: str) -> None:
    """`--span` used to reach int() and the word snapper: a ValueError or TypeError traceback;
    a reversed span (20:3) was silently turned round and an empty one (5:5) answered with the
    TUI's «select words (shift+arrows or mouse)»."""
    before = (study / "codings" / "consensus.json").read_bytes()
    seg = qt(study, "disagreements").output.split()[0]
    for args in (["adjudicate", seg, "BUR.DELAY", "--yes", "--span", span],
                 ["suggest", "accept", "1", "--span", span]):  # fmt: skip
        result = CliRunner().invoke(cli, ["--study", str(study), *args])
        assert result.exit_code == 2, result.exception  # a usage error, not a crash
        assert "START:END" in result.output, result.output
    assert (study / "codings" / "consensus.json").read_bytes() == before
    assert "BUR.DELAY" in qt(study, "adjudicate", seg, "BUR.DELAY", "--yes", "--span",
                             "0:20").output  # fmt: skip


def test_refi_codebook_import_goes_into_the_study_and_never_overwrites(
    study: Path, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    qdc = downloads / "partner.qdc"
    qt(study, "refi", "export", str(qdc))
    qt(study, "refi", "import", str(qdc))
    written = study / "codebooks" / "partner.yml"
    assert written.exists() and not (downloads / "partner.yml").exists()
    before = written.read_bytes()
    again = CliRunner().invoke(cli, ["--study", str(study), "refi", "import", str(qdc)])
    assert again.exit_code != 0 and "already exists" in f"{again.output}{again.exception}"
    assert written.read_bytes() == before
    bad = CliRunner().invoke(
        cli, ["--study", str(study), "refi", "export", str(tmp_path / "x.txt")]
    )
    assert bad.exit_code != 0 and ".qdpx" in f"{bad.output}{bad.exception}"
    assert not (tmp_path / "x.txt").exists()
