"""Finding what identifies a person and pseudonymising it, with the originals kept in the owner's vault."""
