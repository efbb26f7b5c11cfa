"""An open study: its files and the database cache kept in step (sync files → database, write database → files)."""
