"""After `anonymise --apply` no seeded name, IIN, phone, e-mail or address is left in any file
of the study, in any export (archives unpacked), or in the raw bytes of qualtool.db and its WAL;
a SIGKILL at any point of apply is completed or rolled back by the next command."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import NEEDLES, cli, env_vault, every_file, kill_apply_at, leaks, seed

from qualtool.files.study import init_study
from qualtool.workspace.study import open_workspace

REPO = Path(__file__).resolve().parents[2]


def make_study(tmp_path: Path) -> Path:
    study = init_study(tmp_path / "study", name="Утечки", year=2025, coder="anna")
    (study.codebooks_dir / "barriers.yml").write_bytes(
        (REPO / "codebooks" / "barriers.yml").read_bytes()
    )
    ws = open_workspace(study.root, sync=True)
    seed(ws)
    ws.close()
    return study.root


def exports(root: Path, out: Path) -> list[Path]:
    out.mkdir()
    made = []
    for fmt in ("md", "docx", "csv", "xlsx"):
        path = out / f"report.{fmt}"
        r = cli(root, "report", "--all-coders", "--format", fmt, "-o", str(path))
        assert r.returncode == 0, r.stderr
        made.append(path)
    r = cli(root, "refi", "export", str(out / "study.qdpx"))
    assert r.returncode == 0, r.stderr
    for coder in ("anna", "boris", "consensus"):
        r = cli(root, "export-coder", coder, "-o", str(out / f"{coder}.json"))
        assert r.returncode == 0, r.stderr
    return [*made, out / "study.qdpx", *(out / f"{c}.json" for c in ("anna", "boris", "consensus"))]


def test_seeded_study_leaks_before_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can see a leak: before apply the study is full of them."""
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    found = leaks(every_file(root))
    assert any(k.endswith("qualtool.db") or k.endswith("-wal") for k in found)
    assert any("codings" in k for k in found) and any("transcripts" in k for k in found)
    r = cli(root, "report", "--all-coders", "--format", "md", "--include-originals", "-o",
            str(tmp_path / "orig.md"), env=env)  # fmt: skip
    assert r.returncode == 0 and "warning" in r.stderr
    assert leaks([tmp_path / "orig.md"])


def test_no_name_left_anywhere_after_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    listed = cli(root, "anonymise", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "Нурлановой" in listed.stdout and "⟦" in listed.stdout  # review shows context
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert "name: " in r.stdout and "IIN: " in r.stdout  # the kinds in the viewer's words
    files = every_file(root)
    assert leaks(files) == {}, leaks(files)
    made = exports(root, tmp_path / "exports")
    assert leaks(made) == {}, leaks(made)
    assert leaks(every_file(root)) == {}  # the export commands wrote nothing back
    vault = tmp_path / "vault" / "vault"
    assert any(p.suffix == ".vault" for p in vault.iterdir())
    assert leaks(list(vault.iterdir())) == {}  # encrypted: not even the vault shows a name
    md = (root / "transcripts" / "idi-01.md").read_text(encoding="utf-8")
    assert "Имя-1" in md and "[ИИН]" in md and "[телефон]" in md and "[адрес]" in md
    assert "ЦОНе Алматы" in md  # the allow-list kept the agency and the city


@pytest.mark.parametrize(("stage", "outcome"), [("before-db", "rolled back"),
                                                ("in-db", "rolled back"),
                                                ("files", "completed")])  # fmt: skip
def test_killed_apply_completes_or_rolls_back(
    tmp_path: Path, stage: str, outcome: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    before = {p: p.read_bytes() for p in every_file(root) if "transcripts" in p.parts
              or "codings" in p.parts}  # fmt: skip
    kill_apply_at(root, env, stage, tmp_path / "stopped")
    assert (root / "privacy" / "apply-intent.json").exists()
    nxt = cli(root, "quotes", "ls", "--all-coders", env=env)
    assert nxt.returncode == 0, nxt.stderr
    assert outcome in nxt.stderr
    assert not (root / "privacy" / "apply-intent.json").exists()
    if outcome == "completed":
        assert leaks(every_file(root)) == {}, leaks(every_file(root))
    else:  # everything as before: the files byte for byte, the originals in the database
        assert {p: p.read_bytes() for p in before} == before
        r = cli(root, "anonymise", "--apply", env=env)  # and a second try goes through
        assert r.returncode == 0, r.stderr
        assert leaks(every_file(root)) == {}, leaks(every_file(root))
    assert NEEDLES
