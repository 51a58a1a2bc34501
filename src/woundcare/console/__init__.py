"""The clinician console: static ES modules served by the app (no build step)."""
