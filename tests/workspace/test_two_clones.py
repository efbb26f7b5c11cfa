"""Two laptops sharing a study through git: nobody's codings are ever lost or conflicted.

A bare repository and two clones; coders code with the CLI, commit, pull and push as a team
would. After every step every coding made anywhere so far must be in the files and in the
database of both clones.
"""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status


def seg_text(study: Path, key: str, idx: int) -> str:
    import json

    return json.loads((study / "transcripts" / f"{key}.json").read_text())["segments"][idx]["text"]


class Team:
    def __init__(self, tmp: Path) -> None:
        self.bare = seed_sample(tmp)
        self.a = clone(self.bare, tmp / "A")
        self.b = clone(self.bare, tmp / "B")
        self.expected = file_codings(self.a)  # the shipped layers
        for side in (self.a, self.b):
            qt(side, "ls")
            assert status(side) == "", "opening a fresh clone changed tracked files"

    def code(self, side: Path, coder: str, where: str, code: str) -> None:
        before = file_codings(side)
        qt(side, "code", where, code, "--coder", coder)
        key, idx = where.split("#")
        # the coding as written: a whole-segment coding snaps to words, so its quote may lack
        # the turn's dialogue dash or trailing comma («– Сначала … правительства,»)
        added = file_codings(side) - before
        assert {c[:4] for c in added} == {(coder, key, int(idx), code)}, added
        assert all(c[4] in seg_text(side, key, int(idx)) for c in added), added
        self.expected |= added

    def commit(self, side: Path, msg: str) -> None:
        git(side, "add", "-A")
        if status(side):
            git(side, "commit", "-qm", msg)

    def pull(self, side: Path) -> None:
        git(side, "pull", "-q", "--no-rebase", "--no-edit")

    def push(self, side: Path) -> None:
        git(side, "push", "-q")

    def check(self, *sides: Path) -> None:
        for side in sides:
            assert self.expected <= file_codings(side), self.expected - file_codings(side)
            assert self.expected <= db_codings(side), self.expected - db_codings(side)


def test_pull_then_code_keeps_the_colleagues_codings(tmp_path: Path) -> None:
    """Bug 1: B pulls anna's new codings, boris codes in B: anna's are kept (file and DB)."""
    t = Team(tmp_path)
    t.code(t.a, "anna", "idi-02#1", "TECH.OUTAGE")
    t.code(t.a, "anna", "idi-02#4", "TECH.AUTH")
    t.commit(t.a, "anna codes")
    t.push(t.a)

    t.pull(t.b)
    t.code(t.b, "boris", "idi-02#4", "ACC.QUEUE")
    assert "codings/anna.json" not in status(t.b)  # only boris's file changed in B
    t.check(t.b)
    t.commit(t.b, "boris codes")
    t.push(t.b)

    t.pull(t.a)
    qt(t.a, "ls")
    t.check(t.a, t.b)
    assert status(t.a) == "" and status(t.b) == ""


def test_both_coders_in_one_pull_cycle_merge_without_conflict(tmp_path: Path) -> None:
    """Bug 2: anna (A) and boris (B) code before pulling; git merges with no conflict in
    boris.json (a file only boris writes) and both clones end up with everything."""
    t = Team(tmp_path)
    t.code(t.a, "anna", "idi-02#1", "TECH.OUTAGE")
    t.code(t.b, "boris", "idi-02#1", "TECH.OUTAGE")
    t.code(t.b, "boris", "ms-01#0", "INFO.MISSING")
    assert status(t.a).split() == ["??", "codings/anna.json"]
    assert status(t.b).split() == ["??", "codings/boris.json"]
    t.commit(t.a, "anna")
    t.push(t.a)
    t.commit(t.b, "boris")
    t.pull(t.b)  # a merge commit; asserts git succeeded (no conflict)
    t.push(t.b)
    t.pull(t.a)
    qt(t.a, "ls")
    qt(t.b, "ls")
    t.check(t.a, t.b)
    assert status(t.a) == "" and status(t.b) == ""


def test_same_coder_on_two_machines(tmp_path: Path) -> None:
    """anna codes on her laptop and on a lab PC; adjacent records in one file merge (union),
    and a record edited on both sides keeps both versions and is reported."""
    t = Team(tmp_path)
    t.code(t.a, "anna", "idi-02#1", "TECH.OUTAGE")
    t.commit(t.a, "anna on A")
    t.push(t.a)
    t.pull(t.b)
    qt(t.b, "ls")
    # both machines now add right next to each other in anna.json
    t.code(t.a, "anna", "idi-02#3", "TECH.AUTH")
    t.code(t.b, "anna", "idi-02#3", "TECH.OUTAGE")
    t.code(t.b, "aigerim", "fg-01#2", "STAFF.CONDUCT")
    t.commit(t.a, "anna on A again")
    t.push(t.a)
    t.commit(t.b, "anna on B")
    t.pull(t.b)
    out = qt(t.b, "sync")
    assert "codings/anna.json" in out
    t.check(t.b)
    t.commit(t.b, "after sync")  # sync may normalise the union-merged file; never loses lines
    t.push(t.b)
    t.pull(t.a)
    qt(t.a, "ls")
    t.check(t.a, t.b)
    # a deletion travels too, and the other side does not bring it back
    cid = qt(t.a, "code", "idi-02#4", "TECH.AUTH", "--coder", "anna").split()[1].rstrip(":")
    t.commit(t.a, "one more")
    t.push(t.a)
    t.pull(t.b)
    qt(t.b, "ls")
    qt(t.a, "uncode", cid)
    t.commit(t.a, "removed")
    t.push(t.a)
    t.pull(t.b)
    t.code(t.b, "anna", "idi-02#0", "TECH.OUTAGE")
    assert ("anna", "idi-02", 4, "TECH.AUTH") not in {c[:4] for c in db_codings(t.b)}
    assert ("anna", "idi-02", 4, "TECH.AUTH") not in {c[:4] for c in file_codings(t.b)}
    t.check(t.b)


def test_same_record_changed_on_both_sides_keeps_both(tmp_path: Path) -> None:
    t = Team(tmp_path)
    t.code(t.a, "anna", "idi-02#1", "TECH.OUTAGE")
    t.commit(t.a, "anna")
    t.push(t.a)
    t.pull(t.b)
    qt(t.a, "code", "idi-02#1", "TECH.OUTAGE", "--coder", "anna", "--memo", "x")  # no-op re-code
    for side, memo in ((t.a, "портал завис"), (t.b, "жалоба на сайт")):
        ws_memo(side, memo)
    t.commit(t.a, "memo A")
    t.push(t.a)
    t.commit(t.b, "memo B")
    t.pull(t.b)
    out = qt(t.b, "sync")
    assert "conflict" in out
    memos = [r for r in layer(t.b, "anna") if r["kind"] == "coding" and r["segment"] == 1
             and r["recording"] == "idi-02"]  # fmt: skip
    assert len(memos) == 1
    assert "портал завис" in memos[0]["memo"] and "жалоба на сайт" in memos[0]["memo"]
    listed = qt(t.b, "conflicts")
    assert "codings/anna.json" in listed and "TECH.OUTAGE" in listed
    qt(t.b, "conflicts", "--resolve-all")
    assert "codings/anna.json" not in qt(t.b, "conflicts")


def ws_memo(side: Path, memo: str) -> None:
    """Write a memo on anna's idi-02#1 coding as the TUI would (then the CLI saves on close)."""
    from qualtool.workspace.study import open_workspace

    ws = open_workspace(side)
    ws.db.execute("UPDATE codings SET memo = ? WHERE coder_id = 'anna'", [memo])
    ws.db.conn.commit()
    ws.save_layers()
    ws.close()


def layer(side: Path, coder: str) -> list[dict[str, object]]:
    from qualtool.files import layer_format as fmt

    path = side / "codings" / f"{coder}.json"
    return list(fmt.parse(path.read_text(encoding="utf-8"), path.name).records.values())


def sine_wav(path: Path, seconds: float = 2.0) -> Path:
    import wave

    import numpy as np

    t = np.arange(int(16000 * seconds)) / 16000
    pcm = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm)
    return path


def test_recordings_added_and_removed_travel_and_stay_removed(tmp_path: Path) -> None:
    t = Team(tmp_path)
    qt(t.a, "add", str(sine_wav(tmp_path / "extra.wav")), "--key", "extra-01")
    t.commit(t.a, "add")
    t.push(t.a)
    t.pull(t.b)
    assert "extra-01" in qt(t.b, "ls")
    qt(t.a, "rm", "extra-01", "--yes")
    t.commit(t.a, "rm")
    t.push(t.a)
    t.pull(t.b)
    out = qt(t.b, "sync")
    assert "1 removed" in out
    t.code(t.b, "boris", "idi-02#1", "TECH.OUTAGE")  # B writes files: no resurrection
    assert "extra-01" not in qt(t.b, "ls")
    assert "extra-01" not in (t.b / "audio" / "recordings.yml").read_text()
    t.commit(t.b, "boris")
    t.push(t.b)
    t.pull(t.a)
    qt(t.a, "ls")
    t.check(t.a, t.b)
    assert status(t.a) == "" and status(t.b) == ""


def test_a_passage_settled_both_ways_is_a_conflict(tmp_path: Path) -> None:
    """Lead A puts a disputed passage into the consensus, lead B rules it out; git merges both
    lines into consensus.json without a complaint. The pull is a conflict to resolve (not a
    silent «settled»), and adjudicating again leaves one decision in the file."""
    t = Team(tmp_path)
    line = next(x for x in qt(t.a, "disagreements").splitlines() if "BUR.DELAY" in x)
    seg = line.split()[0]
    qt(t.a, "adjudicate", seg, "BUR.DELAY", "--yes", "--by", "anna")
    t.commit(t.a, "A: applies")
    t.push(t.a)
    qt(t.b, "adjudicate", seg, "BUR.DELAY", "--no", "--by", "boris")
    t.commit(t.b, "B: does not apply")
    t.pull(t.b)
    merged = (t.b / "codings" / "consensus.json").read_text(encoding="utf-8")
    assert '"absent"' in merged and merged.count('"BUR.DELAY"') == 2  # git's clean merge
    assert "BUR.DELAY" in qt(t.b, "sync") and "BUR.DELAY" in qt(t.b, "conflicts")
    qt(t.b, "adjudicate", seg, "BUR.DELAY", "--no", "--by", "boris")
    after = (t.b / "codings" / "consensus.json").read_text(encoding="utf-8")
    live = [x for x in after.splitlines() if '"BUR.DELAY"' in x and '"deleted"' not in x]
    assert len(live) == 1 and '"absent"' in live[0]  # the pushed coding leaves a tombstone
