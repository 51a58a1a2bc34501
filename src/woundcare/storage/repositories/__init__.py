"""Repositories for the non-case tables. Each takes ``(conn, identity)`` and scopes every
statement to the identity in the application, independently of PostgreSQL RLS."""
