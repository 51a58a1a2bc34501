"""Text the system can be trusted with (issue 9): one command prints every figure.

    .venv/bin/python benchmarks/text_trust.py [--quick]

Intake (woundcare.intake.evaluation.intake_sections): parser precision and recall per field
on the development and held-out corpora, injection/negation cases that changed the record's
consent (must be 0), OCR character accuracy on generated letter pages, word error rate on
generated speech. The guardrail section is added by its own function.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from woundcare.intake.evaluation import intake_sections  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages and notes")
    args = parser.parse_args()
    for line in intake_sections(ROOT, quick=args.quick):
        print(line, flush=True)


if __name__ == "__main__":
    main()
