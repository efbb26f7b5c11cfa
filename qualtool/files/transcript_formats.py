"""Transcript text formats, written and read: canonical JSON, Markdown/plain text with
`[hh:mm:ss] Speaker:` lines, SRT, WebVTT (with <v> voices), and the formats of other tools
(oTranscribe .otr, noScribe HTML). Pure functions: text in, segments out."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pysubs2

from qualtool.domain import Segment, Transcript, Word
from qualtool.domain.errors import InvalidInput
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import _

FORMAT_VERSION = 1


def to_json(t: Transcript, recording_key: str, recording_file: str) -> str:
    doc = {
        "qualtool_transcript": FORMAT_VERSION,
        "recording": recording_key,
        "file": recording_file,
        "language": t.language,
        "model": t.model,
        "settings": t.settings,
        "duration": t.duration,
        "segments": [_segment_json(s) for s in t.segments],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _segment_json(s: Segment) -> dict[str, object]:
    """Confidence is the mean of the word probabilities *as written*: computed from the
    unrounded ones it changed by 0.001 once the file was read back, and every later write
    touched a file nobody had edited."""
    probabilities = [round(w.probability, 3) for w in s.words]
    words = [[round(w.start, 3), round(w.end, 3), w.text, p]
             for w, p in zip(s.words, probabilities, strict=True)]  # fmt: skip
    return {
        "start": round(s.start, 3),
        "end": round(s.end, 3),
        "speaker": s.speaker,
        "text": s.text,
        "confidence": round(sum(probabilities) / len(probabilities), 3) if probabilities else None,
        "avg_logprob": s.avg_logprob,
        "no_speech_prob": s.no_speech_prob,
        "compression_ratio": s.compression_ratio,
        "flags": list(s.flags),
        "words": words,
    }


def to_text(t: Transcript, title: str | None = None) -> str:
    """Readable Markdown: one paragraph per speaker turn, `[hh:mm:ss] Speaker:` first."""
    lines = [f"# {title}", ""] if title else []
    for s in t.segments:
        speaker = f" {s.speaker}:" if s.speaker else ""
        lines.append(f"[{format_timestamp(s.start)}]{speaker} {s.text}")
        lines.append("")
    return "\n".join(lines)


def _subtitles(t: Transcript, fmt: str) -> str:
    """SRT/VTT through pysubs2 (escaping, timestamp formats and cue layout done by a library
    that knows the edge cases). The speaker goes first: "R01: …" in SRT, a <v> voice in VTT."""
    subs = pysubs2.SSAFile()
    for s in t.segments:
        text = " ".join(s.text.split())
        if s.speaker:
            text = f"<v {s.speaker}>{text}" if fmt == "vtt" else f"{s.speaker}: {text}"
        subs.append(pysubs2.SSAEvent(start=round(s.start * 1000), end=round(s.end * 1000),
                                     text=text))  # fmt: skip
    return subs.to_string(fmt)


def to_srt(t: Transcript) -> str:
    return _subtitles(t, "srt")


def to_vtt(t: Transcript) -> str:
    return _subtitles(t, "vtt")


# ---- reading -----------------------------------------------------------------------------

_TS = r"(?:(\d{1,2})[:.])?(\d{1,2})[:.](\d{2})(?:[.,](\d{1,3}))?"
_LINE_TS = re.compile(rf"^\s*[\[{{(]{_TS}[\]}})]\s*(.*)$")
_SPEAKER = re.compile(r"^([^\s:][^:]{0,30}):(?:\s+(.*))?$")  # «Респондент:» alone: no words yet


def _secs(h: str | None, m: str, s: str, frac: str | None) -> float:
    value = int(h or 0) * 3600 + int(m) * 60 + int(s)
    return value + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)


def parse(text: str, fmt: str) -> tuple[list[Segment], dict[str, Any]]:
    """Segments and metadata from a file's text; `fmt` is its suffix without the dot."""
    parsers = {
        "json": _parse_json,
        "srt": lambda text: _parse_cues(text, "srt"),
        "vtt": lambda text: _parse_cues(text, "vtt"),
        "txt": _parse_timestamped,
        "md": _parse_timestamped,
        "otr": _parse_otr,
        "html": _parse_noscribe,
        "htm": _parse_noscribe,
    }
    if fmt not in parsers:
        raise InvalidInput(
            _("unknown transcript format .{format} (use {formats})").format(
                format=fmt, formats=", ".join(sorted(parsers))
            )
        )
    segs, meta = parsers[fmt](text)
    if not segs:
        raise InvalidInput(
            _("no transcript segments found in this .{format} file").format(format=fmt)
        )
    return [s for s in segs if s.text], meta


def _parse_json(text: str) -> tuple[list[Segment], dict[str, Any]]:
    if any(line.startswith(("<<<<<<<", ">>>>>>>")) for line in text.splitlines()):
        # two laptops renamed one recording differently: git writes both versions into one file
        raise InvalidInput(_("git conflict markers in this transcript (a merge did not finish — "
                             "did a colleague rename or re-transcribe this recording too?): "
                             "`git merge --abort`, give it your colleague's name with "
                             "`qualtool rename`, then pull again"))  # fmt: skip
    try:
        doc = json.loads(text)
        items = doc["segments"]
        segs = [
            Segment(
                idx=i,
                start=float(d["start"]),
                end=float(d["end"]),
                text=str(d["text"]).strip(),
                speaker=d.get("speaker"),
                words=tuple(Word(float(a), float(b), str(w), float(p)) for a, b, w, p in d.get("words", [])),
                avg_logprob=d.get("avg_logprob"),
                no_speech_prob=d.get("no_speech_prob"),
                compression_ratio=d.get("compression_ratio"),
                flags=tuple(d.get("flags", [])),
            )
            for i, d in enumerate(items)
        ]  # fmt: skip
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(_("not a qualtool transcript JSON ({error})").format(error=exc)) from exc
    meta = {k: doc.get(k) for k in ("language", "model", "settings", "duration", "recording")}
    return segs, meta


def _split_speaker(text: str) -> tuple[str | None, str]:
    voice = re.match(r"^<v(?:\.[^ >]*)?\s+([^>]+)>(.*)$", text)
    if voice:
        return voice.group(1).strip(), re.sub(r"</v>$", "", voice.group(2)).strip()
    m = _SPEAKER.match(text)
    if m and not m.group(1)[0].isdigit():
        return m.group(1).strip(), (m.group(2) or "").strip()
    return None, text.strip()


_STRICT_TS = r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})[.,](\d{3})"
_STRICT_CUE = re.compile(rf"^\s*{_STRICT_TS}\s*-->\s*{_STRICT_TS}(?:\s.*)?$")
_VOICE = re.compile(r"^<v(?:\.[^ >]*)?\s+([^>]+)>", re.M)


def _check_cues(text: str, fmt: str) -> None:
    """pysubs2 skips a cue whose timing it cannot read; a researcher must hear about it, with
    the line to fix, before anything is imported."""
    for n, line in enumerate(text.splitlines(), 1):
        if "-->" not in line:
            continue
        m = _STRICT_CUE.match(line)
        bad = m is None or any(int(g) >= 60 for g in m.group(2, 3, 6, 7))
        if not bad and m is not None:
            bad = _secs(*m.group(1, 2, 3, 4)) > _secs(*m.group(5, 6, 7, 8))
        if bad:
            raise InvalidInput(
                _(
                    "line {n}: malformed {format} timestamp {line!r} "
                    "(expected HH:MM:SS,mmm --> HH:MM:SS,mmm, start before end)"
                ).format(n=n, format=fmt.upper(), line=line.strip())
            )


def _parse_cues(text: str, fmt: str = "srt") -> tuple[list[Segment], dict[str, Any]]:
    text = text.replace("\r\n", "\n")
    _check_cues(text, fmt)
    if fmt == "vtt":  # pysubs2 drops <v> voice tags: keep the speaker as "NAME: text"
        text = _VOICE.sub(lambda m: f"{m.group(1).strip()}: ", text)
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except (pysubs2.exceptions.Pysubs2Error, ValueError) as exc:
        raise InvalidInput(
            _("not a readable .{format} file ({error})").format(format=fmt, error=exc)
        ) from None
    segs: list[Segment] = []
    for event in subs:
        speaker, content = _split_speaker(" ".join(event.plaintext.split()))
        content = re.sub(r"<[^>]+>", "", content)
        if not content:
            continue  # a cue with only a speaker label carries no words
        segs.append(Segment(idx=len(segs), start=event.start / 1000, end=event.end / 1000,
                            text=content, speaker=speaker))  # fmt: skip
    return segs, {}


def _parse_timestamped(text: str) -> tuple[list[Segment], dict[str, Any]]:
    """`[hh:mm:ss] Speaker: text` lines (also [mm:ss], {hh.mm.ss}); untimed lines continue
    the previous turn. A segment ends where the next one starts."""
    rows: list[tuple[float, str | None, str]] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE_TS.match(line)
        if m:
            start = _secs(*m.groups()[:4])
            speaker, content = _split_speaker(m.group(5))
            rows.append((start, speaker, content))
        elif rows:
            start, speaker, content = rows[-1]
            rows[-1] = (start, speaker, f"{content} {line}".strip())
    rows = [r for r in rows if r[2]]  # a stamp and a speaker with no words is no turn
    segs = []
    for i, (start, speaker, content) in enumerate(rows):
        end = rows[i + 1][0] if i + 1 < len(rows) else start + max(1.0, len(content) / 15)
        segs.append(Segment(idx=i, start=start, end=max(end, start), text=content, speaker=speaker))
    return segs, {}


_OTR_STAMP = re.compile(
    r'<span[^>]*class="timestamp"[^>]*?data-timestamp="([^"]+)"[^>]*>.*?</span>(?:&nbsp;|\xa0)?',
    re.S,
)


def _otr_seconds(value: str) -> float:
    """oTranscribe stamps: seconds ("83.2", since 2017) or "m:ss" / "h:mm:ss" (2014–2016)."""
    seconds = 0.0
    for part in value.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _parse_otr(text: str) -> tuple[list[Segment], dict[str, Any]]:
    """oTranscribe's .otr: JSON with the editor's HTML in "text"; both stamp formats."""
    try:
        doc = json.loads(text)
        body = str(doc["text"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(_("not an oTranscribe .otr file ({error})").format(error=exc)) from exc
    try:
        body = _OTR_STAMP.sub(
            lambda m: "\n[" + format_timestamp(_otr_seconds(m.group(1)), millis=True) + "] ", body
        )
    except ValueError as exc:
        raise InvalidInput(
            _("oTranscribe timestamp not understood ({error})").format(error=exc)
        ) from exc
    body = re.sub(r"<br\s*/?>|</p>|</div>", "\n", body)
    plain = html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")
    segs = _parse_timestamped(plain)[0]
    return segs, {"media": doc.get("media")}


# noScribe HTML: one anchor per segment, times in ms in its name (0.3: `ts_START_END`, in a
# `name` or `href`; 0.7: `ts_START_END_SPEAKER`, "//SPEAKER" while talking over someone).
_NS_ANCHOR = re.compile(
    r'<a\s+(?:name|href)="#?ts_(\d+)_(\d+)(?:_([^"]*))?"\s*>(.*?)</a>', re.S | re.I
)
_NS_STAMP = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?\]")  # the visible [hh:mm:ss] of 0.7
_NS_PAUSE = re.compile(
    r"^\(\s*(?:\.+|\d+(?:[.,]\d+)?\s*(?:seconds?|sec|s)?\s*(?:pause)?)\s*\)$", re.I
)


def _parse_noscribe(text: str) -> tuple[list[Segment], dict[str, Any]]:
    """Speech segments with their speakers; `//` overlap markers and time stamps are layout,
    not words: overlaps keep the flag "overlap", pauses «(..)» go to meta["pauses"]."""
    segs: list[Segment] = []
    pauses: list[tuple[float, float]] = []
    speaker: str | None = None
    for m in _NS_ANCHOR.finditer(text):
        start, end = int(m.group(1)) / 1000, int(m.group(2)) / 1000
        content = html.unescape(re.sub(r"<[^>]+>", "", m.group(4))).replace("\xa0", " ")
        content = _NS_STAMP.sub("", content).strip()
        label = (m.group(3) or "").strip()
        content = content.strip("/ ").strip()
        said_by, content = _split_speaker(content)
        content = content.strip("/ ").strip()
        if not content or _NS_PAUSE.match(content):
            pauses.append((start, end))
            continue
        who = label.lstrip("/").strip() or (said_by or "").lstrip("/").strip() or None
        if who is None:
            who = speaker
        elif not label.startswith("//"):
            speaker = who  # the main turn resumes after an overlap without naming itself
        segs.append(Segment(idx=len(segs), start=start, end=max(end, start), text=content,
                            speaker=who, flags=("overlap",) if label.startswith("//") else ()))  # fmt: skip
    audio = re.search(r'<meta name="audio_source" content="([^"]*)"', text)
    version = re.search(r"noScribe vers\. ([\d.]+)", text)
    producer = f"noScribe {version.group(1)}" if version else "noScribe"
    return segs, {
        "media": html.unescape(audio.group(1)) if audio else None,
        "producer": producer,
        "pauses": pauses,
        # kept with the transcript (settings go into transcripts/<key>.json): pauses stay pauses
        "settings": {"source": producer, "pauses": [[a, b] for a, b in pauses]},
    }
