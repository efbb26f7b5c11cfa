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


def _yaml() -> YAML:
    y = YAML()
    y.allow_unicode = True
    y.default_flow_style = False
    return y


def load_speaker_map(root: Path) -> SpeakerMap:
    """Read through YAML's node tree, which keeps a key written twice: `.gitattributes` merges
    the file with `merge=union`, so two coders' corrections of one recording can come back as
    two `idi-01:` blocks (or a label twice). Both blocks are read; a label given both roles
    reads as the interviewer (the same on every laptop, whichever way the merge went). The
    next write (`render_speaker_map`) leaves one sorted block per recording."""
    path = root / FILE
    if not path.exists():
        return {}
    try:
        node = _yaml().compose(path.read_text(encoding="utf-8"))
    except Exception as exc:  # ruamel raises many kinds; one clear line for the user
        raise InvalidInput(
            _("{file}: not valid YAML ({error})").format(file=FILE, error=exc.__class__.__name__)
        ) from None
    out: SpeakerMap = {}
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
            roles[str(who.value)] = min(r for r in (had, role.value) if r) if had else role.value
    return out


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


def render_speaker_map(speaker_map: SpeakerMap, language: str = "en") -> str:
    """The file's text: sorted, its comment in `language` (the study's: `language_of`), the
    same map in the same study always the same bytes, one line per recording
    (`idi-01: {SPEAKER_00: interviewer}`): git then merges two coders' corrections of
    different recordings line by line (`merge=union`), where the nested layout let a union
    put one recording's label under another's heading."""
    clean = {k: dict(sorted(v.items())) for k, v in sorted(speaker_map.items()) if v}
    buf = io.StringIO()
    buf.write(f"# {translate(HEADER, language)}\n")
    if clean:
        y = _yaml()
        y.default_flow_style = None  # a recording's labels, scalars only, in flow style
        y.width = 1 << 16  # and never folded onto a second line
        y.dump(clean, buf)
    return buf.getvalue()


def save_speaker_map(root: Path, speaker_map: SpeakerMap) -> bool:
    """Write sorted, only when the corrections change; returns whether the file was written.
    A file that already says the same (an older release's English comment or nested layout, a
    coder's own) is left as it is: no commit without a change of meaning. The next change
    writes it whole and normalised — a recording or a label a union merge left twice, once —
    and an older study's .gitattributes gains the file's `merge=union` line (`union_merge`)."""
    path = root / FILE
    if path.exists() and load_speaker_map(root) == {k: v for k, v in speaker_map.items() if v}:
        return False
    text = render_speaker_map(speaker_map, language_of(root))
    union_merge(root, FILE)
    path.write_text(text, encoding="utf-8")
    return True


def set_role(root: Path, recording: str, who: str, role: str) -> SpeakerMap:
    """Record one correction: `who` is a speaker label, or "#<segment index>"."""
    if role not in ROLES:
        raise InvalidInput(_("role must be one of {roles}").format(roles=", ".join(ROLES)))
    current = load_speaker_map(root)
    current.setdefault(recording, {})[who] = role
    save_speaker_map(root, current)
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
