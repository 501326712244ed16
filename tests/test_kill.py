"""Kill a saving process with SIGKILL at random moments: the file on disk is always whole.

A helper process (``python -c``, which imports dicom_desktop.files.storage and recovery once) forks a
writer for each trial. The writer saves alternately two different versions of a ~2,000-entity
organisation in a loop — through ``atomic.atomic_write`` (the document, with its .bak) or through
``recovery.write_recovery`` (the autosave snapshot) — and is SIGKILLed after a random delay. After
each kill the test checks that the file is exactly the old or the new version, complete and
valid. 250 kills during document saves, 250 during autosaves; counts are printed.

Forking from a warm helper instead of starting Python 500 times keeps the whole test to well under
a minute on two cores.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from dicom_desktop.files.recovery import read_recovery
from dicom_desktop.files.atomic import backup_path
from dicom_desktop.files.storage import dump_organisation, parse_organisation
from dicom_desktop.synthetic import generate_organisation

TRIALS_PER_KIND = 250
ENTITIES = 2000
MAX_WRITER_SECONDS = 20  # a writer that outlives this (test process gone) stops by itself

# The helper: reads "doc 0|1" or "rec 0|1" lines; forks a writer that loops, starting with that
# version; prints the writer's pid. Children are reaped automatically (SIGCHLD ignored).
HELPER = r"""
import os, signal, sys, time
from pathlib import Path
from dicom_desktop.files.atomic import atomic_write
from dicom_desktop.files.recovery import write_recovery

work = Path(sys.argv[1])
versions = [(work / "a.json").read_bytes(), (work / "b.json").read_bytes()]
document = work / "organigramme.json"
data_dir = work / "data"
snapshot = Path(sys.argv[2])
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
helper = os.getpid()
print("ready", flush=True)
for line in sys.stdin:
    what, first = line.split()
    pid = os.fork()
    if pid == 0:
        try:
            deadline = time.monotonic() + float(sys.argv[3])
            i = int(first)
            while time.monotonic() < deadline and os.getppid() == helper:
                if what == "doc":
                    atomic_write(document, versions[i % 2])
                else:
                    write_recovery(data_dir, versions[i % 2], document, path=snapshot)
                i += 1
        finally:
            os._exit(0)
    print(pid, flush=True)
"""


def _wait_gone(pid: int, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.001)
    raise AssertionError(f"writer {pid} still alive after SIGKILL")


def _embedded_document(raw: bytes) -> bytes:
    """The document bytes inside a recovery snapshot (see recovery.snapshot_bytes)."""
    marker = b',\n  "document": '
    start = raw.index(marker) + len(marker)
    assert raw.endswith(b"\n}\n")
    return raw[start:-3] + b"\n"


@pytest.mark.slow
def test_sigkill_during_saves_and_autosaves_never_corrupts(tmp_path, request):
    seed = int(os.environ.get("KILL_TEST_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    old = generate_organisation(ENTITIES, seed=1)
    versions = [dump_organisation(old), dump_organisation(generate_organisation(ENTITIES, seed=2))]
    assert versions[0] != versions[1]
    (tmp_path / "a.json").write_bytes(versions[0])
    (tmp_path / "b.json").write_bytes(versions[1])
    document = tmp_path / "organigramme.json"
    document.write_bytes(versions[0])
    snapshot = tmp_path / "data" / "recovery" / "organigramme-test.recovery.json"

    helper = subprocess.Popen(
        [sys.executable, "-c", HELPER, str(tmp_path), str(snapshot), str(MAX_WRITER_SECONDS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    counts: Counter = Counter()
    started = time.monotonic()
    try:
        assert helper.stdout.readline().strip() == "ready"
        plan = ["doc"] * TRIALS_PER_KIND + ["rec"] * TRIALS_PER_KIND
        rng.shuffle(plan)
        current = {"doc": 0, "rec": None}
        for what in plan:
            target = document if what == "doc" else snapshot
            before = current[what]
            first = 1 - before if before is not None else 0  # first write: the other version
            helper.stdin.write(f"{what} {first}\n")
            helper.stdin.flush()
            pid = int(helper.stdout.readline())
            time.sleep(rng.uniform(0, 0.05))  # one save of 1.6 Mo + fsync takes ~5-30 ms here
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
            counts[f"{what} kills"] += 1

            if not target.exists():  # killed before the very first snapshot landed
                assert what == "rec" and before is None
                counts[f"{what} nothing yet"] += 1
                continue
            raw = target.read_bytes()
            body = raw if what == "doc" else _embedded_document(raw)
            if body == versions[0]:
                now = 0
            elif body == versions[1]:
                now = 1
            else:
                counts[f"{what} corrupt"] += 1
                pytest.fail(f"corrupt file after kill #{counts[f'{what} kills']} (seed {seed}): {len(raw)} bytes")
            # Complete and valid, through the real readers.
            if what == "doc":
                parse_organisation(raw, target)
                bak = backup_path(document)
                if bak.exists():
                    assert bak.read_bytes() in versions, "the .bak is not a whole version"
            else:
                read_recovery(target)
            counts[f"{what} {'old' if now == before else 'new'}"] += 1
            current[what] = now
            leftovers = [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
            if leftovers:
                counts[f"{what} killed mid-write"] += 1  # proof the kills land inside saves
                for leftover in leftovers:
                    leftover.unlink()
    finally:
        helper.stdin.close()
        helper.kill()
        helper.wait()
        helper.stdout.close()

    elapsed = time.monotonic() - started
    summary = (
        f"kill test (seed {seed}, {ENTITIES} entities, {elapsed:.0f} s): "
        f"document saves: {counts['doc kills']} kills → old {counts['doc old']}, new {counts['doc new']}, "
        f"corrupt {counts['doc corrupt']} (killed mid-write: {counts['doc killed mid-write']}); "
        f"autosaves: {counts['rec kills']} kills → old {counts['rec old']}, new {counts['rec new']}, "
        f"nothing yet {counts['rec nothing yet']}, corrupt {counts['rec corrupt']} "
        f"(killed mid-write: {counts['rec killed mid-write']})"
    )
    print(summary)
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:  # visible in the CI log even without -s
        with capture.global_and_fixture_disabled():
            print(f"\n[test_kill] {summary}")
    assert counts["doc kills"] == counts["rec kills"] == TRIALS_PER_KIND
    assert counts["doc corrupt"] == counts["rec corrupt"] == 0
    # The random delays must really have hit saves in progress, and let some complete.
    assert counts["doc killed mid-write"] > 0 and counts["rec killed mid-write"] > 0
    assert counts["doc new"] > 0 and counts["rec new"] > 0
