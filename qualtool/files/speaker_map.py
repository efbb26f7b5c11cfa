"""speakers.yml: the coder's corrections of who is the interviewer, per recording.

    idi-01: {SPEAKER_00: interviewer}   # every turn of this diarisation label
    idi-02: {'#12': respondent}        # one turn (segment index) of a recording without labels

One line per recording, so that git merges two coders' corrections line by line; the nested
layout of earlier releases (a recording's labels indented under it) is read too.

Automatic detection fills everything else; these lines win over it in every later run and
survive a rebuilt database (the file is the truth, like the codebook).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from qualtool.domain.errors import InvalidInput
from qualtool.domain.recording import typed_role
from qualtool.files.study import STUDY_FILE, load_study
from qualtool.files.writing import union_merge
from qualtool.i18n import N_, _, study_language, translate

FILE = "speakers.yml"
ROLES = ("interviewer", "respondent")
# the words a coder reads and types for a role; the file keeps the English value above
ROLE_WORDS = {"interviewer": N_("interviewer"), "respondent": N_("respondent")}
# also understood when typed: a focus group's moderator is its interviewer
_SYNONYMS = {"moderator": "interviewer", "модератор": "interviewer",
             "participant": "respondent", "участник": "respondent"}  # fmt: skip
# the file's comment, in the study's language (`study_language`), whoever writes it: a Russian
# study's speakers.yml reads in Russian, and the same map is the same bytes on every laptop
HEADER = N_("Who is the interviewer (moderator) in each recording, as corrected by coders.")

SpeakerMap = dict[str, dict[str, str]]
Contested = dict[str, dict[str, tuple[str, ...]]]


def _yaml() -> YAML:
    y = YAML()
    y.allow_unicode = True
    y.default_flow_style = False
    return y


def load_speaker_map(root: Path) -> SpeakerMap:
    """Read through YAML's node tree, which keeps a key written twice: `.gitattributes` merges
    the file with `merge=union`, so two coders' corrections of one recording can come back as
    two `idi-01:` lines (or a label twice). Both are read: two coders' different labels are both
    kept. A label given both roles is contested (`contested`: listed, reported by the sync, for
    a coder to settle); meanwhile it reads as the interviewer (the same on every laptop,
    whichever way the merge went). The next write (`render_speaker_map`) leaves one sorted line
    per recording, and a contested label's other role on a line of its own until it is set."""
    return read_speaker_map(root)[0]


def contested(root: Path) -> Contested:
    """{recording: {label: both roles}} of the labels two coders corrected differently."""
    return read_speaker_map(root)[1]


def conflict_lines(both: Contested) -> dict[str, str]:
    """Each contested label as the conflict the sync reports and `qualtool conflicts` lists:
    {its ref (recording and label), the line}; the ref tells the same conflict in any language."""
    return {
        json.dumps([key, who], ensure_ascii=False): _(
            "{file}: {who} in {recording} was corrected both as interviewer and as "
            "respondent (by two coders): set it with `qualtool suggest speakers {recording} "
            "{who} ROLE`").format(file=FILE, who=who, recording=key)
        for key in sorted(both) for who in sorted(both[key])
    }  # fmt: skip


def read_speaker_map(root: Path) -> tuple[SpeakerMap, Contested]:
    path = root / FILE
    if not path.exists():
        return {}, {}
    try:
        node = _yaml().compose(path.read_text(encoding="utf-8"))
    except Exception as exc:  # ruamel raises many kinds; one clear line for the user
        raise InvalidInput(
            _("{file}: not valid YAML ({error})").format(file=FILE, error=exc.__class__.__name__)
        ) from None
    out: SpeakerMap = {}
    both: Contested = {}
    for key, entries in _pairs(node):
        for who, role in _pairs(entries):
            if not isinstance(role, ScalarNode) or role.value not in ROLES:
                raise InvalidInput(
                    _("{file}: {key} {who}: role must be one of {roles}").format(
                        file=FILE, key=key.value, who=who.value, roles=", ".join(ROLES)
                    )
                )
            roles = out.setdefault(str(key.value), {})
            had = roles.get(str(who.value))
            if had and had != role.value:
                both.setdefault(str(key.value), {})[str(who.value)] = ROLES
            roles[str(who.value)] = min(r for r in (had, role.value) if r) if had else role.value
    return out, both


def language_of(root: Path) -> str:
    """The language qualtool writes this study's files in (`Study.written`): study.toml's
    `ui_language`, else Russian for a study spoken in Russian — never the user's own; English
    for a folder that is no study (a bare map in a test)."""
    if not (root / STUDY_FILE).is_file():
        return "en"
    cfg = load_study(root).config
    return study_language(cfg.ui_language, cfg.languages)


def _pairs(node: Node | None) -> list[tuple[ScalarNode, Node]]:
    """The (key, value) pairs of a mapping node, every one, a repeated key too; an empty
    value (`idi-01:` with nothing under it) has none."""
    if node is None or (isinstance(node, ScalarNode) and node.value in ("", "~", "null")):
        return []
    pairs = list(node.value) if isinstance(node, MappingNode) else None
    if pairs is None or not all(isinstance(k, ScalarNode) for k, _v in pairs):
        # the error named as YAML's own errors are (a class name), not a sentence
        raise InvalidInput(_("{file}: not valid YAML ({error})").format(file=FILE, error="Mapping"))
    return pairs


def render_speaker_map(
    speaker_map: SpeakerMap, language: str = "en", both: Contested | None = None
) -> str:
    """The file's text: sorted, its comment in `language` (the study's: `language_of`), the
    same map in the same study always the same bytes, one line per recording
    (`idi-01: {SPEAKER_00: interviewer}`): git then merges two coders' corrections of
    different recordings line by line (`merge=union`), where the nested layout let a union
    put one recording's label under another's heading."""
    clean = {k: dict(sorted(v.items())) for k, v in sorted(speaker_map.items()) if v}
    buf = io.StringIO()
    buf.write(f"# {translate(HEADER, language)}\n")
    y = _yaml()
    y.default_flow_style = None  # a recording's labels, scalars only, in flow style
    y.width = 1 << 16  # and never folded onto a second line
    if clean:
        y.dump(clean, buf)
    for key in sorted(both or {}):  # a contested label's other role: kept until a coder sets it
        for who in sorted((both or {})[key]):
            other = [r for r in ROLES if r != speaker_map.get(key, {}).get(who)]
            if other:
                y.dump({key: {who: other[0]}}, buf)
    return buf.getvalue()


def save_speaker_map(
    root: Path, speaker_map: SpeakerMap, settled: dict[str, set[str]] | None = None
) -> bool:
    """Write sorted, only when the corrections change; returns whether the file was written.
    A file that already says the same (an older release's English comment or nested layout, a
    coder's own) is left as it is: no commit without a change of meaning. The next change
    writes it whole and normalised — a recording or a label a union merge left twice, once —
    and an older study's .gitattributes gains the file's `merge=union` line (`union_merge`).
    A contested label stays contested unless `settled` names it (a coder set its role)."""
    settled = settled or {}
    path = root / FILE
    current, was = read_speaker_map(root)
    both = {k: {w: r for w, r in v.items() if w not in settled.get(k, set())}
            for k, v in was.items() if k in speaker_map}  # fmt: skip
    both = {k: v for k, v in both.items() if v}
    if path.exists() and current == {k: v for k, v in speaker_map.items() if v} and both == was:
        return False
    text = render_speaker_map(speaker_map, language_of(root), both)
    union_merge(root, FILE)
    path.write_text(text, encoding="utf-8")
    return True


def rekeyed(root: Path, target: Callable[[str], str | None]) -> tuple[str, str] | None:
    """(before, after) of the file with each recording `target` names a new key for (`qualtool
    rename`, or a colleague's rename the sync carries) under that key; None when none moves.
    A contested label stays contested under the new key (a rename settles nothing), and a
    label corrected one way under the old key and the other under the new one (a colleague's
    correction made before the rename reached them) is contested too, never won by either."""
    path = root / FILE
    if not path.exists():
        return None
    current, both = read_speaker_map(root)
    olds = [k for k in sorted(current) if target(k)]
    if not olds:
        return None
    for old in olds:
        new = target(old) or old
        mine, theirs = current.pop(old), current.get(new, {})
        merged = {**mine, **theirs}
        for who in sorted(mine.keys() & theirs.keys()):
            if mine[who] != theirs[who]:
                both.setdefault(new, {})[who] = ROLES
                merged[who] = min(mine[who], theirs[who])  # read so: the interviewer
        current[new] = merged
        if old in both:
            both.setdefault(new, {}).update(both.pop(old))
    return path.read_text(encoding="utf-8"), render_speaker_map(current, language_of(root), both)


def set_role(root: Path, recording: str, who: str, role: str) -> SpeakerMap:
    """Record one correction: `who` is a speaker label, or "#<segment index>"."""
    if role not in ROLES:
        raise InvalidInput(_("role must be one of {roles}").format(roles=", ".join(ROLES)))
    current = load_speaker_map(root)
    current.setdefault(recording, {})[who] = role
    save_speaker_map(root, current, {recording: {who}})
    return current


def role_word(role: str) -> str:
    """A stored role as the interface says it («интервьюер»); an unknown value as it is."""
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def parse_role(word: str) -> str:
    """The stored role for what a coder typed: the English value, its word in the interface
    language or in Russian, whatever the case («Интервьюер», «respondent», «модератор») —
    a Russian coder types what the listing shows them; folded as a participant's role is
    (`domain.recording.typed_role`: «Интервьюер:» too); anything else is one clear error."""
    typed = typed_role(word)
    for role, msg in ROLE_WORDS.items():
        if typed in {typed_role(w) for w in (role, _(msg), translate(msg, "ru"))}:
            return role
    synonym = next((r for w, r in _SYNONYMS.items() if typed_role(w) == typed), None)
    if synonym:
        return synonym
    raise InvalidInput(
        _("{word!r} is not a role: use {interviewer} or {respondent}").format(
            word=word, interviewer=role_word("interviewer"), respondent=role_word("respondent")
        )
    )
