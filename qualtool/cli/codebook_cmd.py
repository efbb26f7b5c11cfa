"""`qualtool codebook …`: validate, load and browse the barrier codebook."""

from __future__ import annotations

from pathlib import Path

import click

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import group
from qualtool.coding import codebook as cb_service
from qualtool.domain.errors import CodebookError
from qualtool.files.codebook import load_codebook
from qualtool.i18n import N_, _
from qualtool.store.codebook import SyncReport, coding_counts, get_code, sync_codebook
from qualtool.store.codebook import load_codebook as stored_codebook


@group()
def codebook() -> None:
    """Validate, load and browse the codebook (codebooks/barriers.yml)."""


@codebook.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def check(ctx: Context, file: Path | None) -> None:
    """Validate the codebook file and report every problem with its line number."""
    path = file or ctx.ws.study.codebook_path
    try:
        cb = load_codebook(path)
    except CodebookError as exc:
        click.echo(exc.report(), err=True)
        raise CodebookError(exc.path, exc.problems) from None
    parents = sum(1 for c in cb.codes if cb.children(c.id))
    examples = sum(len(c.examples) for c in cb.codes)
    click.echo(
        _(
            "{path}: ok — {n_codes} codes ({n_top} top-level, {parents} with children), "
            "{examples} examples, {n_glossary} glossary terms"
        ).format(
            path=path,
            n_codes=len(cb),
            n_top=len(cb.roots()),
            parents=parents,
            examples=examples,
            n_glossary=len(cb.glossary),
        )
    )


@codebook.command()
@pass_ctx
def load(ctx: Context) -> None:
    """Load the codebook file into the study (codings follow renamed and moved codes)."""
    ws = ctx.ws
    cb = load_codebook(ws.study.codebook_path)
    report = sync_codebook(ws.db, cb, str(ws.study.codebook_path))
    opened = ws.opened.codebook if ws.opened else None
    if opened is not None:  # opening the study read the edited file first: that is the news
        report = opened.then(report)
    click.echo(_("codebook loaded: {summary}").format(summary=report.summary()))
    for old, new in report.renamed:
        click.echo(_("  codings of {old} now belong to {new}").format(old=old, new=new))


@codebook.command(name="show")
@click.argument("code", required=False)
@pass_ctx
def show_codes(ctx: Context, code: str | None) -> None:
    """Print the code tree with coding counts, or one code's full entry."""
    ws = ctx.ws
    cb = stored_codebook(ws.db)
    counts = coding_counts(ws.db)
    if code:
        c = get_code(ws.db, code)
        click.echo(f"{c.id}  {cb.path(c.id)}")
        for label, value in [("EN", c.label_en), ("definition", c.definition),
                             ("include", c.inclusion), ("exclude", c.exclusion),
                             ("type", c.barrier_type.value), ("polarity", c.polarity.value),
                             ("keywords", ", ".join(c.keywords)),
                             ("keywords_kk", ", ".join(c.keywords_kk))]:  # fmt: skip
            if value:
                click.echo(f"  {label}: {value}")
        for ex in c.examples:
            click.echo(
                _("  example: «{text}»").format(text=ex.text)
                + (f" ({ex.source})" if ex.source else "")
            )
        click.echo(_("  codings: {n}").format(n=counts.get(c.id, 0)))
        return
    for depth, c in cb.walk():
        n = counts.get(c.id, 0)
        click.echo(f"{'  ' * depth}{c.id:<22} {c.label_ru}" + (f"  [{n}]" if n else ""))


def _report(message: str, report: SyncReport) -> None:
    if report.unchanged:
        click.echo(cb_service.nothing_changed())
        return
    click.echo(f"{message} · {report.summary()} " + _("(qualtool undo takes it back)"))


@codebook.command(name="add")
@click.argument("code_id")
@click.argument("label_ru")
@click.option("--parent", help=N_("The parent code (default: top level)."))
@click.option("--en", "label_en", help=N_("English label."))
@click.option("--definition", help=N_("What the code means."))
@pass_ctx
def add_cmd(ctx: Context, code_id: str, label_ru: str, parent: str | None, label_en: str | None,
            definition: str | None) -> None:  # fmt: skip
    """Add a code to the codebook file and the study (one undoable action)."""
    _report(_("added {code}").format(code=code_id), cb_service.add_code(
        ctx.ws, code_id, label_ru, parent, label_en=label_en, definition=definition))  # fmt: skip


@codebook.command(name="edit")
@click.argument("code_id")
@click.option("--ru", "label_ru", help=N_("Russian label."))
@click.option("--en", "label_en", help=N_("English label (empty: remove)."))
@click.option("--definition", help=N_("What the code means."))
@click.option("--include", help=N_("When to apply the code (inclusion criteria)."))
@click.option("--exclude", help=N_("When not to apply it (exclusion criteria)."))
@click.option("--examples", help=N_("One example per line (empty: remove all)."))
@click.option("--keywords", help=N_("Russian keywords, comma-separated (empty: remove all)."))
@click.option("--keywords-kk", "keywords_kk",
              help=N_("Kazakh keywords, comma-separated, in any form (empty: remove all)."))  # fmt: skip
@pass_ctx
def edit_cmd(ctx: Context, code_id: str, **fields: str | None) -> None:
    """Change a code's labels, definition, criteria, examples or keywords."""
    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        raise click.UsageError(_("say what to change, e.g. --ru or --definition"))
    _report(_("saved {code}").format(code=code_id), cb_service.edit_code(ctx.ws, code_id, **given))


@codebook.command(name="move")
@click.argument("code_id")
@click.argument("parent", required=False)
@pass_ctx
def move_cmd(ctx: Context, code_id: str, parent: str | None) -> None:
    """Move a code under PARENT (or to the top level)."""
    _report(_("moved {code}").format(code=code_id), cb_service.move_code(ctx.ws, code_id, parent))


@codebook.command(name="merge")
@click.argument("source")
@click.argument("target")
@pass_ctx
def merge_cmd(ctx: Context, source: str, target: str) -> None:
    """SOURCE disappears into TARGET; codings of both on one span become one."""
    _report(_("merged {a} into {b}").format(a=source, b=target),
            cb_service.merge_codes(ctx.ws, source, target))  # fmt: skip


@codebook.command(name="delete")
@click.argument("code_id")
@click.option("--reassign", help=N_("The code its codings go to."))
@click.option("--drop-codings", is_flag=True, help=N_("Remove its codings instead (undoable)."))
@pass_ctx
def delete_cmd(ctx: Context, code_id: str, reassign: str | None, drop_codings: bool) -> None:
    """Delete a code; a code in use needs --reassign (or --drop-codings)."""
    _report(_("deleted {code}").format(code=code_id),
            cb_service.delete_code(ctx.ws, code_id, reassign, drop_codings=drop_codings))  # fmt: skip


COMMANDS = [codebook]
