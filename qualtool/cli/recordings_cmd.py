"""Study and recording commands: init, add, ls, show, edit, rename, rm, sync."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import command
from qualtool.cli.options import DATE, LANGUAGE, METHOD, PARTICIPANT
from qualtool.domain import Language, Recording
from qualtool.domain.errors import InvalidInput
from qualtool.domain.names import check_name
from qualtool.domain.transcript import format_timestamp
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.i18n import N_, _, ngettext
from qualtool.recordings.importing import import_file, import_folder
from qualtool.recordings.rename import rename as rename_recording
from qualtool.store import file_state
from qualtool.store import recordings as store
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import open_workspace


@command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help=N_("Study name (default: the folder name)."))
@click.option("--year", type=int, help=N_("Monitoring year (wave)."))
@click.option("--coder", help=N_("Default coder for this study."))
@click.option("--codebook", "codebook_file", type=click.Path(path_type=Path, dir_okay=False),
              help=N_("Start from this codebook file (default: the shipped barrier codebook)."))  # fmt: skip
@click.option("--no-codebook", is_flag=True, help=N_("Start with no codebook."))
def init(path: Path, name: str | None, year: int | None, coder: str | None,
         codebook_file: Path | None, no_codebook: bool) -> None:  # fmt: skip
    """Create a study folder: study.toml (with the study id), audio/, transcripts/, codebooks/
    with the shipped barrier codebook, .gitignore and .gitattributes for sharing it with git.

    Example: qualtool init ~/studies/2025-vko --year 2025
    """
    if coder:
        check_name(coder, "coder")
    if codebook_file and no_codebook:
        raise InvalidInput(_("give --codebook FILE or --no-codebook, not both"))
    source = None if no_codebook else (codebook_file or SHIPPED_CODEBOOK)
    study = init_study(path, name=name, year=year, coder=coder, codebook=source)
    ws = open_workspace(study.root)  # the database, with the codebook loaded
    ws.close()
    click.echo(
        _("created study {name!r} in {root}").format(name=study.config.name, root=study.root)
    )
    if source is None:
        click.echo(_("next: put a codebook in codebooks/barriers.yml, then `qualtool add FILE…`"))
    else:
        click.echo(_("codebook: {file}; next: `qualtool add FILE…`").format(
            file=study.relative(study.codebook_path)))  # fmt: skip


def _meta_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(
        [
            click.option("--method", "-m", type=METHOD, default="interview", show_default=True,
                         help=N_("interview (idi), focus_group (fg), mystery_shopper (ms), other.")),
            click.option("--service", help=N_("Public service discussed (name or code).")),
            click.option("--region", help=N_("Region, e.g. ВКО.")),
            click.option("--lang", "language", type=LANGUAGE, default="auto", show_default=True,
                         help=N_("ru, kk, or auto (restricted to the study's languages).")),
            click.option("--date", "date_", type=DATE, help=N_("Date recorded (YYYY-MM-DD).")),
            click.option("--interviewer", help=N_("Interviewer or moderator.")),
            click.option("--consent/--no-consent", default=False, help=N_("Informed consent recorded.")),
            click.option("--participant", "-p", "participants", type=PARTICIPANT, multiple=True,
                         help=N_("PSEUDONYM[:role[:f|m[:age band[:region]]]]; repeatable.")),
            click.option("--notes", help=N_("Free notes.")),
        ]
    ):  # fmt: skip
        f = opt(f)
    return f


@command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_meta_options
@click.option("--key", help=N_("Short id for the recording (default: from the file name)."))
@click.option(
    "--no-copy", is_flag=True, help=N_("Reference files in place instead of copying into audio/.")
)
@pass_ctx
def add(
    ctx: Context, files: tuple[Path, ...], key: str | None, no_copy: bool, **kw: object
) -> None:
    """Import audio/video FILES (or whole folders) with their study metadata.

    Example: qualtool add int07.m4a -m idi --service "Пособие многодетным" --region ВКО
    --lang ru -p R07:recipient:f:35-44:ВКО --consent
    """
    ws = ctx.ws
    meta = Recording(
        method=kw["method"], service=kw["service"], region=kw["region"],  # type: ignore[arg-type]
        language=Language(kw["language"]), date=kw["date_"], interviewer=kw["interviewer"],  # type: ignore[arg-type]
        consent=bool(kw["consent"]), notes=kw["notes"], participants=tuple(kw["participants"]),  # type: ignore[arg-type]
        key=key or "",
    )  # fmt: skip
    if key and len(files) > 1:
        raise InvalidInput(_("--key names one recording; give one file"))
    failed = 0
    for path in files:
        if path.is_dir():
            result = import_folder(ws.study, ws.db, path, meta, copy=not no_copy)
            for rec in result.added:
                click.echo(
                    _("added {key} ({length}, {path})").format(
                        key=rec.key, length=format_timestamp(rec.duration), path=rec.path
                    )
                )
            for p, reason in result.skipped:
                click.echo(_("skipped {p}: {reason}").format(p=p, reason=reason), err=True)
            failed += len(result.skipped)
        else:
            rec = import_file(ws.study, ws.db, path, meta, copy=not no_copy)
            click.echo(
                _("added {key} ({length}, {path})").format(
                    key=rec.key, length=format_timestamp(rec.duration), path=rec.path
                )
            )
        ws.save_manifest()
    if failed:
        raise InvalidInput(_("{failed} file(s) were not added (see above)").format(failed=failed))


@command(name="ls")
@click.option("--method", "-m", type=METHOD, help=N_("Only this method."))
@click.option("--region", help=N_("Only this region."))
@click.option("--service", help=N_("Only recordings whose service contains this text."))
@pass_ctx
def ls(ctx: Context, method: object, region: str | None, service: str | None) -> None:
    """List the study's recordings with their metadata and transcription status."""
    ws = ctx.ws
    recs = store.list_recordings(ws.db)
    if method:
        recs = [r for r in recs if r.method == method]
    if region:
        recs = [r for r in recs if (r.region or "").lower() == region.lower()]
    if service:
        recs = [r for r in recs if service.lower() in (r.service or "").lower()]
    states = tr_store.transcript_states(ws.db)
    title = ngettext("{study}: {n} recording", "{study}: {n} recordings", len(recs))
    table = Table(title=title.format(study=ws.study.config.name, n=len(recs)),
                  title_justify="left")  # fmt: skip
    for col in (_("key"), _("method"), _("service"), _("region"), _("lang"), _("date"),
                _("length"), _("people"), _("transcript")):  # fmt: skip
        table.add_column(col, overflow="fold")
    for r in recs:
        st = states.get(r.id or -1)
        status = "—" if st is None else (
            _("done · {n} seg").format(n=st["segments"]) if st["status"] == "done"
            else f"{_(st['status'])} {st['progress'] * 100:.0f}%"
        )  # fmt: skip
        table.add_row(
            r.key, r.method.short, r.service or "", r.region or "", r.language.label,
            r.date.isoformat() if r.date else "", format_timestamp(r.duration),
            ", ".join(p.pseudonym for p in r.participants), status,
        )  # fmt: skip
    Console(width=max(100, Console().width)).print(table)


@command()
@click.argument("recording")
@_meta_options
@pass_ctx
def edit(ctx: Context, recording: str, **kw: object) -> None:
    """Change a recording's metadata; only the options you give change.

    Example: qualtool edit idi-01 --region ВКО --consent
    """
    ws = ctx.ws
    rec = store.get_recording(ws.db, recording)
    src = click.get_current_context()
    changes = {}
    for name, field in [("method", "method"), ("service", "service"), ("region", "region"),
                        ("language", "language"), ("date_", "date"), ("interviewer", "interviewer"),
                        ("consent", "consent"), ("notes", "notes")]:  # fmt: skip
        if src.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
            value = kw[name]
            changes[field] = Language(str(value)) if field == "language" else value
    people = kw["participants"]
    if not changes and not people:
        raise InvalidInput(_("nothing to change: give at least one option (see --help)"))
    rec = store.update_recording(ws.db, rec, **changes)
    for person in people:  # type: ignore[attr-defined]
        store.link_participant(ws.db, rec.id or 0, person)
    ws.save_manifest()
    click.echo(
        _("updated {key}: {fields}").format(
            key=rec.key, fields=", ".join([*changes, *(["participants"] if people else [])])
        )
    )


@command()
@click.argument("recording")
@pass_ctx
def show(ctx: Context, recording: str) -> None:
    """Show one recording's metadata, participants and transcript state."""
    ws = ctx.ws
    r = store.get_recording(ws.db, recording)
    t = tr_store.get_transcript(ws.db, r.id or 0, with_segments=False)
    # the labels and words in the interface language (the Russian `show` was all English)
    path = r.path  # a media file not where the study says (moved, renamed by hand): said
    if not path.startswith("text:") and not ws.study.resolve(path).exists():
        path = _("{path} (missing)").format(path=path)
    rows = [(_("key"), r.key), (_("file"), path), (_("length"), format_timestamp(r.duration)),
            (_("format"), r.format), (_("method"), f"{r.method.value} ({r.method.label})"),
            (_("service"), r.service), (_("region"), r.region),
            (_("language"), r.language.label),
            (_("date"), r.date), (_("interviewer"), r.interviewer),
            (_("consent"), _("yes") if r.consent else _("no")), (_("notes"), r.notes),
            ("sha256", r.checksum)]  # fmt: skip
    for p in r.participants:
        attrs = ", ".join(x for x in [p.role.label, p.gender, p.age_band, p.region] if x)
        rows.append((_("participant"), f"{p.pseudonym} ({attrs})"))
    rows.append((_("transcript"), _(t.status.value) if t else _("none")))
    width = max(12, *(len(k) for k, _v in rows))
    for k, v in rows:
        click.echo(f"{k:>{width}}: {'' if v is None else v}")


@command()
@click.argument("old")
@click.argument("new")
@pass_ctx
def rename(ctx: Context, old: str, new: str) -> None:
    """Give recording OLD the key NEW everywhere: transcripts, coder layers, review decisions,
    the manifest; its media file too when it is named after OLD. `qualtool undo` reverts it.

    Example: qualtool rename интервью-гульнара-серикбаевна idi-07
    """
    done = rename_recording(ctx.ws, old, new)
    click.echo(_("renamed {old} → {new}").format(old=done.old, new=done.new))
    for a, b in done.moved:
        click.echo(_("  moved {source} → {target}").format(source=a, target=b))
    for path in done.rewritten:
        click.echo(_("  updated {path}").format(path=path))


@command()
@click.argument("recording")
@click.option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@pass_ctx
def rm(ctx: Context, recording: str, yes: bool) -> None:
    """Remove a recording from the study (its file stays on disk). Refused while coded."""
    ws = ctx.ws
    rec = store.get_recording(ws.db, recording)
    if not yes and not click.confirm(_("remove {key} from the study?").format(key=rec.key),
                                     default=False):  # fmt: skip
        raise click.exceptions.Abort()
    store.delete_recording(ws.db, rec)
    ws.save_manifest()
    click.echo(
        _("removed {key}; the file {path} is still on disk").format(key=rec.key, path=rec.path)
    )


@command()
@click.option("--all", "force", is_flag=True, help=N_("Re-read every file, changed or not."))
@pass_ctx
def sync(ctx: Context, force: bool) -> None:
    """Read the study's files changed since the last sync (after a `git pull`) into the database
    and say what changed: files, codings per coder, conflicts. Every command does this first;
    `sync` shows it."""
    opened = ctx.ws.opened
    now = ctx.ws.sync(force=force)
    results = [r for r in (opened, now) if r is not None]
    files = sorted({f for r in results for f in r.files_read})
    click.echo(_("files read: {files}").format(files=", ".join(files) or _("none changed")))
    books = [r.codebook for r in results if r.codebook]
    if books:  # the opening sync and this one, one line: what was done, not «0» after it
        merged = books[0].then(books[1] if len(books) > 1 else None)
        click.echo(_("codebook: {summary}").format(summary=merged.summary()))
    added = sum(len(r.recordings_added) for r in results)
    updated = sum(len(r.recordings_updated) for r in results)
    removed = sum(len(r.recordings_removed) for r in results)
    click.echo(_("recordings: {a} added, {u} updated, {r} removed").format(
        a=added, u=updated, r=removed))  # fmt: skip
    imported = sorted({k for r in results for k in r.transcripts_imported})
    click.echo(_("transcripts: {n} imported").format(n=len(imported)))
    coders = sorted({c for r in results for t in (r.layers.added, r.layers.removed,
                     r.layers.updated, r.layers.reanchored) for c in t})  # fmt: skip
    for coder in coders:
        a = sum(r.layers.added.get(coder, 0) for r in results)
        d = sum(r.layers.removed.get(coder, 0) for r in results)
        u = sum(r.layers.updated.get(coder, 0) for r in results)
        m = sum(r.layers.reanchored.get(coder, 0) for r in results)
        if m:  # lines placed where their quote is now: not new work
            click.echo(_("codings/{coder}.json: {a} added, {m} re-anchored, {d} removed, "
                         "{u} changed").format(coder=coder, a=a, m=m, d=d, u=u))  # fmt: skip
        else:
            click.echo(_("codings/{coder}.json: {a} added, {d} removed, {u} changed").format(
                coder=coder, a=a, d=d, u=u))  # fmt: skip
    # one line per conflict and problem: the opening sync and this one may both find it (a
    # layer line still unplaced is re-read), and the opening printed its conflicts already
    conflicts = list(dict.fromkeys(c for r in results for c in r.layers.conflicts))
    for c in conflicts:
        if c not in ctx.said:
            click.echo(_("conflict: {line}").format(line=c))
    for c in dict.fromkeys(c for r in results for c in r.speaker_conflicts):
        if c not in ctx.said:
            click.echo(_("conflict: {line}").format(line=c))
    if conflicts:
        click.echo(_("{n} conflict(s): both versions were kept; check the memos and edit them "
                     "if needed").format(n=len(conflicts)))  # fmt: skip
    problems = list(dict.fromkeys(p for r in results for p in r.problems))
    for p in problems:
        click.echo(_("problem: {p}").format(p=p), err=True)
    if any(p for r in results for p in r.problems if p not in r.layers.unplaced):
        raise InvalidInput(_("{n} item(s) could not be synced (see above)").format(n=len(problems)))


@command()
@click.option("--resolve", "ids", type=int, multiple=True, help=N_("Mark this conflict resolved."))
@click.option("--resolve-all", is_flag=True, help=N_("Mark every listed conflict resolved."))
@pass_ctx
def conflicts(ctx: Context, ids: tuple[int, ...], resolve_all: bool) -> None:
    """Records changed both in a pulled file and here: both versions were kept (memos joined,
    a pin kept). Check each, edit if needed, then mark it resolved."""
    db = ctx.ws.db
    if resolve_all or ids:
        n = file_state.resolve_conflicts(db, None if resolve_all else list(ids))
        click.echo(_("{n} conflict(s) marked resolved").format(n=n))
        return
    rows = file_state.conflicts(db)
    for cid, text, at in rows:
        click.echo(f"{cid:>4}  {at}  {text}")
    click.echo(_("{n} open conflict(s)").format(n=len(rows)), err=True)


COMMANDS = [conflicts, init, add, ls, show, edit, rename, rm, sync]
