"""Transcription: qualtool's pipeline vs calling faster-whisper directly, same audio, same model,
same process. Prints real-time factors, the overhead ratio (target ≤ 1.05), WER/CER against the
fixtures' reference texts (target: no worse than direct; hotwords should help) and peak memory.

With --matrix (issue #16): sequential vs batched decoding, each without the study glossary,
with it (post-correction of low-confidence near misses: the default) and with it also as
Whisper's prompt (study.toml's glossary_prompt = true), in one run: WER/CER per recording and
overall, speed, and whether the glossary made any recording worse.

The arithmetic follows the sample's study.toml as the `qualtool` command does: with
`reproducible = true` (transcribe/cpu_path.py) the figures are the same on every x86-64 machine
with AVX2, and they are the README main job's. --native measures the kernels this CPU would
choose by itself instead (a study without `reproducible`).

Usage: python bench/transcribe.py [--repeat N] [--matrix] [--native]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from qualtool.transcribe import cpu_path  # stdlib only: numpy has not loaded yet

REPO = Path(__file__).resolve().parent.parent
PINNED = {} if "--native" in sys.argv else cpu_path.apply([], os.environ, REPO)

from faster_whisper import WhisperModel  # noqa: E402  (after the kernels are chosen)

from qualtool.store import recordings as rec_store  # noqa: E402
from qualtool.transcribe.metrics import cer, reference_text, wer  # noqa: E402
from qualtool.transcribe.model import install_offline  # noqa: E402
from qualtool.transcribe.run import engine_options, make_engine, transcribe_recording  # noqa: E402
from qualtool.workspace.study import open_workspace  # noqa: E402


def fresh_study(tmp: Path) -> Path:
    root = tmp / f"s{time.monotonic_ns()}"
    root.mkdir()
    shutil.copy(REPO / "study.toml", root)
    shutil.copytree(REPO / "audio", root / "audio")
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    (root / "transcripts").mkdir()
    return root


def matrix() -> None:
    """Sequential/batched × without/with glossary, same engine (one model load)."""
    tmp = Path(tempfile.mkdtemp())
    ws = open_workspace(fresh_study(tmp))
    engine = make_engine(ws.study)
    base = engine_options(ws)
    prompt = engine_options(ws, glossary_prompt=True).hotwords
    recs = rec_store.list_recordings(ws.db)
    ws.close()
    modes = {  # «+glossary»: the default (correction only); «+prompt»: glossary_prompt = true
        "sequential": replace(base, batched=False, hotwords=None, glossary=()),
        "sequential+glossary": replace(base, batched=False, hotwords=None),
        "sequential+prompt": replace(base, batched=False, hotwords=prompt),
        "batched": replace(base, batched=True, hotwords=None, glossary=()),
        "batched+glossary": replace(base, batched=True, hotwords=None),
        "batched+prompt": replace(base, batched=True, hotwords=prompt),
    }
    results: dict[tuple[str, str], tuple[float, float, float, int]] = {}
    audio_s = sum(r.duration for r in recs)
    for rec in recs:
        ref = reference_text(str(REPO / "audio" / "reference" / f"{rec.key}.txt"))
        for label, opts in modes.items():
            w = open_workspace(fresh_study(tmp))
            r = rec_store.get_recording(w.db, rec.key)
            t0 = time.perf_counter()
            tr = transcribe_recording(w, r, engine, options=opts)
            dt = time.perf_counter() - t0
            fixes = sum(1 for s in tr.segments for f in s.flags if f.startswith("glossary:"))
            w.close()
            results[(rec.key, label)] = (dt, wer(ref, tr.text), cer(ref, tr.text), fixes)
    print(f"{'recording':<8} {'mode':<20} {'RTF(x)':>7} {'WER':>6} {'CER':>6} {'fixes':>5}")
    for (key, label), (dt, w_, c_, fx) in results.items():
        dur = next(r.duration for r in recs if r.key == key)
        print(f"{key:<8} {label:<20} {dur / dt:7.2f} {w_:6.3f} {c_:6.3f} {fx:>5}")
    for label in modes:
        rows = [v for (k, lb), v in results.items() if lb == label]
        t = sum(v[0] for v in rows)
        print(f"ALL      {label:<20} {audio_s / t:7.2f} {sum(v[1] for v in rows) / len(rows):6.3f} "
              f"{sum(v[2] for v in rows) / len(rows):6.3f} {sum(v[3] for v in rows):>5}")  # fmt: skip
    for mode in ("sequential", "batched"):
        for extra in ("glossary", "prompt"):
            worse = [f"{r.key} ({metric})" for r in recs for i, metric in ((1, "WER"), (2, "CER"))
                     if results[(r.key, f"{mode}+{extra}")][i] > results[(r.key, mode)][i] + 1e-9]  # fmt: skip
            print(
                f"{mode}: {extra} made worse (WER or CER): {', '.join(worse) or 'none'}"
                + (" (the default)" if extra == "glossary" else " (glossary_prompt = true)")
            )
    seq = sum(v[1] for (k, lb), v in results.items() if lb == "sequential+glossary")
    bat = sum(v[1] for (k, lb), v in results.items() if lb == "batched+glossary")
    print(f"batched − sequential WER (with glossary): {100 * (bat - seq) / len(recs):+.1f} points "
          f"(target within 1)")  # fmt: skip
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--matrix", action="store_true")
    ap.add_argument("--native", action="store_true", help="this CPU's own kernels")
    args = ap.parse_args()
    print("kernels:", " ".join(f"{k}={v}" for k, v in PINNED.items()) or "this CPU's own")
    if args.matrix:
        matrix()
        return
    folder = install_offline()
    tmp = Path(tempfile.mkdtemp())
    ws = open_workspace(fresh_study(tmp))
    engine = make_engine(ws.study)  # loads the model once
    direct = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=0)
    base = engine_options(ws)
    plain = replace(base, hotwords=None, glossary=())
    recs = rec_store.list_recordings(ws.db)
    ws.close()
    rows = []
    totals = {"direct": 0.0, "ours": 0.0, "ours+glossary": 0.0}
    audio_s = 0.0
    for rec in recs:
        ref = reference_text(str(REPO / "audio" / "reference" / f"{rec.key}.txt"))
        path = str(REPO / rec.path)
        best: dict[str, tuple[float, str]] = {}
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            segs, _info = direct.transcribe(
                path, language="ru", beam_size=5, word_timestamps=True, vad_filter=True,
                vad_parameters={"min_silence_duration_ms": 500},
            )  # fmt: skip
            text = " ".join(s.text for s in segs)
            dt = time.perf_counter() - t0
            if dt < best.get("direct", (1e9, ""))[0]:
                best["direct"] = (dt, text)
            for label, opts in (("ours", plain), ("ours+glossary", base)):
                w = open_workspace(fresh_study(tmp))
                r = rec_store.get_recording(w.db, rec.key)
                t0 = time.perf_counter()
                tr = transcribe_recording(w, r, engine, options=opts)
                dt = time.perf_counter() - t0
                w.close()
                if dt < best.get(label, (1e9, ""))[0]:
                    best[label] = (dt, tr.text)
        audio_s += rec.duration
        for label, (dt, text) in best.items():
            totals[label] += dt
            rows.append((rec.key, label, rec.duration / dt, wer(ref, text), cer(ref, text)))
    print(f"{'recording':<8} {'pipeline':<14} {'RTF(x)':>7} {'WER':>6} {'CER':>6}")
    for key, label, rtf, w, c in rows:
        print(f"{key:<8} {label:<14} {rtf:7.2f} {w:6.3f} {c:6.3f}")
    for label in totals:
        ws_ = [r[3] for r in rows if r[1] == label]
        cs_ = [r[4] for r in rows if r[1] == label]
        print(
            f"ALL      {label:<14} {audio_s / totals[label]:7.2f} {sum(ws_) / len(ws_):6.3f} {sum(cs_) / len(cs_):6.3f}"
        )
    print(
        f"overhead ratio ours/direct (same settings, no hotwords): {totals['ours'] / totals['direct']:.3f}  (target ≤ 1.05)"
    )
    print(f"overhead ratio ours+glossary/direct: {totals['ours+glossary'] / totals['direct']:.3f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
