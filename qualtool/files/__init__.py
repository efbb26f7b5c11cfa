"""The study's plain files (study.toml, recordings.yml, codebook YAML, transcript formats): read and written here, no database."""
