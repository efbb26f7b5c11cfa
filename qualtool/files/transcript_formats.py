"""Transcript text formats, written and read: canonical JSON, Markdown/plain text with
`[hh:mm:ss] Speaker:` lines, SRT, WebVTT (with <v> voices), and the formats of other tools
(oTranscribe .otr, noScribe HTML). Pure functions: text in, segments out."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from qualtool.domain import Segment, Transcript, Word
from qualtool.domain.errors import InvalidInput
from qualtool.domain.transcript import format_timestamp

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
        "segments": [
            {
                "start": round(s.start, 3),
                "end": round(s.end, 3),
                "speaker": s.speaker,
                "text": s.text,
                "confidence": None if s.confidence is None else round(s.confidence, 3),
                "avg_logprob": s.avg_logprob,
                "no_speech_prob": s.no_speech_prob,
                "compression_ratio": s.compression_ratio,
                "flags": list(s.flags),
                "words": [
                    [round(w.start, 3), round(w.end, 3), w.text, round(w.probability, 3)]
                    for w in s.words
                ],
            }
            for s in t.segments
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_text(t: Transcript, title: str | None = None) -> str:
    """Readable Markdown: one paragraph per speaker turn, `[hh:mm:ss] Speaker:` first."""
    lines = [f"# {title}", ""] if title else []
    for s in t.segments:
        speaker = f" {s.speaker}:" if s.speaker else ""
        lines.append(f"[{format_timestamp(s.start)}]{speaker} {s.text}")
        lines.append("")
    return "\n".join(lines)


def to_srt(t: Transcript) -> str:
    out = []
    for n, s in enumerate(t.segments, 1):
        a = format_timestamp(s.start, millis=True, sep=",")
        b = format_timestamp(s.end, millis=True, sep=",")
        who = f"{s.speaker}: " if s.speaker else ""
        out.append(f"{n}\n{a} --> {b}\n{who}{s.text}\n")
    return "\n".join(out)


def to_vtt(t: Transcript) -> str:
    out = ["WEBVTT", ""]
    for s in t.segments:
        a = format_timestamp(s.start, millis=True)
        b = format_timestamp(s.end, millis=True)
        text = f"<v {s.speaker}>{s.text}" if s.speaker else s.text
        out += [f"{a} --> {b}", text, ""]
    return "\n".join(out)


# ---- reading -----------------------------------------------------------------------------

_TS = r"(?:(\d{1,2})[:.])?(\d{1,2})[:.](\d{2})(?:[.,](\d{1,3}))?"
_CUE = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}")
_LINE_TS = re.compile(rf"^\s*[\[{{(]{_TS}[\]}})]\s*(.*)$")
_SPEAKER = re.compile(r"^([^\s:][^:]{0,30}):\s+(.*)$")


def _secs(h: str | None, m: str, s: str, frac: str | None) -> float:
    value = int(h or 0) * 3600 + int(m) * 60 + int(s)
    return value + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)


def parse(text: str, fmt: str) -> tuple[list[Segment], dict[str, Any]]:
    """Segments and metadata from a file's text; `fmt` is its suffix without the dot."""
    parsers = {
        "json": _parse_json,
        "srt": _parse_cues,
        "vtt": _parse_cues,
        "txt": _parse_timestamped,
        "md": _parse_timestamped,
        "otr": _parse_otr,
        "html": _parse_noscribe,
        "htm": _parse_noscribe,
    }
    if fmt not in parsers:
        raise InvalidInput(f"unknown transcript format .{fmt} (use {', '.join(sorted(parsers))})")
    segs, meta = parsers[fmt](text)
    if not segs:
        raise InvalidInput(f"no transcript segments found in this .{fmt} file")
    return [s for s in segs if s.text], meta


def _parse_json(text: str) -> tuple[list[Segment], dict[str, Any]]:
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
        raise InvalidInput(f"not a qualtool transcript JSON ({exc})") from exc
    meta = {k: doc.get(k) for k in ("language", "model", "settings", "duration", "recording")}
    return segs, meta


def _split_speaker(text: str) -> tuple[str | None, str]:
    voice = re.match(r"^<v(?:\.[^ >]*)?\s+([^>]+)>(.*)$", text)
    if voice:
        return voice.group(1).strip(), re.sub(r"</v>$", "", voice.group(2)).strip()
    m = _SPEAKER.match(text)
    if m and not m.group(1)[0].isdigit():
        return m.group(1).strip(), m.group(2).strip()
    return None, text.strip()


def _parse_cues(text: str) -> tuple[list[Segment], dict[str, Any]]:
    segs: list[Segment] = []
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        m = _CUE.match(lines[i])
        if not m:
            i += 1
            continue
        g = m.groups()
        start, end = _secs(*g[0:4]), _secs(*g[4:8])
        i += 1
        body = []
        while i < len(lines) and lines[i].strip():
            body.append(lines[i].strip())
            i += 1
        speaker, content = _split_speaker(" ".join(body))
        content = re.sub(r"<[^>]+>", "", content)
        segs.append(Segment(idx=len(segs), start=start, end=end, text=content, speaker=speaker))
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
        raise InvalidInput(f"not an oTranscribe .otr file ({exc})") from exc
    try:
        body = _OTR_STAMP.sub(
            lambda m: "\n[" + format_timestamp(_otr_seconds(m.group(1)), millis=True) + "] ", body
        )
    except ValueError as exc:
        raise InvalidInput(f"oTranscribe timestamp not understood ({exc})") from exc
    body = re.sub(r"<br\s*/?>|</p>|</div>", "\n", body)
    plain = html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")
    segs, _ = _parse_timestamped(plain)
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
