"""Start-up times of an installed dicom-desktop: wheel in a venv, standalone bundle, or both.

    python benchmarks/bench_startup.py --exe venv/bin/dicom-desktop --exe dist/dicom-desktop/dicom-desktop
    DISPLAY=:14 python benchmarks/bench_startup.py --exe … --window     # also the editor's window

For each program, median of --repeat runs, each a new process with a fresh HOME: ``validate``
(the headless start), ``screenshot`` (Qt, the window built and painted offscreen, PNG written)
and, with --window and an X display, the editor until its window is mapped (xdotool).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _env(home: Path, offscreen: bool) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    elif "DISPLAY" in os.environ:
        env["DISPLAY"] = os.environ["DISPLAY"]
    return env


def time_command(exe: str, args: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([exe, *args], cwd=tmp, env=_env(Path(tmp), True), check=True, capture_output=True,
                           timeout=300)
            runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def time_window(exe: str, repeat: int) -> float:
    """Launch the editor and wait until a window titled « … Éditeur d’organigrammes DICOM » is mapped."""
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            proc = subprocess.Popen([exe], cwd=tmp, env=_env(Path(tmp), False), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            try:
                subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(proc.pid)],
                               check=True, capture_output=True, timeout=120)
                runs.append(time.perf_counter() - start)
            finally:
                proc.kill()
                proc.wait()
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", action="append", required=True, help="a dicom-desktop program (repeatable)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--window", action="store_true", help="also time the editor's window (needs DISPLAY)")
    args = parser.parse_args()
    if args.window and not (os.environ.get("DISPLAY") and shutil.which("xdotool")):
        parser.error("--window needs an X display (DISPLAY) and xdotool")
    print("| programme | validate | screenshot | fenêtre de l’éditeur |")
    print("| --- | --- | --- | --- |")
    for exe in args.exe:
        validate = time_command(exe, ["validate"], args.repeat)
        shot = time_command(exe, ["screenshot", "-o", "capture.png"], args.repeat)
        window = f"{time_window(exe, args.repeat):.2f} s" if args.window else "—"
        print(f"| `{exe}` | {validate:.2f} s | {shot:.2f} s | {window} |", flush=True)


if __name__ == "__main__":
    main()
