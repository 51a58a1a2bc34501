"""Hand-off of a signed, exported visit: the FHIR R4 bundle, the PDF report, and their
delivery. ``fhir`` and ``report`` are pure mappings from the record; ``outbox`` delivers."""
