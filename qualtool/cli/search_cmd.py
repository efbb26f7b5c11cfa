"""`qualtool search` and `qualtool suggest …` (`anonymise` is in privacy_cmd)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from qualtool.autocode import suggest as autocode
from qualtool.autocode.speakers import CONTESTED, SOURCE_WORDS
from qualtool.cli.context import Context, pass_ctx, require_codebook
from qualtool.cli.help_texts import command, group
from qualtool.cli.options import METHOD, SPAN
from qualtool.domain.errors import InvalidInput
from qualtool.domain.reason import excerpt
from qualtool.domain.recording import Role, find_role
from qualtool.domain.transcript import format_timestamp
from qualtool.files.speaker_map import load_speaker_map, parse_role, role_word
from qualtool.i18n import N_, _, ngettext
from qualtool.search.query import Mode, search
from qualtool.store import recordings as rec_store
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import resolve_code_id, with_sub_codes
from qualtool.store.search_index import Filters


class _Score(click.FloatRange):
    """A score is a probability: -1, 2, inf and nan are refused."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        out = super().convert(value, param, ctx)
        if out != out:  # nan
            self.fail(_("{value} is not a score between 0 and 1").format(value=value), param, ctx)
        return out


SCORE = _Score(0.0, 1.0)


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--method/--service/--region/--role/--code/--coder/--recording, turned into `filters`."""
    opts = [
        click.option("--method", type=METHOD, help=N_("interview, focus_group, mystery_shopper")),
        click.option("--service", help=N_("Service name contains this.")),
        click.option("--region", help=N_("Region contains this.")),
        click.option(
            "--role",
            help=N_("Speaker role: interviewer, recipient, expert… (or its Russian word)."),
        ),
        click.option("--code", help=N_("Only segments coded with this code (or its sub-codes).")),
        click.option("--coder", help=N_("Only segments this coder coded.")),
        click.option("--recording", "-r", help=N_("One recording key.")),
    ]

    @functools.wraps(fn)
    def wrapper(ctx: Context, *args: Any, **kw: Any) -> Any:
        code, method, recording = kw.pop("code"), kw.pop("method"), kw.pop("recording")
        if recording:  # a mistyped key would find nothing and say so as if nothing were there
            rec_store.get_recording(ctx.ws.db, recording)
        codes = with_sub_codes(ctx.ws.db, [code] if code else [])
        role = kw.pop("role")
        found = find_role(role) if role else None
        if role and found is None:  # an unknown word would find nothing, as if none were there
            raise InvalidInput(_("role {role!r}: use one of {roles}").format(
                role=role, roles=", ".join(r.label for r in Role)))  # fmt: skip
        kw["filters"] = Filters(
            method=method.value if method else None, service=kw.pop("service"),
            region=kw.pop("region"), role=found.value if found else None, codes=codes,
            coder=kw.pop("coder"), recording=recording,
        )  # fmt: skip
        return fn(ctx, *args, **kw)

    for opt in reversed(opts):
        wrapper = opt(wrapper)
    return wrapper


@command(name="search")
@click.argument("query", nargs=-1, required=True)
@click.option("--fuzzy", "mode", flag_value=Mode.FUZZY, help=N_("Also match misspellings."))
@click.option("--exact", "mode", flag_value=Mode.EXACT, help=N_("Match written forms only."))
@click.option(
    "--limit", "-n", default=30, show_default=True, help=N_("Show at most this many passages.")
)
@pass_ctx
@filter_options
def search_cmd(ctx: Context, query: tuple[str, ...], mode: str | None, limit: int,
               filters: Filters) -> None:  # fmt: skip
    """Find passages by lemma (default), exact form or fuzzily; prints keyword-in-context lines.

    QUERY: words (any grammatical form), "a phrase", OR, NOT / -word, prefix*.
    """
    res = search(ctx.ws.db, " ".join(query), Mode(mode or Mode.LEMMA), filters, limit)
    for term, forms in res.expanded.items():
        click.echo(f"~ {term}: {', '.join(forms[:12])}", err=True)
    for h in res.hits:
        left, hit, right = h.kwic(36)
        where = f"{h.recording}#{h.idx} {format_timestamp(h.start)} {h.speaker or '?'}"
        click.echo(
            f"{where:<24} {left:>38} " + click.style(hit, bold=True, fg="yellow") + f" {right}"
        )
    found = ngettext("{n} segment matches", "{n} segments match", res.total).format(n=res.total)
    shown = _("{n} shown").format(n=len(res.hits)) if res.total > len(res.hits) else ""
    click.echo(f"{found} {shown}".rstrip(), err=True)


@group()
def suggest() -> None:
    """Auto-coding suggestions: run, then review them (accept / reject / edit span)."""


@suggest.command(name="run")
@click.option(
    "--threshold",
    default=autocode.DEFAULT_THRESHOLD,
    show_default=True,
    type=SCORE,
    help=N_("Lowest score listed (probability a coder accepts)."),
)
@click.option("--interviewer-turns", is_flag=True, help=N_("Also suggest on interviewer turns."))
@pass_ctx
@filter_options
def suggest_run(ctx: Context, threshold: float, interviewer_turns: bool, filters: Filters) -> None:
    """Propose codes for respondents' passages; nothing is coded until a coder accepts."""
    ws = ctx.ws
    n = autocode.suggest(ws.db, require_codebook(ws), filters, threshold,
                         speaker_map=load_speaker_map(ws.study.root),
                         interviewer_turns=interviewer_turns)  # fmt: skip
    c = sug_store.counts(ws.db)
    click.echo(
        _(
            "{n} suggestion(s) new or refreshed; queue: {pending} pending, {accepted} accepted, "
            "{rejected} rejected"
        ).format(
            n=n,
            pending=c.get("pending", 0),
            accepted=c.get("accepted", 0),
            rejected=c.get("rejected", 0),
        )
    )


@suggest.command(name="speakers")
@click.argument("recording")
@click.argument("who", required=False)
@click.argument("role", required=False)
@pass_ctx
def suggest_speakers(ctx: Context, recording: str, who: str | None, role: str | None) -> None:
    """Who is the interviewer in RECORDING (detected, or as corrected); with WHO ROLE, correct
    it (WHO: a speaker label, or #N for one turn). Suggestions skip interviewer turns."""
    root = ctx.ws.study.root
    if who:
        if not role:
            raise click.UsageError(_("give the role: interviewer or respondent"))
        stored = parse_role(role)  # the listing's word in either language; the file: English
        autocode.correct_role(ctx.ws.db, root, recording, who, stored)
        click.echo(_("{who} in {rec}: {role} (saved in speakers.yml)").format(
            who=who, rec=recording, role=role_word(stored)))  # fmt: skip
        return
    roles = autocode.speaker_roles(ctx.ws.db, root, recording)
    for label, r, source, turns in roles:
        said = _(SOURCE_WORDS[source]) if source in SOURCE_WORDS else source
        click.echo(
            _("{label:<16} {r:<12} {source:<11} {turns} turn(s)").format(
                label=label, r=role_word(r), source=said, turns=turns
            )
        )
    for label, _r, source, _turns in roles:
        if source == CONTESTED:
            click.echo(_("{who}: corrected both as interviewer and as respondent by two coders; "
                         "set it with `qualtool suggest speakers {rec} {who} ROLE`").format(
                who=label, rec=recording))  # fmt: skip


@suggest.command(name="ls")
@click.option("--code", help=N_("Only suggestions of this code or its sub-codes."))
@click.option("--recording", "-r", help=N_("One recording key."))
@click.option(
    "--status",
    default="pending",
    show_default=True,
    type=click.Choice(["pending", "accepted", "rejected"]),
    help=N_("Which part of the queue: pending, accepted or rejected."),
)
@click.option(
    "--limit", "-n", default=50, show_default=True, help=N_("Show at most this many suggestions.")
)
@pass_ctx
def suggest_ls(ctx: Context, code: str | None, recording: str | None, status: str,
               limit: int) -> None:  # fmt: skip
    """The review queue."""
    code = resolve_code_id(ctx.ws.db, code) if code else None
    if recording:
        rec_store.get_recording(ctx.ws.db, recording)
    listed = sug_store.queue(ctx.ws.db, status, code, recording, limit=limit)
    if not listed:  # a blank screen read as «no barriers» or as a command that did nothing
        empty = status == sug_store.PENDING and not (code or recording)
        click.echo(_("the queue is empty: `qualtool suggest run` looks for suggestions") if empty
                   else _("no suggestions match"), err=True)  # fmt: skip
    for s in listed:
        click.echo(
            f"{s.id:>5} {s.score:5.0%} {s.code_id:<22} {s.recording:<8} «{excerpt(s.quote, 70)}»"
        )
        click.echo(f"{'':>12}{_('why')}: {s.why}")


def _coder(ctx: Context, coder: str | None) -> str:
    return coder or ctx.ws.study.config.default_coder


@suggest.command(name="accept")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option(
    "--span", type=SPAN, help=N_("START:END characters within the segment, to edit the span.")
)
@click.option("--coder", help=N_("Decide as this coder (default: the study's default coder)."))
@pass_ctx
def suggest_accept(
    ctx: Context, ids: tuple[int, ...], span: tuple[int, int] | None, coder: str | None
) -> None:
    """Accept suggestions: each becomes a coding with provenance "suggested". All or nothing:
    one id that is unknown or already decided changes nothing; several are one undo."""
    for c, sid in zip(autocode.accept_many(ctx.ws, list(ids), _coder(ctx, coder), span),
                      dict.fromkeys(ids), strict=True):  # fmt: skip
        click.echo(
            _("accepted {sid}: {code_id} «{quote}»").format(
                sid=sid, code_id=c.code_id, quote=excerpt(c.quote)
            )
        )


@suggest.command(name="reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--other-code", metavar="CODE",
              help=N_("Another code fits these words: code them with it instead (one undo)."))  # fmt: skip
@click.option("--coder", help=N_("Decide as this coder (default: the study's default coder)."))
@pass_ctx
def suggest_reject(ctx: Context, ids: tuple[int, ...], other_code: str | None,
                   coder: str | None) -> None:  # fmt: skip
    """Reject suggestions; they are not proposed again. All or nothing, like accept. With
    --other-code, the passage is coded with that code instead, the rejection and the coding
    one step."""
    wanted = list(dict.fromkeys(ids))
    sugs = sug_store.by_ids(ctx.ws.db, wanted)  # read before: the service checks each one
    if other_code:
        if len(wanted) > 1:
            raise InvalidInput(_("--other-code belongs to one suggestion: give one id"))
        c = autocode.reject_for(ctx.ws, wanted[0], _coder(ctx, coder), other_code)
        s = sugs[wanted[0]]
        click.echo(_("rejected {sid}: {code} on {where} «{quote}» — coded {other} instead "
                     "(`qualtool undo` takes both back)").format(
            sid=s.id, code=s.code_id, where=f"{s.recording}#{s.idx}", quote=excerpt(c.quote),
            other=c.code_id))  # fmt: skip
        return
    autocode.reject_many(ctx.ws, wanted, _coder(ctx, coder))
    for sid in wanted:  # one line each: which passage, which code, which words, what now
        s = sugs[sid]
        click.echo(_("rejected {sid}: {code} on {where} «{quote}» — not suggested there again "
                     "(`qualtool undo` takes it back)").format(
            sid=sid, code=s.code_id, where=f"{s.recording}#{s.idx}", quote=excerpt(s.quote)))  # fmt: skip


@suggest.command(name="accept-all")
@click.option(
    "--min-score",
    type=SCORE,
    default=autocode.DEFAULT_ACCEPT,
    show_default=True,
    help=N_("Only at or above this score (probability a coder accepts)."),
)
@click.option("--code", help=N_("Only suggestions of this code or its sub-codes."))
@click.option("--coder", help=N_("Decide as this coder (default: the study's default coder)."))
@click.option("--yes", is_flag=True, help=N_("Do not ask."))
@pass_ctx
def suggest_accept_all(
    ctx: Context, min_score: float, code: str | None, coder: str | None, yes: bool
) -> None:
    """Accept without review (only when you ask for it)."""
    code = resolve_code_id(ctx.ws.db, code) if code else None  # a typo fails before the question
    waiting = len(sug_store.queue(ctx.ws.db, code=code, min_score=min_score, limit=1_000_000))
    # asked at run time, in the study's language, with what it will do: how many, from what score
    question = ngettext(
        "Code {n} pending suggestion scoring {score:.0%} or more without review?",
        "Code {n} pending suggestions scoring {score:.0%} or more without review?",
        waiting,
    ).format(n=waiting, score=min_score)
    if waiting and not yes and not click.confirm(question):
        raise click.Abort
    n = autocode.accept_all(ctx.ws, _coder(ctx, coder), min_score, code)
    click.echo(_("accepted {n} suggestion(s)").format(n=n))
    below = len(sug_store.queue(ctx.ws.db, code=code, limit=1_000_000))
    if below:  # «accepted 0» alone reads as an empty queue
        click.echo(ngettext(
            "{n} pending suggestion scores under {score:.0%}: review it (`qualtool suggest ls`)",
            "{n} pending suggestions score under {score:.0%}: review them (`qualtool suggest ls`)",
            below).format(n=below, score=min_score), err=True)  # fmt: skip


COMMANDS = [search_cmd, suggest]
