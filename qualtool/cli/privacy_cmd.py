"""`qualtool anonymise`: review findings, record decisions, apply, restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import command
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.i18n import N_, _, ngettext
from qualtool.i18n.numbers import fmt
from qualtool.privacy import apply as anon
from qualtool.privacy import decisions, lone_names, metadata, outside_names, review
from qualtool.privacy import fresh_copy as fresh
from qualtool.privacy import restore as restoring
from qualtool.privacy.audio import redact_audio
from qualtool.privacy.entity import KIND_WORDS
from qualtool.privacy.plan import ApplyReport
from qualtool.privacy.pseudonyms import Pseudonymiser

# the tables the summary counts rows in, named in the viewer's language
_TABLES = {"segments": N_("segments"), "codings": N_("codings"), "memos": N_("memos"),
           "suggestions": N_("suggestions"), "recordings": N_("recording notes and interviewers"),
           "participants": N_("participants"), "transcripts": N_("transcript sources")}  # fmt: skip


def _add_usage() -> InvalidInput:
    return InvalidInput(_("use RECORDING#SEGMENT=WORDS (e.g. idi-01#3=Асель), memos=WORDS, "
                          "notes:RECORDING=WORDS, speaker:RECORDING=WORDS or "
                          "RECORDING#SEGMENT:START:END[:KIND]"))  # fmt: skip


def _span(value: str, add: bool = False) -> tuple[str, int, int, str]:
    """REC#IDX:START:END[:KIND]"""
    try:
        where, rest = value.rsplit("#", 1)
        parts = rest.split(":")
        idx, start, end = int(parts[0]), int(parts[1]), int(parts[2])
        kind = parts[3] if len(parts) > 3 else "person"
    except (ValueError, IndexError):
        if add:
            raise _add_usage() from None
        raise InvalidInput(
            _("use RECORDING#SEGMENT:START:END[:KIND], e.g. idi-01#3:10:24:person")
        ) from None
    return f"{where}#{idx}", start, end, kind


def _finding_option(flag: str, dest: str,
                    help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
    """--accept and --reject: a decision on the findings the listing names, repeatable."""
    return click.option(flag, dest, multiple=True, metavar="REC#IDX:START:END", help=help_text)


@command()
@click.argument("keys", nargs=-1)
@click.option(
    "--apply",
    "do_apply",
    is_flag=True,
    help=N_("Replace everywhere (originals go to your encrypted vault, outside the study)."),
)
@click.option("--restore", is_flag=True, help=N_("Put the originals back (needs the vault's key)."))
@_finding_option("--accept", "accepts", N_("Confirm a finding (repeatable)."))
@_finding_option("--reject", "rejects", N_("Keep this finding as it is (repeatable)."))
@click.option(
    "--add",
    "adds",
    multiple=True,
    metavar="REC#IDX=WORDS[:KIND]",
    help=N_(
        "A name the detector missed, by its words, in any segment (REC#IDX=WORDS; or "
        "REC#IDX:START:END[:KIND]), in the memos (memos=WORDS), a recording's notes "
        "(notes:REC=WORDS) or its speaker labels (speaker:REC=WORDS) (repeatable)."
    ),
)
@click.option(
    "--audio",
    "audio",
    is_flag=True,
    help=N_("Write redacted copies of the recordings (audio/redacted/), after --apply."),
)
@click.option("--beep", is_flag=True, help=N_("With --audio: a tone instead of silence."))
@click.option(
    "--passphrase", envvar="QUALTOOL_VAULT_PASSPHRASE", help=N_("The vault's passphrase.")
)
@click.option("--key-file", type=click.Path(path_type=Path, dir_okay=False),
              help=N_("The vault's key file (default: next to the vault)."))  # fmt: skip
@pass_ctx
def anonymise(ctx: Context, keys: tuple[str, ...], do_apply: bool, restore: bool,
              accepts: tuple[str, ...], rejects: tuple[str, ...], adds: tuple[str, ...],
              audio: bool, beep: bool, passphrase: str | None,
              key_file: Path | None) -> None:  # fmt: skip
    """List names, IIN/BIN, phones, e-mails and addresses with context; record review
    decisions; --apply replaces them everywhere; --restore puts the originals back."""
    ws = ctx.ws
    if do_apply and restore:
        raise InvalidInput(_("choose --apply or --restore, not both"))
    if audio and not do_apply:
        rep_audio = redact_audio(ws, beep, list(keys) or None)
        click.echo(fmt(_("{n} recording(s) redacted ({r} range(s), {s:.1f} s) → audio/redacted/"),
                       n=rep_audio.recordings, r=rep_audio.ranges, s=rep_audio.seconds))  # fmt: skip
        return
    vault = anon.study_vault(ws, passphrase, key_file, create=not restore)
    if restore:
        back = restoring.restore(ws, vault)
        click.echo(_("restored {rows} row(s) and {files} file(s) from the vault").format(
            rows=back.rows, files=back.files))  # fmt: skip
        for line in back.skipped:
            click.echo(f"  {line}", err=True)
        if back.skipped or back.kept:  # a partial outcome: said in one line, and exit 1
            n = len(back.skipped) or back.kept
            raise QualtoolError(ngettext(
                "{n} item could not be restored and stays in the vault (see above); the rest "
                "is back",
                "{n} items could not be restored and stay in the vault (see above); the rest "
                "is back", n).format(n=n))  # fmt: skip
        return
    pseud = Pseudonymiser(vault.secret, vault.numbers)
    if accepts or rejects or adds:
        _decide(ctx, pseud, accepts, rejects, adds)
    if do_apply:
        rep = anon.anonymise(ws, vault, list(keys) or None)
        kinds, rows = _summary(rep)
        if not rep.apply_id:  # nothing found: not a file, row or vault copy written
            click.echo(_("nothing to replace: no file was changed"))
        else:
            if _has_commits(ws.study.root / ".git"):
                click.echo(_("warning: earlier git commits of this study still hold the "
                             "originals; share a fresh copy made by `qualtool fresh-copy DEST` "
                             "(one commit, checked for every original), not this repository"),
                           err=True)  # fmt: skip
            click.echo(
                _(
                    "anonymised ({kinds}); rows changed: {rows}; {files} file(s) rewritten; "
                    "originals in your vault"
                ).format(kinds=kinds, rows=rows, files=rep.files)
            )
        for rel in rep.removed:
            click.echo(
                _(
                    "warning: {path} held names as spoken (an export made without "
                    "anonymising): removed; export it again"
                ).format(path=rel),
                err=True,
            )
        for m in rep.metadata.outside if rep.apply_id else ():
            click.echo(_("warning: {key}: the file outside the study {path} holds a name, so the "
                         "study now names it {new}: rename or move the file there yourself "
                         "(qualtool does not touch files outside the study); until then its "
                         "media is missing").format(
                             key=m.recording, path=m.original, new=m.replacement), err=True)  # fmt: skip
        if audio:
            done = redact_audio(ws, beep, list(keys) or None)
            click.echo(_("{n} recording(s) redacted → audio/redacted/").format(n=done.recordings))
        return
    det = review.study_detector(ws)
    found = review.segment_findings(ws, pseud, list(keys) or None, det)
    if not keys:  # names added in memos, notes and labels
        found += outside_names.findings(ws)
    # numbered as --apply will number them: its plan made on a copy of the vault's numbering
    # (every name the apply replaces is given its number there, in the apply's order)
    numbering, planned = anon.numbered_plan(ws, vault, list(keys) or None, det)
    for f in found:
        e = f.entity
        status = _(review.STATUS_WORDS.get(f.status, f.status))  # the kind: --add's token
        new = "—" if f.status == decisions.REJECT else numbering.replacement(e)
        if f.note and f.status == "pending":  # a patronymic several people may have
            status = _("check")
        note = f"  ({lone_names.said(f.note, f.could)})" if f.note else ""
        click.echo(f"{f.where}:{e.start}:{e.end:<4} {e.kind.value:<8} {status:<9} → {new:<9} "
                   f"{f.context}{note}")  # fmt: skip
    # the codebooks' examples, the reference transcripts; a surname alone in a memo or label
    # that several people may be, to check (`note`)
    for g in planned.planned.findings:
        status = _("check") if g.note else _("replaced")
        note = f"  ({lone_names.said(g.note, g.could)})" if g.note else ""
        click.echo(f"{g.where} {g.entity.kind.value:<8} {status:<9} → "
                   f"{g.replacement:<9} {g.context}{note}")  # fmt: skip
    for m in planned.metadata.findings:  # an interviewer's or participant's surname alone
        note = f"  {_('check')} ({lone_names.said(m.note, m.could)})" if m.note else ""
        click.echo(metadata.describe(m) + note)
    for m in planned.metadata.outside:  # a media file outside the study: one line a recording
        click.echo(_("warning: {problem}").format(problem=metadata.describe(m)), err=True)
    n = len(found) + len(planned.planned.findings) + len(planned.metadata.findings)
    click.echo(_("{n} finding(s); --reject/--add to correct, --apply to replace them").format(
        n=n), err=True)  # fmt: skip


def _summary(rep: ApplyReport) -> tuple[str, str]:
    """What was replaced and where, in the viewer's language. Speaker labels count on their
    own: an apply that renamed only labels used to say «nothing found»."""
    words = {k.value: _(w) for k, w in KIND_WORDS.items()}  # «person: 5» in a Russian line
    parts = [f"{words.get(k, k)}: {v}" for k, v in sorted(rep.entities.items())]
    if rep.metadata.renames:
        n = len(rep.metadata.renames)
        parts.append(ngettext("{n} recording renamed", "{n} recordings renamed", n).format(n=n))
    if rep.speakers:
        parts.append(ngettext("{n} speaker label", "{n} speaker labels", rep.speakers)
                     .format(n=rep.speakers))  # fmt: skip
    if not parts:
        parts.append(_("nothing found") if not any(rep.rows.values())
                     else _("nothing in the segments' text"))  # fmt: skip
    rows = ", ".join(f"{_(_TABLES.get(k, k))} {v}" for k, v in rep.rows.items() if v)
    return ", ".join(parts), rows or "0"


def _decide(ctx: Context, pseud: Pseudonymiser, accepts: tuple[str, ...],
            rejects: tuple[str, ...], adds: tuple[str, ...]) -> None:  # fmt: skip
    ws = ctx.ws
    found = {(f.where, f.entity.start, f.entity.end): f
             for f in review.segment_findings(ws, pseud)}  # fmt: skip
    chosen: list[tuple[review.Finding | None, decisions.Decision]] = []
    drop: list[decisions.Decision] = []
    for values, decision in ((accepts, "accept"), (rejects, "reject")):
        for v in values:
            where, s, e, _kind = _span(v)
            f = found.get((where, s, e))
            if f is None:
                raise InvalidInput(_("no finding at {span}; list them with `qualtool anonymise`")
                                   .format(span=v))  # fmt: skip
            new, gone = review.choice(f, decision)  # an added span: kept, or withdrawn
            chosen += new
            drop += gone
    texts = {f"{s['recording']}#{s['idx']}": s["text"] for s in anon.store.segments(ws.db)}
    for v in adds:
        place, typed, words = v.partition("=")
        if typed and decisions.is_outside(place.strip()):
            chosen.append((None, outside_names.added(ws, place.strip(), words)[0]))
            continue
        if typed and "#" not in place:  # neither a segment nor a text outside the transcript
            raise _add_usage()
        if typed:  # the words themselves, in any segment
            rec, n, text = review.segment_text(ws, place)
            chosen += [(None, d) for d in review.typed_decisions(ws, rec, n, text, words)]
            continue
        where, s, e, kind = _span(v, add=True)
        if where not in texts:
            raise InvalidInput(_("no segment {where}").format(where=where))
        rec, idx = where.rsplit("#", 1)
        chosen.append((None, review.added(review.review_key(ws), rec, int(idx), s, e, kind,
                                          texts[where])))  # fmt: skip
    if chosen or drop:  # every one checked first: all or none
        review.save_decisions(ws, chosen, drop)
    click.echo(_("decisions saved in privacy/decisions.yml"), err=True)


@command("fresh-copy")
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@click.option("--anyway", is_flag=True,
              help=N_("Copy even when the study is not anonymised or the review still lists "
                      "findings (said as warnings)."))  # fmt: skip
@click.option(
    "--passphrase", envvar="QUALTOOL_VAULT_PASSPHRASE", help=N_("The vault's passphrase.")
)
@click.option("--key-file", type=click.Path(path_type=Path, dir_okay=False),
              help=N_("The vault's key file (default: next to the vault)."))  # fmt: skip
@pass_ctx
def fresh_copy(ctx: Context, dest: Path, anyway: bool, passphrase: str | None,
               key_file: Path | None) -> None:  # fmt: skip
    """A new git repository at DEST with the study's shareable files only (one commit, no
    history, never qualtool.db nor the vault), every object checked for the vault's
    originals: the copy to share after `anonymise --apply`."""
    ws = ctx.ws
    vault = fresh.study_vault(ws, passphrase, key_file)
    done = fresh.make(ws, dest, vault, anyway)
    for why in done.warnings:
        click.echo(_("warning: {problem}").format(problem=why), err=True)
    if vault is None:
        click.echo(_("warning: this laptop has no vault of the study: no original to check "
                     "the copy for"), err=True)  # fmt: skip
    click.echo(fresh.describe(done))


COMMANDS = [anonymise, fresh_copy]


def _has_commits(git: Path) -> bool:
    """Whether the study's git repository holds a commit, which may keep the originals: a
    `git init` with nothing committed yet holds none, and warning there cried wolf. Read from
    the files (no git run): a branch or remote ref, a packed one, or a detached HEAD. A `.git`
    file (a worktree, a submodule) is taken to have commits."""
    if not git.exists():
        return False
    if not git.is_dir():
        return True
    head = (
        (git / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
        if (git / "HEAD").is_file()
        else ""
    )
    if head and not head.startswith("ref:"):
        return True  # a detached HEAD names a commit
    refs = git / "refs"
    if refs.is_dir() and any(p.is_file() for p in refs.rglob("*")):
        return True
    packed = git / "packed-refs"
    return packed.is_file() and any(
        line.strip() and not line.startswith(("#", "^"))
        for line in packed.read_text(encoding="utf-8", errors="replace").splitlines()
    )
