"""Team work: agreement, disagreements and consensus, coder layers, REFI-QDA exchange."""

from __future__ import annotations

from pathlib import Path

import click

from qualtool.cli.context import Context, pass_ctx, require_codebook
from qualtool.cli.help_texts import command, group
from qualtool.cli.options import SPAN
from qualtool.cli.report_cmd import warn_originals
from qualtool.coding import apply_codes, remove_coding
from qualtool.domain import Segment
from qualtool.domain.anchoring import find_quote
from qualtool.domain.errors import InvalidInput
from qualtool.files.writing import write_if_changed
from qualtool.i18n import N_, _
from qualtool.i18n.numbers import decimal
from qualtool.interop.qdc import export_qdc, qdc_to_yaml, read_qdc
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.interop.taguette import import_taguette
from qualtool.privacy.apply import export_pseudonymiser
from qualtool.privacy.redact import layer_redaction
from qualtool.store.codebook import load_codebook, resolve_code_id, with_sub_codes
from qualtool.store.transcripts import find_segment, get_segment
from qualtool.team import agreement as agr
from qualtool.team import assignments, exchange


def _fmt(x: float | None) -> str:
    return "—" if x is None else decimal(x, 3)  # «0,812» in Russian


def _coders(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


@command(name="agreement")
@click.option("--coders", help=N_("Comma-separated coders (default: everyone but consensus)."))
@click.option("--unit", type=click.Choice([u.value for u in agr.Unit]), default="segment",
              show_default=True,
              help=N_("What is compared: each segment, each sentence, or overlapping passages "
                      "(see --threshold)."))  # fmt: skip
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help=N_("overlap unit: minimum intersection over union for the same passage"))  # fmt: skip
@click.option("--code", "codes", multiple=True, help=N_("Only these codes (and their sub-codes)."))
@pass_ctx
def agreement_cmd(ctx: Context, coders: str | None, unit: str, threshold: float,
                  codes: tuple[str, ...]) -> None:  # fmt: skip
    """Percent agreement, Cohen's κ (two coders) and Krippendorff's α, per code and overall."""
    db = ctx.ws.db
    wanted = list(with_sub_codes(db, codes))  # a parent code brings its sub-codes
    rep = agr.agreement(db, _coders(coders), agr.Unit(unit), threshold, wanted or None,
                        assignments.finished(ctx.ws))  # fmt: skip
    cb = load_codebook(db)
    if not rep.transcripts:
        click.echo(_("no transcript has been coded (or finished) by two of these coders yet"))
        return
    click.echo(
        _("coders: {coders} · unit: {unit} · transcripts: {transcripts}").format(
            coders=", ".join(rep.coders),
            unit=_(str(rep.unit)),
            transcripts=", ".join(rep.transcripts),
        )
    )
    click.echo(_("transcripts in the figure:"))
    for key in rep.transcripts:
        click.echo(f"  {key}: {rep.basis_line(key)}")
    head = (f"{_('code'):<22} {_('label'):<34} {_('units'):>6} {_('% agree'):>7} {'κ':>6} "
            f"{'α':>6}  {_('applied')}")  # fmt: skip
    click.echo(head)
    for s in [*rep.per_code, rep.overall]:
        label = cb.get(s.code_id).label_ru[:34] if s.code_id in cb else ""
        applied = " ".join(f"{c}:{n}" for c, n in s.applied.items())
        pct = "—" if s.percent is None else decimal(100 * s.percent, 1)
        name = _(s.code_id) if s is rep.overall else s.code_id  # «(all codes)»
        click.echo(f"{name:<22} {label:<34} {s.units:>6} {pct:>7} {_fmt(s.kappa):>6} "
                   f"{_fmt(s.alpha):>6}  {applied}")  # fmt: skip


@command()
@click.option("--coders", help=N_("Comma-separated coders (default: everyone but consensus)."))
@click.option("--all", "include_settled", is_flag=True, help=N_("Include settled ones."))
@pass_ctx
def disagreements(ctx: Context, coders: str | None, include_settled: bool) -> None:
    """Passages where coders disagree, each named KEY#INDEX as `qualtool adjudicate` takes it
    (the last line shows the command for the first one)."""
    items = agr.disagreements(ctx.ws.db, _coders(coders), include_settled,
                              assignments.finished(ctx.ws))  # fmt: skip
    for d in items:
        click.echo(
            _("{where:<14} {code_id:<22} yes: {yes}  no: {no}").format(
                where=f"{d.recording}#{d.idx}",
                code_id=d.code_id,
                yes=",".join(d.with_code),
                no=",".join(d.without),
            )
        )
        for coder, a, b in d.spans:
            click.echo(f"{'':>12}{coder}: «{d.text[a:b][:90]}»")
    click.echo(_("{n_items} open disagreement(s)").format(n_items=len(items)), err=True)
    if items:  # the hint is the command as it runs: the listing's key, the first code
        first = items[0]
        click.echo(_("settle one: qualtool adjudicate {where} {code} --yes (or --no)").format(
            where=f"{first.recording}#{first.idx}", code=first.code_id), err=True)  # fmt: skip


@command()
@click.argument("segment")
@click.argument("code")
@click.option("--yes", "present", flag_value=True, help=N_("The code applies: into consensus."))
@click.option("--no", "present", flag_value=False, help=N_("The code does not apply."))
@click.option("--span", type=SPAN,
              help=N_("START:END within the segment (default: the coders' union)."))  # fmt: skip
@click.option("--note", help=N_("Why: kept with the decision."))
@click.option("--by", help=N_("Who decided (default: the study's default coder)."))
@pass_ctx
def adjudicate(ctx: Context, segment: str, code: str, present: bool | None,
               span: tuple[int, int] | None,
               note: str | None, by: str | None) -> None:  # fmt: skip
    """Settle one disagreement: SEGMENT is KEY#INDEX, as `qualtool disagreements` lists it
    (e.g. idi-01#3)."""
    if present is None:
        raise click.UsageError(_("say --yes or --no"))
    db = ctx.ws.db
    seg_id = _segment(ctx, segment).id or 0
    c = agr.adjudicate(ctx.ws, seg_id, resolve_code_id(db, code), present,
                       by or ctx.ws.study.config.default_coder, span, note)  # fmt: skip
    click.echo(
        _("consensus: {code_id} «{quote}»").format(code_id=c.code_id, quote=c.quote[:70])
        if c
        else _("ruled out")
    )


@command()
@click.option("--coders", help=N_("Comma-separated coders (default: everyone but consensus)."))
@pass_ctx
def consensus(ctx: Context, coders: str | None) -> None:
    """Copy every passage all coders agree on into the consensus layer."""
    done = assignments.finished(ctx.ws)
    n = agr.build_consensus(ctx.ws, _coders(coders), ctx.ws.study.config.default_coder, done)
    left = len(agr.disagreements(ctx.ws.db, _coders(coders), finished=done))
    click.echo(
        _("{n} agreed coding(s) added to the consensus layer; {left} disagreement(s) open").format(
            n=n, left=left
        )
    )


@command(name="export-coder")
@click.argument("coder")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("The file to write (default: <coder>.qtlayer.json here)."),
)
@click.option(
    "--include-originals",
    is_flag=True,
    help=N_("Names, phones, IIN as spoken (default: pseudonymised)."),
)
@pass_ctx
def export_coder(ctx: Context, coder: str, output: Path | None, include_originals: bool) -> None:
    """Write one coder's layer to a file for the lead to merge (pseudonymised by default)."""
    path = output or Path(f"{coder}.qtlayer.json")
    if include_originals:
        warn_originals()
        n = exchange.export_coder(ctx.ws, coder, path)
    else:
        done = layer_redaction(ctx.ws, export_pseudonymiser(ctx.ws))
        n = exchange.export_coder(ctx.ws, coder, path, redact=done.item, redact_memo=done.memo,
                                  redact_text=done.text)  # fmt: skip
    click.echo(_("{n} coding(s) of {coder} → {path}").format(n=n, coder=coder, path=path))


@command(name="import-coder")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@pass_ctx
def import_coder(ctx: Context, file: Path) -> None:
    """Merge a coder's layer; conflicts are listed and saved, never dropped."""
    r = exchange.import_coder(ctx.ws, file)
    click.echo(
        _(
            "{coder}: {added} added ({reanchored} re-anchored to an edited text), {already} already present, {memos} memo(s), {n_conflicts} conflict(s)"
        ).format(
            coder=r.coder,
            added=r.added,
            reanchored=r.reanchored,
            already=r.already,
            memos=r.memos,
            n_conflicts=len(r.conflicts),
        )
    )
    for c in r.conflicts:
        click.echo(
            _("  conflict: {recording}#{segment} {code}: {problem}").format(
                recording=c["recording"],
                segment=c["segment"],
                code=c["code"],
                problem=exchange.problem_text(c),
            ),
            err=True,
        )
    if r.conflicts_file:
        click.echo(
            _("  conflicts saved to {conflicts_file}").format(conflicts_file=r.conflicts_file),
            err=True,
        )


@group(name="refi")
def refi() -> None:
    """REFI-QDA exchange: QDPX projects and QDC codebooks."""


@refi.command(name="export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--include-originals",
    is_flag=True,
    help=N_("Names, phones, IIN as spoken (default: pseudonymised)."),
)
@click.option(
    "--audio/--no-audio",
    default=None,
    help=N_("Audio sources (default: left out once the study is anonymised)."),
)
@pass_ctx
def refi_export(ctx: Context, file: Path, include_originals: bool, audio: bool | None) -> None:
    """Export the study (.qdpx) or just the codebook (.qdc), by the file's suffix."""
    if file.suffix.lower() not in (".qdc", ".qdpx"):
        raise InvalidInput(_("{file}: the name must end in .qdpx (project) or .qdc (codebook)")
                           .format(file=file))  # fmt: skip
    if file.suffix.lower() == ".qdc":
        export_qdc(load_codebook(ctx.ws.db), file)
        click.echo(_("codebook → {file}").format(file=file))
        return

    if include_originals:
        warn_originals()
    s = export_qdpx(ctx.ws, file, pseudonymise=not include_originals, include_audio=audio)
    click.echo(
        _(
            "{sources} source(s), {codings} coding(s) by {coders} coder(s), {codes} code(s), {notes} memo(s) → {file}"
        ).format(
            sources=s.sources,
            codings=s.codings,
            coders=s.coders,
            codes=s.codes,
            notes=s.notes,
            file=file,
        )
    )


TAGUETTE_SUFFIXES = (".sqlite3", ".sqlite")


@refi.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=N_("For a .qdc: the codebook YAML to write (default: codebooks/<name>.yml)."))  # fmt: skip
@pass_ctx
def refi_import(ctx: Context, file: Path, output: Path | None) -> None:
    """Import a .qdpx project (or Taguette's project .sqlite3 export) into the study, or
    convert a .qdc codebook to YAML."""
    if file.suffix.lower() == ".qdc":
        codes = read_qdc(file)
        # into the study's codebooks/ (not beside a file that may sit in Downloads), and never
        # over a codebook that is already there
        out = output or ctx.ws.study.codebooks_dir / f"{file.stem}.yml"
        if out.exists():
            raise InvalidInput(_("{out} already exists: give another path with -o").format(out=out))
        write_if_changed(out, qdc_to_yaml(codes, file.stem))
        click.echo(
            _("{n_codes} code(s) → {out} (check it with `qualtool codebook check {out}`)").format(
                n_codes=len(codes), out=out
            )
        )
        return

    if file.suffix.lower() in TAGUETTE_SUFFIXES:  # Taguette exports no QDPX, only its database
        r = import_taguette(ctx.ws, file)
    else:
        r = import_qdpx(ctx.ws, file)  # codings without a user go to the layer "imported"
    click.echo(_("{producer} project, positions as {model}").format(producer=r.producer,
                                                                    model=r.offsets))  # fmt: skip
    click.echo(_("{sources} new source(s), {codings} coding(s) added, {already} already present, "
                 "{memos} memo(s), {codes} new code(s), {people} participant(s), {groups} group(s)"
                 ).format(sources=len(r.sources), codings=r.codings, already=r.already,
                          memos=r.memos, codes=len(r.new_codes), people=r.participants,
                          groups=r.groups))  # fmt: skip
    click.echo(_("check: {cuts} of {n} selection(s) start or end inside a word").format(
        cuts=r.mid_word, n=r.selections))  # fmt: skip
    for w in r.warnings():
        click.echo(_("warning: {w}").format(w=w), err=True)
    for p in r.problems:
        click.echo(f"  {p}", err=True)


@command(name="assign")
@click.argument("key")
@click.argument("coder")
@click.option("--remove", is_flag=True, help=N_("Take the transcript away from the coder."))
@click.option("--by", help=N_("Who gives it (default: the study's default coder)."))
@pass_ctx
def assign_cmd(ctx: Context, key: str, coder: str, remove: bool, by: str | None) -> None:
    """Give transcript KEY to CODER (codings/assignments.yml)."""
    giver = by or ctx.ws.study.config.default_coder
    a = assignments.assign(ctx.ws, key, coder, remove=remove, by=giver)
    if a is None:
        click.echo(_("{coder} no longer has {key}").format(coder=coder, key=key))
    else:
        state = _("done") if a.done else _("to do")
        click.echo(_("{key} → {coder} ({state})").format(key=a.recording, coder=a.coder,
                                                          state=state))  # fmt: skip


@command(name="done")
@click.argument("key")
@click.option("--coder", help=N_("Who finished it (default: the study's default coder)."))
@click.option("--reopen", is_flag=True, help=N_("Not finished after all."))
@pass_ctx
def done_cmd(ctx: Context, key: str, coder: str | None, reopen: bool) -> None:
    """Mark transcript KEY finished by a coder: what they left uncoded there counts as absent."""
    who = coder or ctx.ws.study.config.default_coder
    a = assignments.assign(ctx.ws, key, who, done=not reopen)
    assert a is not None
    click.echo(_("{key}: {coder} {state}").format(
        key=a.recording, coder=a.coder, state=_("done") if a.done else _("reopened")))  # fmt: skip


COMMANDS = [agreement_cmd, disagreements, adjudicate, consensus, export_coder, import_coder, refi,
            assign_cmd, done_cmd]  # fmt: skip


def _segment(ctx: Context, where: str) -> Segment:
    """KEY#INDEX, the one name of a passage the listings print and the commands take — the
    same on every clone, where a database row id is not. A bare number is still read as the
    row id an earlier release listed (a script written then keeps working)."""
    if where.isdigit():
        return get_segment(ctx.ws.db, int(where))
    key, _sep, idx = where.partition("#")
    if not idx.isdigit():
        raise InvalidInput(_("{where!r}: give the segment as KEY#INDEX, e.g. idi-01#2").format(
            where=where))  # fmt: skip
    return find_segment(ctx.ws.db, key, int(idx))


@command(name="code")
@click.argument("where")
@click.argument("code_id")
@click.option("--quote", help=N_("The words to code (default: the whole segment)."))
@click.option("--coder", help=N_("Code as this coder (default: the study's default coder)."))
@click.option("--memo", help=N_("A memo on the coding."))
@click.option("--key", "key_quote", is_flag=True, help=N_("Mark it a key quote for reports."))
@pass_ctx
def code_cmd(ctx: Context, where: str, code_id: str, quote: str | None, coder: str | None,
             memo: str | None, key_quote: bool) -> None:  # fmt: skip
    """Code a passage from the command line: WHERE is KEY#SEGMENT (e.g. idi-01#2). The same
    undoable action as coding in the TUI (`qualtool undo` takes it back)."""
    require_codebook(ctx.ws)
    seg = _segment(ctx, where)
    span = (0, len(seg.text))
    if quote:
        found = find_quote(quote, seg.text)
        if found is None:
            raise InvalidInput(_("«{quote}» is not in {where}: «{text}»").format(
                quote=quote, where=where, text=seg.text[:80]))  # fmt: skip
        span = found
    c = apply_codes(ctx.ws, seg.id or 0, span, [code_id],
                    coder or ctx.ws.study.config.default_coder, memo, key_quote=key_quote)[0]  # fmt: skip
    click.echo(
        _("coding {id}: {code_id} by {coder_id} «{quote}»").format(
            id=c.id, code_id=c.code_id, coder_id=c.coder_id, quote=c.quote
        )
    )


@command(name="uncode")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@pass_ctx
def uncode_cmd(ctx: Context, coding_ids: tuple[int, ...]) -> None:
    """Remove codings by id (each undoable with `qualtool undo`)."""
    for cid in coding_ids:
        c = remove_coding(ctx.ws, cid)
        click.echo(
            _("removed {cid}: {code_id} «{quote}»").format(
                cid=cid, code_id=c.code_id, quote=c.quote[:60]
            )
        )


COMMANDS += [code_cmd, uncode_cmd]
