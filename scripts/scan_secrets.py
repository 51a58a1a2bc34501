#!/usr/bin/env python3
"""Secret scanning with detect-secrets against the reviewed baseline (``.secrets.baseline``).

    python scripts/scan_secrets.py            # the tracked files and every commit's changes
    python scripts/scan_secrets.py --tree     # the tracked files only
    python scripts/scan_secrets.py --history  # every file version any commit of HEAD added
    python scripts/scan_secrets.py --update-baseline   # rewrite the baseline (then review it)

A finding passes only if the baseline holds it for that file (same type and secret hash) and
a reviewer marked it ``"is_secret": false`` (``detect-secrets audit .secrets.baseline``). The
history scan reads each file version once (by blob id) from ``git cat-file --batch`` and scans
it under its own path, so a secret committed and later deleted is still found. Exit status:
0 clean, 1 unreviewed or new findings, 2 usage or git errors.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / ".secrets.baseline"
MAX_BYTES = 2_000_000

Finding = tuple[str, str, str]  # (path, type, hashed secret)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def _configure(baseline: dict[str, object]) -> None:
    from detect_secrets.core.baseline import configure_settings_from_baseline

    configure_settings_from_baseline(baseline, filename=str(BASELINE))


def _scan_chunk(args: tuple[dict[str, object], list[tuple[str, str]]]
                ) -> list[tuple[str, str, str, int]]:
    """Scan files in a worker process (detect-secrets' settings are per process)."""
    from detect_secrets import SecretsCollection

    baseline, files = args
    _configure(baseline)
    found = []
    for reported, name in files:
        path = Path(name)
        collection = SecretsCollection(root=str(path.parent))
        collection.scan_file(path.name)
        for _, secret in collection:
            found.append((reported, secret.type, secret.secret_hash, secret.line_number or 0))
    return found


def _scan(paths: Iterable[tuple[str, Path]]) -> Iterator[tuple[str, str, str, int]]:
    """(reported path, type, hash, line) for every secret in the given files, scanned in
    parallel on the machine's cores."""
    files = [(reported, str(path)) for reported, path in paths]
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    workers = max(1, min(4, os.cpu_count() or 1))
    chunks = [(baseline, files[i::workers]) for i in range(workers)]
    if workers == 1:
        yield from _scan_chunk(chunks[0])
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for found in pool.map(_scan_chunk, chunks):
            yield from found


def tracked_files() -> list[tuple[str, Path]]:
    files = []
    for line in git("ls-files").splitlines():
        path = ROOT / line
        if line and path.is_file() and path.stat().st_size <= MAX_BYTES \
                and path.name != BASELINE.name:
            files.append((line, path))
    return files


def history_blobs() -> list[tuple[str, str]]:
    """(path, blob id) of every file version a commit of HEAD added or changed, each once,
    leaving out versions still in the tree (the tree scan reads those)."""
    seen: dict[str, str] = {}
    for line in git("ls-files", "-s").splitlines():  # "<mode> <blob> <stage>\t<path>"
        meta, _, path = line.partition("\t")
        seen[meta.split()[1]] = ""
    out = git("log", "HEAD", "--format=", "--raw", "--no-abbrev", "--no-renames")
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        fields = meta.split()
        if len(fields) >= 5 and fields[4] in ("A", "M") and path != BASELINE.name:
            seen.setdefault(fields[3], path)
    return [(path, blob) for blob, path in seen.items() if path]


def _read_blobs(blobs: list[tuple[str, str]], into: Path) -> list[tuple[str, Path]]:
    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None
    assert process.stdout is not None
    files = []
    for index, (path, blob) in enumerate(blobs):
        process.stdin.write(blob.encode() + b"\n")
        process.stdin.flush()
        header = process.stdout.readline().split()
        size = int(header[2])
        data = process.stdout.read(size)
        process.stdout.read(1)
        if size > MAX_BYTES or b"\0" in data[:8000]:
            continue
        target = into / str(index) / path  # the real name: filters look at file names
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files.append((path, target))
    process.stdin.close()
    process.wait()
    return files


def scan_tree() -> tuple[int, list[tuple[str, str, str, int]]]:
    files = tracked_files()
    return len(files), list(_scan(files))


def scan_history() -> tuple[int, int, list[tuple[str, str, str, int]]]:
    commits = len(git("rev-list", "HEAD").split())
    blobs = history_blobs()
    with tempfile.TemporaryDirectory(prefix="woundcare-secrets-") as tmp:
        files = _read_blobs(blobs, Path(tmp))
        return commits, len(files), list(_scan(files))


def reviewed(baseline: dict[str, object]) -> tuple[set[Finding], list[str]]:
    """The findings a reviewer cleared, and the baseline entries nobody reviewed yet."""
    cleared: set[Finding] = set()
    unreviewed: list[str] = []
    results = baseline.get("results", {})
    assert isinstance(results, dict)
    for path, entries in results.items():
        for entry in entries:
            if entry.get("is_secret") is False:
                cleared.add((path, entry["type"], entry["hashed_secret"]))
            else:
                unreviewed.append(f"{path}:{entry.get('line_number')} {entry['type']}")
    return cleared, unreviewed


def update_baseline(findings: list[tuple[str, str, str, int]]) -> None:
    """Write every finding into the baseline, keeping earlier reviews; new ones unreviewed."""
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else _fresh_baseline()
    old = {(p, e["type"], e["hashed_secret"]): e for p, es in baseline["results"].items()
           for e in es}
    results: dict[str, list[dict[str, object]]] = {}
    for path, kind, digest, line in sorted(set(findings)):
        entry = dict(old.get((path, kind, digest), {}))
        entry.update({"type": kind, "filename": path, "hashed_secret": digest,
                      "is_verified": False})
        entry.setdefault("line_number", line)
        if all(e["hashed_secret"] != digest or e["type"] != kind
               for e in results.get(path, [])):
            results.setdefault(path, []).append(entry)
    baseline["results"] = results
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")


def _fresh_baseline() -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "detect_secrets", "scan", "--no-verify",
                          "/dev/null"], cwd=ROOT, capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(out.stdout)
    data["results"] = {}
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="store_true", help="tracked files only")
    parser.add_argument("--history", action="store_true", help="every commit's versions only")
    parser.add_argument("--update-baseline", action="store_true")
    parser.add_argument("--root", type=Path, default=None, help="the repository to scan")
    args = parser.parse_args(argv)
    global ROOT, BASELINE
    ROOT = (args.root or ROOT).resolve()
    BASELINE = ROOT / ".secrets.baseline"
    both = not (args.tree or args.history)
    if not BASELINE.exists() and not args.update_baseline:
        print(f"no baseline at {BASELINE}", file=sys.stderr)
        return 2
    _configure(json.loads(BASELINE.read_text()) if BASELINE.exists() else {})
    findings: list[tuple[str, str, str, int]] = []
    try:
        if args.tree or both:
            count, found = scan_tree()
            print(f"secret scan: {count} tracked files, {len(found)} finding(s)")
            findings += found
        if args.history or both:
            commits, blobs, found = scan_history()
            print(f"secret scan: history of {commits} commits, {blobs} file versions, "
                  f"{len(found)} finding(s)")
            findings += found
    except subprocess.CalledProcessError as exc:
        print(f"git failed: {exc}", file=sys.stderr)
        return 2
    if args.update_baseline:
        update_baseline(findings)
        print(f"baseline written: {BASELINE.name}; review it with "
              "`detect-secrets audit .secrets.baseline`")
        return 0
    cleared, unreviewed = reviewed(json.loads(BASELINE.read_text()))
    new = sorted({(p, k, h, n) for p, k, h, n in findings if (p, k, h) not in cleared})
    for path, kind, _, line in new:
        print(f"  NEW SECRET? {path}:{line} {kind} (not cleared in .secrets.baseline)")
    for entry in unreviewed:
        print(f"  UNREVIEWED baseline entry: {entry}")
    if new or unreviewed:
        print(f"secret scan FAILED: {len(new)} new, {len(unreviewed)} unreviewed")
        return 1
    print(f"secret scan passed: all {len(findings)} finding(s) reviewed in the baseline "
          "(none is a secret)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
