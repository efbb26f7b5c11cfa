"""The command line: batch work over a study, one clear line per error."""
