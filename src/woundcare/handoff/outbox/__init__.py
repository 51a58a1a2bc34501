"""Delivery that never loses a record: the transactional outbox and its worker."""
