"""The interface catalogue: every extracted string has a Russian translation with the same
placeholders, the template is up to date with the code, the language is chosen as documented,
a translator can add a language without code, and the CLI speaks Russian for a Russian study."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from qualtool import i18n
from qualtool.cli.main import main
from qualtool.coding.history import undo
from qualtool.domain.errors import InvalidInput
from qualtool.files.codebook_edit import add_code
from qualtool.i18n import _, ngettext, resolve_language, set_language

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
    assert "4 записи" in out and "ключ" in out and "✓ 2 сегм." in out, out
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
