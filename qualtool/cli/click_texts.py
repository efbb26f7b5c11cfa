"""click's own messages — usage errors, «Usage:», «Options:», «Try … for help.» — in the
interface language, from our catalogue.

click 8 translates them with the standard gettext module: each of its modules binds
`from gettext import gettext as _` (and `ngettext`) at import. Those global functions look for a
compiled `.mo` file chosen by the LANGUAGE/LANG variables, so the study's `ui_language` (or
QUALTOOL_LANG) could never reach them and a Russian interface printed click's errors in
English. `use_our_catalogue()` points the names click's modules call at `qualtool.i18n`, which
follows `set_language()`; in English our catalogue is empty and click's texts stay as written.
"""

from __future__ import annotations

import gettext
from types import ModuleType

from click import core, decorators, exceptions, formatting, parser, termui, types, utils

from qualtool.i18n import N_, NN_, _, ngettext

# click's msgids that reach a user, word for word as click 8.5 writes them (marked here so that
# scripts/i18n.py keeps them in the catalogue); a msgid click changes just stays in English
CLICK_TEXTS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("Error: {message}"),
    N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"),
    N_("Missing option"), N_("Missing parameter"), N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"), N_("Missing command."),
    N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("Option {name!r} does not take a value."), N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("default: {default}"), N_("required"),
    N_("env var: {var}"),
    N_("Error: invalid input"),  # click.confirm's answer that is neither y nor n
)  # fmt: skip
CLICK_PLURALS = (
    NN_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    NN_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    NN_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    NN_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)

_MODULES: tuple[ModuleType, ...] = (core, decorators, exceptions, formatting, parser, termui,
                                     types, utils)  # fmt: skip


def use_our_catalogue() -> None:
    """Once, before click prints anything. A name click no longer takes from gettext (a
    future click with its own i18n) is left alone."""
    for module in _MODULES:
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext  # type: ignore[attr-defined]
