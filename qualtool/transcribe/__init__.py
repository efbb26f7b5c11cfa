"""Speech to timestamped segments: model resolution, the faster-whisper engine, resumable runs,
transcript file formats and the review heuristics (speakers, confidence flags)."""
