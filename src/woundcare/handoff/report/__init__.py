"""The PDF report of a signed visit (ReportLab, charts by matplotlib): pure, record in,
bytes out."""

from woundcare.handoff.report.pdf import render_report

__all__ = ["render_report"]
