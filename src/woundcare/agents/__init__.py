"""The agents: one per workflow step, each with a versioned prompt file beside it."""
