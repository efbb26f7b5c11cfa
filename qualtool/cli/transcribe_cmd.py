"""Transcription commands (filled in by the transcription service)."""

COMMANDS: list = []
