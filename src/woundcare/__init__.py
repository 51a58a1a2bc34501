"""woundcare: a privacy-first, clinician-guided wound-care intake orchestrator.

Layers, inner to outer: ``domain`` (pure models and rules) → ``workflow`` and ``agents`` →
``crypto``/``blobs``/``storage`` (adapters) → ``api`` (HTTP) → ``console`` (static UI).
"""

__version__ = "0.1.0"
