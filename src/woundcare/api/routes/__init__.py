"""Route modules, one per area: auth, admin, cases, session (case steps), artifacts, ops."""
