"""What the tests of tests/privacy/ share: a study seeded with identifying data in every place it
can hide; the steps they take on a study through the real CLI (a new study, a recording of a
respondent's turns or one imported from a file named after her, `--apply` in either language,
the pseudonyms' numbers in a transcript); a reject the decision tests edit around; and the
names rule of an earlier release, from git. (Whether a name is left: tests/name_leaks.py.)"""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import types
import zipfile
from pathlib import Path

import pytest
from conftest import AUDIO

from qualtool.coding.actions import apply_codes, toggle_key_quote, write_memo
from qualtool.coding.editing import edit_segment_text
from qualtool.domain import Memo, Participant, Recording, Word
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.privacy import review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import import_file
from qualtool.store import recordings as rec_store
from qualtool.store import suggestions as sug_store
from qualtool.store.transcripts import update_segment
from qualtool.team.exchange import save_layers
from qualtool.workspace.study import Workspace, open_workspace
from qualtool.workspace.transcripts import write_outputs

REPO = Path(__file__).resolve().parents[2]

CODED = ("Меня принимала Айгерим Нурлановна, ИИН у меня 850101400120, телефон +7 (727) 2-123-456, "
         "живу на ул. Абая, д. 12, кв. 5, а потом я пошла к Нурлановой, и она мне нагрубила.")  # fmt: skip
UNCODED = "Ерлан Сейткалиев обещал перезвонить на 8 701 765 43 21, но так и не позвонил."
CLEAN = "В ЦОНе Алматы очередь была большая, талон номер 237."
MEMO = (
    "Респондентка жалуется на Нурланову; её телефон +7 (727) 2-123-456, e-mail aigerim.n@mail.kz."
)
# a place the detector takes for a name, which a reviewer keeps as spoken (reject)
KEPT = "У нас в районе очень тяжело с Этернити приходится выезжать в районный центр."
# what must not survive anywhere (checked as written and in lower case)
NEEDLES = ["Айгерим", "Нурланов", "850101400120", "2-123-456", "Сейткалиев", "765 43 21",
           "aigerim.n@mail", "д. 12, кв. 5"]  # fmt: skip


def seed(ws: Workspace) -> None:
    db = ws.db
    rec = add_text_recording(db, "idi-01", [("R01", CODED), ("R01", UNCODED), ("I", CLEAN)],
                             region="Алматы", service="ЦОН")  # fmt: skip
    ids = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY idx")]
    rec_store.update_recording(db, rec, notes="Перезвонить Айгерим Нурлановне: +7 (727) 2-123-456")
    words = tuple(Word(i * 0.4, i * 0.4 + 0.35, " " + w, 0.9) for i, w in enumerate(CODED.split()))
    update_segment(db, ids[0], words=words)
    # the journal's before-image now holds the uncoded original
    edit_segment_text(db, ids[1], UNCODED + " Ужас.")
    start = CODED.index("Айгерим")
    codings = apply_codes(db, ids[0], (start, len(CODED)), ["STAFF.CONDUCT"], "anna",
                          memo="Айгерим Нурлановна грубила")  # fmt: skip
    toggle_key_quote(db, codings[0].id or 0)
    apply_codes(db, ids[0], (start, len(CODED)), ["STAFF.CONDUCT"], "consensus")
    s2 = CODED.index("к Нурлановой")
    apply_codes(db, ids[0], (s2, s2 + 12), ["STAFF.CONDUCT"], "boris")
    write_memo(db, Memo("segment", str(ids[0]), MEMO, "anna"))
    s3 = UNCODED.index("Ерлан")
    sug_store.propose(db, [{"segment_id": ids[1], "code_id": "STAFF.CONDUCT", "start": s3,
                            "end": len(UNCODED), "quote": UNCODED[s3:], "score": 0.8,
                            "reason": "Ерлан Сейткалиев: keyword «перезвонить»"}])  # fmt: skip
    from qualtool.search.query import refresh_index

    refresh_index(db)  # the FTS index holds the originals too
    conflicts = ws.study.root / "conflicts"
    conflicts.mkdir()
    (conflicts / "vera-20250101T000000.json").write_text(json.dumps({"source": "vera.json",
        "conflicts": [{"quote": "Сейткалиев дал номер 8 701 765 43 21", "problem": "quote gone"}]},
        ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip
    write_outputs(ws, rec)
    ws.save_manifest()
    save_layers(ws)


def cli(root: Path, *args: str, env: dict[str, str] | None = None, wait: bool = True,
        lang: str = "en") -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:  # fmt: skip
    """`qualtool -s ROOT ARGS` in a process of its own, in the interface language `lang`."""
    full = {"PATH": "/usr/bin:/bin", "COLUMNS": "160", "HOME": str(root.parent),
            "PYTHONPATH": str(REPO), "QUALTOOL_LANG": lang, **(env or {})}  # fmt: skip
    cmd = [sys.executable, "-m", "qualtool", "-s", str(root), *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=root.parent, env=full, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
    return subprocess.run(cmd, cwd=root.parent, env=full, capture_output=True, text=True)


def kill_apply_at(root: Path, env: dict[str, str], stage: str, flag: Path) -> None:
    """`anonymise --apply` killed (SIGKILL) once it signals it reached `stage`: what a crash
    or a closed laptop leaves for the next command to finish."""
    proc = cli(root, "anonymise", "--apply", wait=False,
               env={**env, "QUALTOOL_ANONYMISE_STOP_AT": stage,
                    "QUALTOOL_ANONYMISE_STOP_FLAG": str(flag)})  # fmt: skip
    assert isinstance(proc, subprocess.Popen)
    for _ in range(600):  # the process signals when it reached the stage (not a timing test)
        if flag.exists() or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert flag.exists(), proc.communicate()
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def listed_replacements(out: str) -> dict[str, list[str]]:
    """From `qualtool anonymise`'s listing: RECORDING#IDX → the replacements shown for its
    people, in order."""
    got: dict[str, list[str]] = {}
    for line in out.splitlines():
        m = re.match(r"(\S+#\d+):\d+:\d+\s+person\s+\S+\s+→ (\S+)", line)
        if m:
            got.setdefault(m[1], []).append(m[2])
    return got


def hits(blob: bytes) -> list[str]:
    """The needles in a file's bytes, XML character references decoded (openpyxl writes
    Cyrillic in an XLSX as «&#1043;…»: a plain byte grep never sees it)."""
    low = html.unescape(blob.decode("utf-8", "replace")).lower()
    return [n for n in NEEDLES if n.lower() in low]


def leaks(paths: list[Path]) -> dict[str, list[str]]:
    """Every file (zip archives unpacked) that still contains a needle."""
    out: dict[str, list[str]] = {}
    for path in paths:
        if path.is_dir():
            continue
        blobs = {str(path): path.read_bytes()}
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                blobs.update({f"{path}!{n}": z.read(n) for n in z.namelist()})
        for name, blob in blobs.items():
            found = hits(blob)
            if found:
                out[name] = found
    return out


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def env_vault(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The vault in tmp for this process (undone after the test) and for CLI subprocesses."""
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp / "vault"))
    return {"QUALTOOL_VAULT": str(tmp / "vault")}


def new_study(tmp_path: Path) -> Path:
    """An empty study with the shipped codebook, its database made."""
    study = init_study(tmp_path / "study", name="Падежи", year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    open_workspace(study.root, sync=True).close()
    return study.root


def add_recording(root: Path, key: str, turns: list[str]) -> None:
    """A text recording of the respondent's `turns`, its transcript files written."""
    ws = open_workspace(root, sync=True)
    add_text_recording(ws.db, key, [("R01", t) for t in turns], region="Алматы", service="ЦОН")
    write_outputs(ws, next(r for r in rec_store.list_recordings(ws.db) if r.key == key))
    ws.save_manifest()
    ws.close()


def named_import(tmp: Path, title: str, file: str,
                 respondent: Participant) -> tuple[Workspace, Recording]:  # fmt: skip
    """A new study `title` (the shipped codebook) and the sample interview imported into it
    from a file named `file` — after the respondent, as people name them — interviewed by
    «Айгерим Бекова», the `respondent` taking part: the study open, and the recording."""
    study = init_study(tmp / "study", name=title, year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    ws = open_workspace(study.root, sync=True)
    src = tmp / file
    shutil.copy(AUDIO / "idi-01.flac", src)
    people = Recording(interviewer="Айгерим Бекова", participants=(respondent,))
    return ws, import_file(ws.study, ws.db, src, people)


def study_of(tmp: Path, monkeypatch: pytest.MonkeyPatch, key: str,
             turns: list[str]) -> tuple[Path, dict[str, str]]:  # fmt: skip
    """A new study (`new_study`) of one recording (`add_recording`), the test's own vault
    (`env_vault`): its root, and the environment a CLI subprocess finds that vault by."""
    env = env_vault(tmp, monkeypatch)
    root = new_study(tmp)
    add_recording(root, key, turns)
    return root, env


def apply(root: Path, env: dict[str, str]) -> None:
    """`qualtool anonymise --apply`, which must succeed."""
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr


def transcript(root: Path, key: str) -> list[str]:
    """The segments' texts, in order, from the study's own file."""
    md = (root / "transcripts" / f"{key}.md").read_text(encoding="utf-8")
    return [line for line in md.splitlines() if line.startswith("[")]


def numbers(line: str) -> list[int]:
    """The pseudonyms' numbers in a line, in order."""
    return [int(n) for n in re.findall(r"Имя-(\d+)", line)]


def focus_group_kept(ws: Workspace) -> None:
    """A focus group «fg-01» whose second turn is `KEPT`, its «Этернити» rejected in the review
    (kept as spoken): the reject the decision tests then split, merge and edit around."""
    add_text_recording(ws.db, "fg-01", [("I", "Расскажите, пожалуйста, как всё было?"),
                                        ("P2", KEPT)])  # fmt: skip
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    f = next(f for f in review.segment_findings(ws, pseud) if f.entity.text == "Этернити")
    review.decide(ws, f, "reject")


def names_before(commit: str) -> types.ModuleType:
    """qualtool/privacy/names.py as it was at `commit` (from git; the test is skipped without
    the history): the rule a study anonymised with that release was numbered by."""
    src = subprocess.run(["git", "show", f"{commit}:qualtool/privacy/names.py"], cwd=REPO,
                         capture_output=True, text=True)  # fmt: skip
    if src.returncode:
        pytest.skip(f"no git history here: {src.stderr.strip()}")
    before = types.ModuleType(f"names_{commit}")
    exec(compile(src.stdout, f"names_{commit}.py", "exec"), before.__dict__)
    return before
