"""A surname said alone is the recording's full name with it: «Кенжебаева сказала…», «у
Кенжебаевой» in an interview that names «Шолпан Кенжебаева» are her — one pseudonym, where
they were two — and every case form of it is found and replaced, the Kazakh ones too
(«Кенжебаеваға» was a person of its own, «Кенжебаевамен» at a sentence start was missed). Her
husband, «Кенжебаев», stays someone else, as does a «Кенжебаева» of another interview.
Through the real `qualtool anonymise` (the listing) and `--apply`, grepped byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import add_recording, cli, listed_replacements, numbers, study_of, transcript

from qualtool.privacy.detect import Detector

HERS = [
    "Меня принимала Шолпан Кенжебаева из ЦОНа.",
    "Кенжебаева сказала, что справки нет.",
    "У Кенжебаевой не было времени, очередь большая.",
    "Потом Кенжебаеву вызвали к начальнику.",
    "Мы с Кенжебаевой пошли в акимат.",
    "Кенжебаевамен сөйлестім, Кенжебаеваға құжаттарды бердім.",
    "Её муж Кенжебаев тоже пришёл, с Кенжебаевым мы не говорили.",
]
OTHER = ["Кенжебаева пришла в ЦОН уже после обеда."]  # another interview: not her
FORMS = ["Кенжебаев", "Шолпан"]  # every form holds one of these, in any case


@pytest.mark.parametrize("text", ["Кенжебаева сказала, что справки нет.",
                                  "Кенжебаевой позвонили вчера.", "Спросили о Кенжебаевой.",
                                  "Кенжебаеву вызвали.", "Кенжебаевамен сөйлестім.",
                                  "Мен Кенжебаеваға айттым.", "Кенжебаеваның құжаты жоқ."])  # fmt: skip
def test_every_form_of_a_surname_alone_is_found(text: str) -> None:
    found = [(e.text, e.key) for e in Detector().detect(text)]
    assert len(found) == 1 and found[0][1] == "кенжебаев", found


def test_a_lone_surname_is_the_recordings_one_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "int-01", HERS)
    add_recording(root, "int-02", OTHER)
    listing = cli(root, "anonymise", env=env)
    assert listing.returncode == 0, listing.stderr
    listed = listed_replacements(listing.stdout)
    her = listed["int-01#0"]
    assert all(listed[f"int-01#{i}"] == her * n for i, n in ((1, 1), (2, 1), (3, 1), (4, 1), (5, 2))), listed  # fmt: skip
    husband = listed["int-01#6"]
    assert len(husband) == 2 and len(set(husband)) == 1 and husband[0] not in her, listed
    assert listed["int-02#0"][0] not in her, listed  # (keyed by her surname alone, as he is)

    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    applied = {f"int-0{k}#{i}": [f"Имя-{x}" for x in numbers(line)]
               for k in (1, 2) for i, line in enumerate(transcript(root, f"int-0{k}"))}  # fmt: skip
    assert applied == listed  # the listing said what the apply did
    n = int(her[0].removeprefix("Имя-"))
    assert [numbers(x) for x in transcript(root, "int-01")[:6]] == [[n]] * 5 + [[n, n]]
    assert_no_name(root, FORMS)
