"""One fold for a typed role word (`domain.recording.typed_role`): a speaker's role
(`files.speaker_map.parse_role`) and a participant's (`domain.recording.find_role`) read the
same word the same way — any case, «ё», Kazakh letters, a trailing colon or stop, «_» or «-».
They folded differently: «Интервьюер:» was a participant's role but no speaker's."""

from __future__ import annotations

import pytest

from qualtool.domain.errors import InvalidInput
from qualtool.domain.recording import Role, find_role, typed_role
from qualtool.files.speaker_map import parse_role

# typed → (speaker role or None, participant role or None)
TABLE = [
    ("interviewer", "interviewer", Role.INTERVIEWER),
    ("Interviewer", "interviewer", Role.INTERVIEWER),
    ("INTERVIEWER:", "interviewer", Role.INTERVIEWER),
    ("  interviewer .", "interviewer", Role.INTERVIEWER),
    ("Интервьюер", "interviewer", Role.INTERVIEWER),
    ("интервьюер:", "interviewer", Role.INTERVIEWER),
    ("ИНТЕРВЬЮЁР", "interviewer", Role.INTERVIEWER),  # ё typed for е
    ("Respondent", "respondent", None),
    ("респондент:", "respondent", None),
    ("Респондёнт", "respondent", None),
    ("Moderator:", "interviewer", None),
    ("Модератор", "interviewer", None),
    ("Participant", "respondent", Role.OTHER),
    ("Участник:", "respondent", Role.OTHER),
    ("участнік", "respondent", Role.OTHER),  # a Kazakh keyboard's і for и
    ("Эксперт:", None, Role.EXPERT),
    ("Civil-Servant", None, Role.CIVIL_SERVANT),
    ("civil_servant;", None, Role.CIVIL_SERVANT),
    ("Государственный  служащий", None, Role.CIVIL_SERVANT),
    ("Service recipient", None, Role.RECIPIENT),
    ("Услугополучатель.", None, Role.RECIPIENT),
    ("наблюдатель", None, None),
    ("", None, None),
]


def _speaker(word: str) -> str | None:
    try:
        return parse_role(word)
    except InvalidInput:
        return None


@pytest.mark.parametrize(("typed", "speaker", "participant"), TABLE)
def test_both_callers_read_a_typed_role_alike(typed: str, speaker: str | None,
                                              participant: Role | None) -> None:  # fmt: skip
    assert _speaker(typed) == speaker
    assert find_role(typed) == participant


@pytest.mark.parametrize(("typed", "folded"), [
    ("Интервьюер:", "интервьюер"), ("ИНТЕРВЬЮЁР", "интервьюер"), ("Қатысушы", "катысушы"),
    ("civil-servant", "civil servant"), (" Civil__Servant ; ", "civil servant"),
])  # fmt: skip
def test_the_fold(typed: str, folded: str) -> None:
    assert typed_role(typed) == folded
