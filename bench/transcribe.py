"""Transcription: qualtool's pipeline vs calling faster-whisper directly, same audio, same model,
same process. Prints real-time factors, the overhead ratio (target ≤ 1.05), WER/CER against the
fixtures' reference texts (target: no worse than direct; hotwords should help) and peak memory.

Usage: python bench/transcribe.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from faster_whisper import WhisperModel

from qualtool.store import recordings as rec_store
from qualtool.transcribe.metrics import cer, reference_text, wer
from qualtool.transcribe.model import install_offline
from qualtool.transcribe.run import engine_options, make_engine, transcribe_recording
from qualtool.workspace.study import open_workspace

REPO = Path(__file__).resolve().parent.parent


def fresh_study(tmp: Path) -> Path:
    root = tmp / f"s{time.monotonic_ns()}"
    root.mkdir()
    shutil.copy(REPO / "study.toml", root)
    shutil.copytree(REPO / "audio", root / "audio")
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    (root / "transcripts").mkdir()
    return root


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    folder = install_offline()
    tmp = Path(tempfile.mkdtemp())
    ws = open_workspace(fresh_study(tmp))
    engine = make_engine(ws.study)  # loads the model once
    direct = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=0)
    base = engine_options(ws)
    plain = replace(base, hotwords=None)
    recs = rec_store.list_recordings(ws.db)
    ws.close()
    rows = []
    totals = {"direct": 0.0, "ours": 0.0, "ours+hotwords": 0.0}
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
            for label, opts in (("ours", plain), ("ours+hotwords", base)):
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
    print(f"overhead ratio ours+hotwords/direct: {totals['ours+hotwords'] / totals['direct']:.3f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
