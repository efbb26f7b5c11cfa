"""Auto-coding suggestions for a coder to accept or reject."""
