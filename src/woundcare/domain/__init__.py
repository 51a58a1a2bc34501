"""Pure domain: the case record, the workflow's states, events and guards, provenance.

Nothing here imports the web, the database or cryptography.
"""
