"""`qualtool report`, `qualtool quotes …` and `qualtool tables …`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import command, group
from qualtool.coding import set_key_quote
from qualtool.files.writing import export_file
from qualtool.i18n import N_, _, ngettext
from qualtool.report import render, tables
from qualtool.report.attribution import Level
from qualtool.report.build import build_report
from qualtool.report.quotes import collect, export_quotes, export_table, layer_scope
from qualtool.report.sections import GroupBy
from qualtool.store.codebook import load_codebook, with_sub_codes
from qualtool.store.reporting import Scope

FORMATS = ("md", "docx", "csv", "xlsx")


def warn_originals() -> None:
    click.echo(_("warning: this export contains names, phone numbers and IIN as spoken; "
                 "do not share it outside the research team"), err=True)  # fmt: skip


def scope_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed([
        click.option("--code", "codes", multiple=True, help=N_("Only these codes (repeatable).")),
        click.option("--method", help=N_("Only recordings of this method: interview, focus_group, "
                                          "mystery_shopper, other.")),
        click.option("--service", help=N_("Only recordings whose service contains this text.")),
        click.option("--region", help=N_("Only recordings whose region contains this text.")),
        click.option("--recording", "recordings", multiple=True,
                     help=N_("Only this recording (repeatable).")),
        click.option("--coder", "coders", multiple=True, help=N_("Only these coders' layers.")),
        click.option("--consensus/--all-coders", default=None,
                     help=N_("The consensus layer (default once it exists) or every coder's.")),
    ]):  # fmt: skip
        fn = opt(fn)
    return fn


def _scope(ctx: Context, codes: tuple[str, ...], coders: tuple[str, ...], consensus: bool | None,
           **filters: object) -> Scope:  # fmt: skip
    db = ctx.ws.db  # a parent code brings its sub-codes
    return layer_scope(db, coders, consensus, codes=with_sub_codes(db, codes), **filters)


@command()
@click.option("--by", type=click.Choice([g.value for g in GroupBy]), default="code",
              show_default=True, help=N_("One section per code, service, region or method."))  # fmt: skip
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help=N_("md or docx: report sections; csv or xlsx: the quotes table."),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("The file to write (default: report-<by>.<format> here)."),
)
@click.option(
    "--quotes", "per_section", default=3, show_default=True, help=N_("Quotes per section.")
)
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_(
        "A Jinja2 Markdown template (default: the study's templates/report.md.j2, if there is one)."
    ),
)
@click.option("--attribution", type=click.Choice([lv.value for lv in Level]), default="full",
              show_default=True,
              help=N_("What a quote says about its speaker: full (role, gender, age band, "
                      "region), role only, or method only."))  # fmt: skip
@click.option("--include-originals", "--no-anonymise", "keep_names", is_flag=True,
              help=N_("Export names, phones, IIN as spoken (default: pseudonymised)."))  # fmt: skip
@click.option("--timestamps", is_flag=True, help=N_("Add recording and time after each quote."))
@click.option("--title", help=N_("The report's title."))
@scope_options
@pass_ctx
def report(ctx: Context, by: str, fmt: str, output: Path | None, per_section: int,
           template: Path | None, attribution: str, keep_names: bool, timestamps: bool,
           title: str | None, codes: tuple[str, ...], coders: tuple[str, ...], consensus: bool | None,
           **filters: object) -> None:  # fmt: skip
    """Report sections (Markdown/DOCX) or the quotes table (CSV/XLSX) from coded quotes."""
    ws = ctx.ws
    scope = _scope(ctx, codes, coders, consensus, **filters)
    out = output or Path(f"report-{by}.{fmt}")
    if keep_names:
        warn_originals()
    if fmt in ("csv", "xlsx"):
        quotes, cb = export_table(ws, scope, not keep_names, Level(attribution))
        table = tables.quotes_table(quotes, cb)
        if fmt == "csv":
            tables.write_csv(table, out)
        else:
            tables.write_xlsx([table, tables.frequency(quotes, cb, "service"),
                               tables.frequency(quotes, cb, "region"),
                               tables.cooccurrence(quotes), tables.code_by_recording(quotes)], out)  # fmt: skip
        click.echo(_("{n_rows} quote(s) → {out}").format(n_rows=len(table.rows), out=out))
        return
    rep = build_report(ws, GroupBy(by), scope, per_section, not keep_names, Level(attribution),
                       timestamps, title)  # fmt: skip
    if not rep.sections:
        click.echo(_("nothing coded in this selection yet: no report written"), err=True)
        raise SystemExit(1)
    template = template or _study_template(ctx)
    if fmt == "md":
        text = render.markdown(rep, template)
        with export_file(out) as tmp:
            tmp.write_text(text, encoding="utf-8")
    else:
        render.docx(rep, out)
    n = sum(len(s.quotes) for s in rep.walk())
    click.echo(
        _("{sections} section(s), {n} quote(s) → {out}").format(
            sections=len(rep.walk()), n=n, out=out
        )
    )


def _study_template(ctx: Context) -> Path | None:
    path = ctx.ws.study.root / "templates" / "report.md.j2"
    return path if path.exists() else None


@group()
def quotes() -> None:
    """List coded quotes and pin the ones a report must use."""


@quotes.command(name="ls")
@click.option(
    "--include-originals",
    "--no-anonymise",
    "keep_names",
    is_flag=True,
    help=N_("Names, phones, IIN as spoken (default: pseudonymised)."),
)
@scope_options
@pass_ctx
def quotes_ls(ctx: Context, keep_names: bool, codes: tuple[str, ...], coders: tuple[str, ...],
              consensus: bool | None, **filters: object) -> None:  # fmt: skip
    """List coded quotes (★: pinned key quotes), pseudonymised unless asked otherwise."""
    for q in export_quotes(ctx.ws, _scope(ctx, codes, coders, consensus, **filters),
                           not keep_names):  # fmt: skip
        pin = "★" if q.pinned else " "
        click.echo(f"{pin} {q.coding_id:>5} {q.code_id:<20} {q.recording:<8} {q.lead} «{q.text}»")


@quotes.command(name="pin")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@pass_ctx
def quotes_pin(ctx: Context, coding_ids: tuple[int, ...]) -> None:
    """Mark key quotes: reports use them first."""
    _pin(ctx, coding_ids, True)


@quotes.command(name="unpin")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@pass_ctx
def quotes_unpin(ctx: Context, coding_ids: tuple[int, ...]) -> None:
    """Unmark key quotes."""
    _pin(ctx, coding_ids, False)


def _pin(ctx: Context, ids: tuple[int, ...], pinned: bool) -> None:
    for cid in ids:
        set_key_quote(ctx.ws, cid, pinned)  # journaled: `qualtool undo` unpins
    n = len(ids)
    click.echo((ngettext("{n} quote pinned", "{n} quotes pinned", n) if pinned else
                ngettext("{n} quote unpinned", "{n} quotes unpinned", n)).format(n=n))  # fmt: skip


@command(name="tables")
@click.argument("kind", type=click.Choice(["frequency", "cooccurrence", "matrix"]))
@click.option(
    "--by",
    type=click.Choice(["service", "region", "method"]),
    default="service",
    help=N_("frequency: count by service, region or method."),
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=N_("CSV file (or .png for a chart, if matplotlib is installed)."))  # fmt: skip
@scope_options
@pass_ctx
def tables_cmd(ctx: Context, kind: str, by: str, output: Path | None, codes: tuple[str, ...],
               coders: tuple[str, ...], consensus: bool | None, **filters: object) -> None:  # fmt: skip
    """Analysis tables: code frequency by group, co-occurrence, code × recording."""
    db = ctx.ws.db
    scope = _scope(ctx, codes, coders, consensus, **filters)
    # a file leaves this machine: its recording keys pseudonymised as every export's are
    qs, cb = export_table(ctx.ws, scope) if output else (collect(db, scope, None),
                                                          load_codebook(db))  # fmt: skip
    table = {"frequency": lambda: tables.frequency(qs, cb, by),
             "cooccurrence": lambda: tables.cooccurrence(qs),
             "matrix": lambda: tables.code_by_recording(qs)}[kind]()  # fmt: skip
    totals = [(f"{r[0]} {r[1]}" if kind == "frequency" else str(r[0]), int(str(r[-1])))
              for r in table.rows]  # fmt: skip
    if output and output.suffix.lower() == ".png":
        if not tables.png_chart(sorted(totals, key=lambda kv: -kv[1]), output, table.title):
            raise click.ClickException(_("PNG charts need matplotlib (pip install matplotlib)"))
        click.echo(_("chart → {output}").format(output=output))
        return
    if output:
        tables.write_csv(table, output)
        click.echo(_("{n_rows} row(s) → {output}").format(n_rows=len(table.rows), output=output))
        return
    columns: list[tuple[object, ...]] = list(zip(table.header, *table.rows, strict=True))
    widths = [max(len(str(x)) for x in col) for col in columns]
    lines: list[list[object]] = [list(table.header), *table.rows]
    for row in lines:
        click.echo(
            "  ".join(str(x).ljust(min(w, 40))[:40] for x, w in zip(row, widths, strict=True))
        )
    if kind == "frequency":
        click.echo("\n" + tables.bar_chart(sorted(totals, key=lambda kv: -kv[1])[:20]))


COMMANDS = [report, quotes, tables_cmd]
