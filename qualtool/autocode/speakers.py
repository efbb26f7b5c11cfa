"""Who is speaking: the interviewer (moderator) or a respondent, per turn of a recording.

Auto-coding proposes only what respondents said; an interviewer's «А с порталом у вас были
проблемы?» is a question about a barrier, not evidence of one. Evidence, strongest first:
  1. the coder's corrections in speakers.yml (a label or one turn);
  2. the recording's metadata: the interviewer's name, "I", participants with role interviewer;
  3. the text: questions, interviewer formulas («Расскажите…», «А с … у вас», «Спасибо за…»),
     addressing «вы», short turns — pooled over all turns of a diarisation label, so one
     respondent's rhetorical question does not make them the interviewer; the label asking
     most (and more than the others) is the interviewer, in a focus group the moderator.
     Turns without a label are judged one by one, with turn-taking: an interviewer turn is
     followed by an answer, so two "interviewer" turns in a row keep only the stronger.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from qualtool.i18n import N_

INTERVIEWER, RESPONDENT = "interviewer", "respondent"
# where a role came from, as the listing says it (`qualtool suggest speakers`)
SOURCE_WORDS = {"coder": N_("coder"), "metadata": N_("metadata"), "text": N_("text"),
                "contested": N_("contested")}  # fmt: skip
CONTESTED = "contested"  # two coders' corrections differ (speakers.yml): a coder is to set it
_FORMULAS = re.compile(
    r"^\W*(?:и\s+|а\s+|ну\s+|хорошо[,.]?\s+|понятно[,.]?\s+|спасибо[,.!]?\s+)*"
    r"(?:расскажите|скажите|опишите|поясните|уточните|давайте|подскажите|вспомните|"
    r"как\s+вы|что\s+вы|где\s+вы|когда\s+вы|почему\s+вы|вы\s+(?:можете|пользовались|знали|"
    r"обращались)|были\s+ли|было\s+ли|приходилось\s+ли|сталкивались\s+ли|получили\s+ли|"
    r"удобно\s+ли|знаете\s+ли|можете\s+ли|кто[\s-]+(?:то|нибудь)|коллеги|"
    r"добрый\s+день|здравствуйте|спасибо\s+(?:за|вам|большое|всем)|понятно|хорошо|интересно|"
    r"ого|ясно|"
    # Kazakh interviews: «Айтыңызшы…», «Сәлеметсіз бе», «Қайырлы күн», «Сіз…»
    r"айтыңыз|айтып\s+беріңіз|сәлеметсіз|қайырлы\s+күн|сіз\b|сіздер|жақсы[,.]\s|түсінікті)",
    re.IGNORECASE,
)
# «вы» and the Kazakh «сіз» with its forms and polite verb endings («бардыңыз», «алдыңыздар»)
_ADDRESS = re.compile(r"\b(?:вы|вас|вам|вами|ваш\w*|сіз\w*|өзіңіз\w*|\w+ңыз(?:дар)?|"
                      r"\w+ңіз(?:дер)?)\b", re.IGNORECASE)  # fmt: skip
_SELF = re.compile(r"\b(?:я|мне|меня|мной|мы|нам|нас|мой|моя|моё|мои|наш\w*|мен|маған|менің|"
                   r"менде|біз|бізге|біздің|бізде)\b", re.IGNORECASE)  # fmt: skip
_SELF_LABELS = re.compile(r"^(?:i|интервьюер.*|модератор.*|interviewer.*|moderator.*)$", re.I)


@dataclass(frozen=True, slots=True)
class Turn:
    segment_id: int
    idx: int
    speaker: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Attribution:
    role: str
    source: str  # coder | metadata | text


def cue(text: str) -> float:
    """How much a turn sounds like the interviewer (> 1: clearly, < 0: clearly not)."""
    t = text.strip()
    words = len(t.split())
    score = 0.0
    if t.endswith("?"):
        score += 1.5
    if _FORMULAS.search(t):
        score += 1.5
    if _ADDRESS.search(t):
        score += 0.5
    score -= 0.5 * min(3, len(_SELF.findall(t)))
    if words > 22:
        score -= 1.0
    return score


def attribute(
    turns: Sequence[Turn],
    method: str = "interview",
    interviewer: str | None = None,
    roles: dict[str, str] | None = None,
    corrections: dict[str, str] | None = None,
) -> dict[int, Attribution]:
    """Role per segment id. `roles`: participant pseudonym → role from the manifest;
    `corrections`: this recording's speakers.yml entries."""
    roles = roles or {}
    corrections = corrections or {}
    named = {interviewer.casefold()} if interviewer else set()
    named |= {p.casefold() for p, r in roles.items() if r == INTERVIEWER}
    by_label: dict[str, list[Turn]] = defaultdict(list)
    for t in turns:
        if t.speaker:
            by_label[t.speaker].append(t)
    label_role: dict[str, Attribution] = {}
    for label in by_label:
        if label in corrections:
            label_role[label] = Attribution(corrections[label], "coder")
        elif label.casefold() in named or _SELF_LABELS.match(label):
            label_role[label] = Attribution(INTERVIEWER, "metadata")
        elif label in roles:
            label_role[label] = Attribution(RESPONDENT, "metadata")
    if not any(a.role == INTERVIEWER for a in label_role.values()):
        unknown = [lb for lb in by_label if lb not in label_role]
        means = {lb: sum(cue(t.text) for t in by_label[lb]) / len(by_label[lb]) for lb in unknown}
        if means:
            top = max(means, key=lambda lb: means[lb])
            others = [m for lb, m in means.items() if lb != top]
            if means[top] >= 0.75 and (not others or means[top] - max(others) >= 0.75):
                label_role[top] = Attribution(INTERVIEWER, "text")
    for label in by_label:
        label_role.setdefault(label, Attribution(RESPONDENT, "text"))
    out: dict[int, Attribution] = {}
    loose: list[Turn] = []
    for t in turns:
        if f"#{t.idx}" in corrections:
            out[t.segment_id] = Attribution(corrections[f"#{t.idx}"], "coder")
        elif t.speaker:
            out[t.segment_id] = label_role[t.speaker]
        else:
            loose.append(t)
    _turn_by_turn(loose, out)
    return out


def _turn_by_turn(turns: list[Turn], out: dict[int, Attribution]) -> None:
    cues = [cue(t.text) for t in turns]
    asks = [c >= 1.5 for c in cues]
    for n in range(1, len(turns)):
        adjacent = turns[n].idx == turns[n - 1].idx + 1
        if adjacent and asks[n] and asks[n - 1]:  # two questions in a row: one is an answer
            weaker = n if cues[n] < cues[n - 1] else n - 1
            if cues[weaker] < 2.5:
                asks[weaker] = False
    for t, ask in zip(turns, asks, strict=True):
        out[t.segment_id] = Attribution(INTERVIEWER if ask else RESPONDENT, "text")
