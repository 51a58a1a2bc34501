"""Adapters that implement the workflow's ports with real cryptography and storage."""
