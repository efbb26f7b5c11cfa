"""Recordings: import, probe and checksum, text-only corpora, playback."""
