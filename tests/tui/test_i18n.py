"""The interface catalogue: every extracted string has a Russian translation with the same
placeholders, the template is up to date with the code, the language is chosen as documented,
a translator can add a language without code, and the CLI speaks Russian for a Russian study."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from conftest import TURNS, open_transcript

from qualtool import i18n
from qualtool.cli.main import cli, main
from qualtool.coding.history import undo
from qualtool.domain.errors import CodebookError, InvalidInput, NotFound
from qualtool.files.codebook_edit import add_code
from qualtool.i18n import _, ngettext, resolve_language, set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.search.query import compile_query
from qualtool.store.codebook import resolve_code_id
from qualtool.tui.app import QualtoolApp

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "qualtool" / "i18n" / "locale"
FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_script", REPO / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _ids(catalog) -> set[object]:  # type: ignore[no-untyped-def]
    return {m.id for m in catalog if m.id}


def test_every_msgid_in_the_template_has_a_russian_translation() -> None:
    with (LOCALE / "qualtool.pot").open("rb") as fh:
        pot = read_po(fh)
    with (LOCALE / "ru" / "LC_MESSAGES" / "qualtool.po").open("rb") as fh:
        ru = {m.id: m for m in read_po(fh, locale="ru") if m.id}
    assert len(_ids(pot)) > 250
    for msgid in _ids(pot):
        entry = ru.get(msgid)
        assert entry is not None and not entry.fuzzy, msgid
        sources = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), msgid
        wanted = set(FIELD.findall(sources[-1]))
        for s in strings:  # a translation keeps every placeholder (or .format() would fail)
            assert set(FIELD.findall(s)) <= wanted | set(FIELD.findall(sources[0])), (msgid, s)
            if "{n}" not in s or len(wanted) > 1:
                assert set(FIELD.findall(s)) == wanted, (msgid, s)


def test_the_template_matches_the_code() -> None:
    """A string wrapped in the code but not extracted would stay English: re-extract and compare
    (python scripts/i18n.py after adding strings)."""
    extracted = _ids(_script().extract())
    with (LOCALE / "qualtool.pot").open("rb") as fh:
        assert extracted == _ids(read_po(fh))


def test_every_package_that_wraps_strings_is_extracted() -> None:
    """Services raise the messages and name the undo steps the TUI shows («nothing to undo»,
    «undone: edit text»): a package left out of extraction stays English in a Russian study
    while every check passes."""
    wrapping = {p.relative_to(REPO).parts[1] for p in (REPO / "qualtool").rglob("*.py")
                if re.search(r"^from qualtool\.i18n import .*\b_\b", p.read_text("utf-8"), re.M)}  # fmt: skip
    extracted = {Path(loc).parts[1] for m in _script().extract() for loc, _line in m.locations}
    assert {"coding", "team", "interop"} <= wrapping
    assert wrapping <= extracted


def test_service_messages_speak_russian(empty_study) -> None:  # type: ignore[no-untyped-def]
    set_language("ru")
    try:
        with pytest.raises(InvalidInput, match="нечего отменять"):
            undo(empty_study)
        assert _("edit text") == "правка текста"
        with pytest.raises(InvalidInput, match=r"код TECH\.AUTH уже есть"):
            add_code(empty_study.study.codebook_path, "TECH.AUTH", "Вход")
    finally:
        set_language("en")


def test_russian_catalogue_and_plurals() -> None:
    set_language("ru")
    assert _("Codebook") == "Кодовая книга"
    assert _("Intercoder agreement") == "Согласованность кодировщиков"
    assert _("Undo") == "Отменить" and _("Cancel") == "Отмена"
    forms = [ngettext("{n} coding", "{n} codings", n).format(n=n) for n in (1, 3, 5, 21)]
    assert forms == ["1 кодировка", "3 кодировки", "5 кодировок", "21 кодировка"]
    assert _("a string nobody translated") == "a string nobody translated"
    set_language("en")
    assert _("Codebook") == "Codebook"


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUALTOOL_LANG")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert resolve_language(None, ("ru", "kk")) == "ru"  # a Russian study: Russian
    assert resolve_language("en", ("ru", "kk")) == "en"  # study.toml ui_language
    assert resolve_language(None, ("kk",)) == "en"  # no catalogue for Kazakh yet, no locale
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert resolve_language(None, ("kk",)) == "ru"  # by locale
    monkeypatch.setenv("QUALTOOL_LANG", "en")
    assert resolve_language("ru", ("ru",)) == "en"  # the person's override wins
    monkeypatch.setenv("QUALTOOL_LANG", "xx")
    assert resolve_language("ru", ()) == "ru"  # an unknown code is skipped


def test_a_translator_adds_kazakh_without_code(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    kk = locale / "kk" / "LC_MESSAGES"
    kk.mkdir(parents=True)
    pot = (locale / "qualtool.pot").read_text("utf-8")
    pot = pot.replace('msgid "Codebook"\nmsgstr ""', 'msgid "Codebook"\nmsgstr "Кодтар кітабы"')
    (kk / "qualtool.po").write_text(pot.replace('"Language: ', '"Language: kk'), "utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setenv("QUALTOOL_LANG", "kk")
    assert "kk" in i18n.available_languages()
    set_language(resolve_language(None, ("ru", "kk")))
    assert i18n.current_language() == "kk" and _("Codebook") == "Кодтар кітабы"
    assert _("Search") == "Search"  # untranslated yet: the English source


def test_the_cli_speaks_russian_for_a_russian_study(empty_study, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("QUALTOOL_LANG")
    with pytest.raises(SystemExit) as exit_:
        main(["-s", str(empty_study.study.root), "codebook", "show", "NO.SUCH"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err.startswith("ошибка: ")
    main(["-s", str(empty_study.study.root), "codebook", "load"])
    assert "кодовая книга загружена" in capsys.readouterr().out


def test_cli_tables_speak_russian(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """`ls` and `agreement` printed English headers, «4 recording(s)», «done 3 seg», «(all
    codes)» and «aigerim coded» in a Russian study."""
    monkeypatch.delenv("QUALTOOL_LANG")
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    main(["-s", str(root), "ls"])
    out = capsys.readouterr().out
    assert "4 записи" in out and "ключ" in out and "✓ 3 сегм." in out, out
    assert "recording(s)" not in out and " seg" not in out
    main(["-s", str(root), "agreement"])
    out = capsys.readouterr().out
    assert "единица: сегмент" in out and "(все коды)" in out and "применён" in out, out
    assert "aigerim: закодировано" in out and "(all codes)" not in out
    set_language("en")


def test_the_first_line_is_in_the_study_language(empty_study, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Lines printed before the study is opened (a .qdc conversion, the --include-originals
    warning) came out in English: the language was set only when the database opened."""
    monkeypatch.delenv("QUALTOOL_LANG")
    root = empty_study.study.root
    (root / "bad.qdc").write_text("nope", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["-s", str(root), "refi", "import", str(root / "bad.qdc")])
    assert capsys.readouterr().err.startswith("ошибка: ")
    with pytest.raises(SystemExit):
        main(["-s", str(root), "code", "idi-01#3", "BUR.DELAY"])
    assert capsys.readouterr().err == "ошибка: нет сегмента idi-01#3\n"
    main(["-s", str(root), "refi", "export", str(root / "x.qdpx"), "--include-originals"])
    assert capsys.readouterr().err.startswith("внимание")
    set_language("en")


def test_ui_language_in_study_toml(empty_study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualtool.files.study import load_study

    toml = empty_study.study.root / "study.toml"
    toml.write_text(toml.read_text("utf-8").replace('# ui_language = "ru"', 'ui_language = "en"'),
                    "utf-8")  # fmt: skip
    assert load_study(empty_study.study.root).config.ui_language == "en"


# ---- error messages raised below the interface ------------------------------------------------

SERVICE_PACKAGES = ("domain", "store", "files", "workspace", "coding", "team", "privacy",
                    "autocode", "interop", "recordings", "transcribe", "report", "search", "nlp")  # fmt: skip
TRANSLATORS = {"_", "ngettext"}


def _error_classes() -> set[str]:
    """QualtoolError and every class derived from it anywhere in the package (by name)."""
    classes: dict[str, set[str]] = {}
    for path in (REPO / "qualtool").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                classes[node.name] = bases
    found = {"QualtoolError"}
    while True:
        more = {name for name, bases in classes.items() if bases & found} - found
        if not more:
            return found
        found |= more


def _translated(node: ast.expr, helpers: dict[str, ast.FunctionDef] | None = None) -> bool:
    """A message that went through the catalogue: _()/ngettext(), their .format(), a choice
    between two such, a variable or str(exc) holding one, those joined by punctuation, or a
    call to one of the module's own functions (`helpers`) whose every return is one of these
    (a message the CLI and the TUI both show)."""
    helpers = helpers or {}
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in helpers:
            returns = [r.value for r in ast.walk(helpers[func.id])
                       if isinstance(r, ast.Return) and r.value is not None]  # fmt: skip
            others = {k: v for k, v in helpers.items() if k != func.id}  # no endless recursion
            return bool(returns) and all(_translated(r, others) for r in returns)
        if isinstance(func, ast.Name):
            return func.id in TRANSLATORS or func.id == "str"
        if isinstance(func, ast.Attribute) and func.attr == "format":
            return _translated(func.value, helpers)
        return False
    if isinstance(node, ast.IfExp):
        return _translated(node.body, helpers) and _translated(node.orelse, helpers)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _translated(node.left, helpers) and _translated(node.right, helpers)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return not any(ch.isalpha() for ch in node.value)  # " — " between two messages
    return isinstance(node, ast.Name | ast.Attribute | ast.Subscript)


def _untranslated_errors() -> list[str]:
    errors = _error_classes()
    bad = []
    for package in SERVICE_PACKAGES:
        for path in sorted((REPO / "qualtool" / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            helpers = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id not in errors or not node.args:
                    continue
                messages = node.args[:1]
                if node.func.id == "CodebookError":  # (path, [(line, message), …])
                    listed = node.args[1] if len(node.args) > 1 else None
                    messages = [t.elts[1] for t in getattr(listed, "elts", [])
                                if isinstance(t, ast.Tuple) and len(t.elts) == 2]  # fmt: skip
                for message in messages:
                    if not _translated(message, helpers):
                        where = path.relative_to(REPO)
                        bad.append(f"{where}:{node.lineno}: {ast.unparse(message)[:70]}")
    return bad


def test_errors_raised_below_the_interface_go_through_the_catalogue() -> None:
    """A QualtoolError from store/, files/, domain/ or a feature service reaches the user as the
    CLI's error line or a TUI notification: its text must be a `_()`/`ngettext()` message (with
    named placeholders), never a bare or f-string, or the Russian interface shows English."""
    assert len(_error_classes()) >= 8  # NotFound, InvalidInput, VaultLocked, JournalConflict…
    assert _untranslated_errors() == []


def test_the_check_catches_an_english_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The check above is not vacuous: an f-string message in a service module is reported."""
    fake = tmp_path / "qualtool"
    shutil.copytree(REPO / "qualtool", fake, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    target = fake / "coding" / "actions.py"
    target.write_text(target.read_text("utf-8") + '\n\ndef _x(code: str) -> None:\n'
                      '    raise NotFound(f"no code {code}")\n', "utf-8")  # fmt: skip
    helper = fake / "coding" / "editing.py"  # a message helper with one English return
    helper.write_text(helper.read_text("utf-8") + '\n\ndef _why(code: str) -> str:\n'
                      '    if code:\n        return _("known")\n    return f"no {code}"\n\n\n'
                      'def _y(code: str) -> None:\n    raise NotFound(_why(code))\n', "utf-8")  # fmt: skip
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    assert [b.split(":")[0] for b in _untranslated_errors()] == [
        "qualtool/coding/actions.py", "qualtool/coding/editing.py"]  # fmt: skip


def test_service_error_texts_are_in_the_template_and_russian(empty_study) -> None:  # type: ignore[no-untyped-def]
    """Extraction covers every package, so these messages are in the template and translated."""
    with (LOCALE / "qualtool.pot").open("rb") as fh:
        ids = _ids(read_po(fh))
    for msgid in ("no code {code!r} in the codebook (see `qualtool codebook show`)",
                  "unbalanced parentheses in the query", "{path}: no such file",
                  "this is the last segment: nothing to merge with", "nothing to undo"):  # fmt: skip
        assert msgid in ids, msgid
    set_language("ru")
    try:
        with pytest.raises(NotFound) as err:
            resolve_code_id(empty_study.db, "NO.SUCH")
        assert str(err.value) == (
            "в кодовой книге нет кода 'NO.SUCH' (см. `qualtool codebook show`)"
        )
        with pytest.raises(InvalidInput, match="в запросе не сходятся скобки"):
            compile_query(None, "(справка) )")  # type: ignore[arg-type]
        problem = CodebookError("barriers.yml", [(3, "x"), (5, "y"), (9, "z")])
        assert str(problem) == "barriers.yml:3: x (и ещё 2)"
    finally:
        set_language("en")


async def test_the_tui_shows_service_errors_in_russian(empty_study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Refusals raised by the coding services reach the Russian coder as Russian notifications."""
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    add_text_recording(empty_study.db, "idi-x", TURNS)
    app = QualtoolApp(empty_study, coder="anna")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_transcript(pilot, row=len(TURNS) - 1)  # the last segment
            await pilot.press("ctrl+z")  # nothing done yet
            await pilot.pause()
            await pilot.press("m")  # merge with the next: there is none
            await pilot.pause()
            errors = [n.message for n in app._notifications if n.severity == "error"]
            assert errors == ["нечего отменять", "это последний сегмент: объединять не с чем"]
    finally:
        set_language("en")
    assert empty_study.db.execute("SELECT count(*) FROM segments").fetchone()[0] == len(TURNS)


# ---- a language with no catalogue ----------------------------------------------------------


@pytest.mark.parametrize(("study", "said"), [
    (True, "предупреждение: QUALTOOL_LANG=de: неизвестный язык интерфейса, используется ru "
           "(доступны: en, ru)"),
    (False, "warning: QUALTOOL_LANG=de: unknown interface language, showing en "
            "(available: en, ru)"),
])  # fmt: skip
def test_an_unknown_qualtool_lang_falls_back_and_says_so_once(
    empty_study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, study: bool, said: str
) -> None:  # type: ignore[no-untyped-def]
    """QUALTOOL_LANG=de fell back (to the Russian study's language, else English) without a
    word: now one line on stderr names the languages there are, in the language chosen."""
    monkeypatch.setenv("QUALTOOL_LANG", "de")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    args = ["-s", str(empty_study.study.root), "ls"] if study else ["init", "st", "--year", "2025"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.count(said) == 1, result.stderr
    assert i18n.current_language() == ("ru" if study else "en")
    set_language("en")


def test_an_unknown_ui_language_in_study_toml_is_named(empty_study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("QUALTOOL_LANG")
    toml = empty_study.study.root / "study.toml"
    toml.write_text(toml.read_text("utf-8").replace('# ui_language = "ru"', 'ui_language = "rus"'),
                    "utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["-s", str(empty_study.study.root), "ls"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("study.toml ui_language=rus: неизвестный язык интерфейса") == 1
    set_language("en")


async def test_the_tui_names_an_unknown_qualtool_lang(empty_study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QUALTOOL_LANG", "de")
    app = QualtoolApp(empty_study, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications if "QUALTOOL_LANG=de" in n.message]
        assert said == ["QUALTOOL_LANG=de: неизвестный язык интерфейса, используется ru "
                        "(доступны: en, ru)"], said  # fmt: skip
        assert app.screen.__class__.__name__ == "DashboardScreen"
    set_language("en")
