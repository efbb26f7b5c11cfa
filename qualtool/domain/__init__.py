"""Pure data: dataclasses and functions with no I/O. Every other layer speaks these types."""

from qualtool.domain.codebook import BarrierType, Code, Codebook, Example, Polarity
from qualtool.domain.coding import Coder, Coding, Memo, Proposal, Provenance
from qualtool.domain.recording import Language, Method, Participant, Recording, Role
from qualtool.domain.transcript import Segment, Transcript, TranscriptStatus, Word

__all__ = [
    "BarrierType",
    "Code",
    "Codebook",
    "Coder",
    "Coding",
    "Example",
    "Language",
    "Memo",
    "Method",
    "Participant",
    "Polarity",
    "Proposal",
    "Provenance",
    "Recording",
    "Role",
    "Segment",
    "Transcript",
    "TranscriptStatus",
    "Word",
]
