"""The workflow engine: runs agents, applies transitions, autosaves with provenance."""
