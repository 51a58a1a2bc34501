"""Command groups of the ``woundcare`` CLI, one module each (registered in ``woundcare.cli``)."""
