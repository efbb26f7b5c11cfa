"""Team coding: inter-coder agreement (κ, α), adjudication into consensus, moving a coder's layer between machines."""
