"""The CLI's numbers with a fraction in the interface language: `agreement`'s % and κ, α read
«91,7» and «0,625» in Russian, «91.7» and «0.625» in English (the columns keep their width)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualtool.cli.main import cli


@pytest.mark.parametrize(("lang", "sep", "head"), [("ru", ",", "код"), ("en", ".", "code")])
def test_agreement_figures(sample_study: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                           sep: str, head: str) -> None:  # fmt: skip
    monkeypatch.setenv("QUALTOOL_LANG", lang)
    out = CliRunner().invoke(cli, ["--study", str(sample_study), "agreement"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.split()[:1] == [head]]
    row = next(line for line in lines[start + 1 :] if line.startswith("TECH.AUTH"))
    figures = row.split()[-5:-2]  # % agree, κ, α
    assert figures == [f"91{sep}7", f"0{sep}625", f"0{sep}635"], row
    alpha = f"0{sep}635"
    assert lines[start].index("α") + 1 == row.index(alpha) + len(alpha)  # the columns in line
