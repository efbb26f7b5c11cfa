"""qualtool: offline-first qualitative research for interview and focus-group studies."""

__version__ = "0.1.0"
