"""dicom-desktop at scale: time every step from 100 to 100,000 entities, and Graphviz ``dot`` beside it.

    python benchmarks/run.py [--sizes 100 1000 10000 100000] [--repeat 5]
                             [--write docs/performance.md] [--skip-editor] [--skip-pdf] [--skip-dot]

Each figure is the median of ``--repeat`` runs, each run in a fresh Python process (cold caches,
as a user opening a file sees it); see ``_steps.py`` for what one run does. Steps whose module is
not there (the editor, the PDF export, the screenshot command) show « n/a (reason) » and the rest
of the table still fills in. The machine's core count, load average and library versions are
printed with the table: on a shared machine every figure is pessimistic.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from _steps import lift_size_cap  # noqa: E402
from generate import write_organisation  # noqa: E402

STEPS = HERE / "_steps.py"
DEFAULT_SIZES = [100, 1000, 10000, 100000]
EDITOR_MAX = 100_000  # the issue asks the editor to open 100,000 entities too
PDF_MAX = 10_000  # the notice of 100,000 entities is ~30,000 pages: not a core step
DOT_MAX = 10_000  # dot grows faster than linearly; beyond this it only times out
SHOT_MEMORY_MAX = 10_000  # peak RSS of the whole screenshot process, per entity
COMPARE_SIZE = 5000  # the size of the issue's « 200× faster than dot » targets


# ------------------------------------------------------------------------------ running steps
def _run_step(args: list[str], timeout: float, env: dict | None = None) -> dict:
    """Run ``_steps.py`` once; its last stdout line is JSON. Failures become {"error": ...}."""
    try:
        proc = subprocess.run([sys.executable, str(STEPS), *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s (timeout)"}
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {proc.returncode}: {tail[:160]}"}
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"error": f"unreadable output: {lines[-1][:160]}"}


def measure(step: str, file: Path, workdir: Path, repeat: int, timeout: float) -> dict:
    """Median of each numeric field over ``repeat`` fresh-process runs (stops at the first skip/error)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = [step, str(file)] + ([str(workdir)] if step in ("core", "pdf") else [])
    runs = []
    for _ in range(repeat):
        result = _run_step(args, timeout, env)
        if "skipped" in result or "error" in result:
            return result
        result["load_average"] = _load1()  # the 1-minute load average as the run ends, kept with its figure
        runs.append(result)
    merged: dict = {}
    for key, value in runs[0].items():
        values = [run.get(key) for run in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            merged[key] = statistics.median(values)
        else:
            merged[key] = value
    merged["runs"] = len(runs)
    return merged


def _load1() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


# ----------------------------------------------------------------------------------- graphviz
def write_dot(file: Path, out: Path) -> int:
    """The same tree for dot: one box per entity, same size and wrapped text as ours."""
    from dicom_desktop.chart.boxes import measure_boxes
    from dicom_desktop.files.storage import parse_organisation

    lift_size_cap(file)
    raw = file.read_bytes()
    data = parse_organisation(raw, file).data
    contents = measure_boxes((e.id, e.name, e.head_title, e.head_name, e.vacant) for e in data.entities)

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "digraph organisation {",
        '  graph [rankdir=TB, ordering=out, nodesep=0.22, ranksep=0.5];',
        '  node [shape=box, fontname="DejaVu Sans", fontsize=8, fixedsize=true];',
    ]
    for entity in data.entities:
        c = contents[entity.id]
        label = "\\n".join(quote(line)[1:-1] for line in (c.name_lines + c.subtitle_lines))
        lines.append(f'  {quote(entity.id)} [label="{label}", width={c.width / 72:.3f}, height={c.height / 72:.3f}];')
    for entity in data.entities:
        if entity.parent is not None:
            lines.append(f"  {quote(entity.parent)} -> {quote(entity.id)};")
    lines.append("}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(data.entities)


def time_command(cmd: list[str], timeout: float, repeat: int) -> float | str:
    """Median wall time of a whole process; « > N s » when it does not finish in time.

    Long runs (over 20 s) are not repeated: one run of a slow tool is already conclusive.
    """
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"> {timeout:.0f} s (timeout)"
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            return f"n/a (exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()[-120:]})"
        times.append(elapsed)
        if elapsed > 20:
            break
    return statistics.median(times)


def measure_dot(file: Path, workdir: Path, repeat: int, timeout: float) -> dict:
    dot = shutil.which("dot")
    if dot is None:
        return {"skipped": "Graphviz dot not installed (apt-get install graphviz)"}
    dot_file = workdir / (file.stem + ".dot")
    write_dot(file, dot_file)
    return {
        "dot_plain": time_command([dot, "-Tplain", str(dot_file), "-o", os.devnull], timeout, repeat),
        "dot_pdf": time_command([dot, "-Tpdf", str(dot_file), "-o", str(workdir / "dot.pdf")], timeout, repeat),
    }


def screenshot_available() -> str | None:
    """None when ``dicom-desktop screenshot`` exists, else why not."""
    try:
        import importlib

        importlib.import_module("dicom_desktop.ui.screenshot_command")
    except ImportError as exc:
        return f"screenshot command not there yet ({exc})"
    return None


def screenshot_command(file: Path, workdir: Path) -> list[str]:
    # This checkout's code, whatever is installed: ``-m`` from the repository root.
    return [sys.executable, "-m", "dicom_desktop", "screenshot", str(file), "-o", str(workdir / "screenshot.png")]


def measure_screenshot(file: Path, workdir: Path, repeat: int, timeout: float) -> float | str:
    reason = screenshot_available()
    if reason:
        return f"n/a ({reason})"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return time_command(screenshot_command(file, workdir), timeout, repeat)


def peak_rss(cmd: list[str], timeout: float) -> int | str:
    """Peak resident memory (bytes) of one whole process, from the kernel's accounting (wait4)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    try:
        _, status, usage = _wait4(proc.pid, timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"> {timeout:.0f} s (timeout)"
    if status != 0:
        return f"n/a (exit {status}: {proc.stderr.read().decode(errors='replace').strip()[-120:]})"
    return usage.ru_maxrss * 1024  # Linux: KiB


def _wait4(pid: int, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        found, status, usage = os.wait4(pid, os.WNOHANG)
        if found:
            return found, os.waitstatus_to_exitcode(status), usage
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(str(pid), timeout)
        time.sleep(0.02)


def screenshot_memory(file: Path, workdir: Path, repeat: int, timeout: float) -> dict:
    """The issue's second memory measure: peak RSS of the whole ``dicom-desktop screenshot`` of
    ``file`` minus that of the DICOM chart (the default file), per extra entity; alternating runs,
    median of each."""
    reason = screenshot_available()
    if reason:
        return {"skipped": reason}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from dicom_desktop.document import Document
    from dicom_desktop.files.paths import DEFAULT_ORGANISATION

    n_file = len(Document.open(file).graph)
    n_dicom = len(Document.open(DEFAULT_ORGANISATION).graph)
    base_cmd = [sys.executable, "-m", "dicom_desktop", "screenshot", "-o", str(workdir / "screenshot-dicom.png")]
    big, small = [], []
    for _ in range(repeat):
        for cmd, out in ((screenshot_command(file, workdir), big), (base_cmd, small)):
            peak = peak_rss(cmd, timeout)
            if isinstance(peak, str):
                return {"error": peak}
            out.append(peak)
    big_peak, small_peak = statistics.median(big), statistics.median(small)
    return {"shot_peak": big_peak, "shot_peak_dicom": small_peak,
            "shot_bytes_per_entity": (big_peak - small_peak) / max(1, n_file - n_dicom)}


def screenshot_against_dot(file: Path, workdir: Path, pairs: int, timeout: float) -> dict:
    """``dot -Tpdf`` and the whole ``dicom-desktop screenshot`` process, run in alternation
    (dot, ours, dot, ours…), so both see the same load on a shared machine; the ratio is the
    median of the per-pair ratios, with the load average of each pair."""
    reason = screenshot_available()
    dot = shutil.which("dot")
    if reason or dot is None:
        return {"shot_note": reason or "Graphviz dot not installed"}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    dot_file = workdir / (file.stem + ".dot")
    if not dot_file.exists():
        write_dot(file, dot_file)
    dot_cmd = [dot, "-Tpdf", str(dot_file), "-o", str(workdir / "dot.pdf")]
    ratios, dots, shots, loads = [], [], [], []
    for _ in range(pairs):
        theirs = time_command(dot_cmd, timeout, 1)
        ours = time_command(screenshot_command(file, workdir), timeout, 1)
        if isinstance(theirs, str) or isinstance(ours, str):
            return {"shot_note": theirs if isinstance(theirs, str) else ours}
        dots.append(theirs)
        shots.append(ours)
        ratios.append(theirs / ours)
        loads.append(_load1())
    return {"pair_dot_pdf": statistics.median(dots), "screenshot": statistics.median(shots),
            "pair_ratio": statistics.median(ratios), "pair_ratios": ratios, "pair_loads": loads}


# -------------------------------------------------------------------------------------- report
def fmt_time(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "–"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def fmt_ratio(num, den) -> str:
    if isinstance(num, str) and num.startswith(">") and isinstance(den, (int, float)) and den > 0:
        return f"> {float(num.split()[1]) / den:.0f}×"
    if not isinstance(num, (int, float)) or not isinstance(den, (int, float)) or den <= 0:
        return "–"
    return f"{num / den:.0f}×" if num / den >= 10 else f"{num / den:.1f}×"


def cell(result: dict, key: str, fmt=fmt_time) -> str:
    if not result:
        return "not run"
    if "skipped" in result:
        return f"n/a ({result['skipped']})"
    if "error" in result:
        return f"failed ({result['error']})"
    if key not in result:
        note = result.get(key + "_skipped") or result.get("drag_skipped")
        return f"n/a ({note})" if note else "–"
    return fmt(result[key])


def machine_header(load: tuple[float, float, float] | None = None) -> list[str]:
    import PySide6
    import pydantic

    try:
        from PySide6.QtCore import qVersion

        qt = qVersion()
    except ImportError:
        qt = "?"
    if load is None:
        load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=REPO).stdout.strip()
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip() if shutil.which("dot") else "absent"
    return [
        f"- Commit: `{commit or '?'}`{' (with uncommitted changes in the tree)' if dirty else ''}; "
        f"measured {time.strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {os.cpu_count()} cores ({platform.machine()}), load average at start "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min)",
        f"- Python {platform.python_version()}, PySide6 {PySide6.__version__} (Qt {qt}), pydantic {pydantic.__version__}, {dot}; "
        "the package's bytecode compiled beforehand, as an installed copy has it",
    ]


def build_report(sizes, core, editor, pdf, dots, compare, repeat, load_end, header=None, shots=None) -> str:
    shots = shots or {}
    head = "| Step | " + " | ".join(f"{n:,}".replace(",", " ") for n in sizes) + " | Target |"
    rule = "|---|" + "---|" * len(sizes) + "---|"
    rows = [head, rule]

    def row(label, source, key, target="", fmt=fmt_time):
        rows.append(f"| {label} | " + " | ".join(cell(source.get(n, {}), key, fmt) for n in sizes) + f" | {target} |")

    row("Load + validate (parse_organisation)", core, "load")
    row("Build graph (Document.from_file_model)", core, "graph")
    row("Box measurement (boxes.measure_boxes)", core, "measure")
    row("Layout (layout.compute_layout)", core, "layout")
    row("**Core total** (load → layout)", core, "core_total", "100 000: < 2 s")
    row("Save (Document.save, fsync)", core, "save", "10 000: < 150 ms")
    row("Chart width (plain tidy tree)", core, "chart_width_m", "", fmt=lambda v: f"{v:.1f} m")
    row("Choose compaction (layout.choose_compaction)", core, "choose_compaction")
    row("Layout with that compaction (as the editor draws it)", core, "compact_layout")
    row("Chart width (compact layout)", core, "compact_width_m", "", fmt=lambda v: f"{v:.1f} m")
    row("Chart height (compact layout)", core, "compact_height_m", "", fmt=lambda v: f"{v:.1f} m")
    row("Editor: open → first frame painted", editor, "first_paint", "10 000: < 1 s; 100 000: < 3 s")
    row("Editor: drop of a subtree → relayout painted", editor, "drop", "10 000: < 30 ms; 100 000: < 300 ms")
    row("Editor: mouse-move step while dragging (p95)", editor, "hover_p95", "10 000: < 16 ms")
    row("Editor: drop by a real mouse gesture → painted", editor, "drag_drop", "10 000: < 50 ms")
    row("Editor: drop-target halo + dirty-region repaint (p95)", editor, "halo_p95", "")
    row("Editor: zoom out to fit, repaint", editor, "zoom_fit", "10 000: < 33 ms")
    row("Editor: memory per entity (RSS)", editor, "bytes_per_entity", "10 000: < 4 KiB",
        fmt=lambda v: f"{v / 1024:.1f} KiB")
    row("`dicom-desktop screenshot`: peak RSS per entity (minus the DICOM chart's)", shots, "shot_bytes_per_entity",
        "10 000: < 4 KiB", fmt=lambda v: f"{v / 1024:.1f} KiB")
    row("`dicom-desktop screenshot`: peak RSS of the whole process", shots, "shot_peak", "",
        fmt=lambda v: f"{v / 2**20:.0f} MiB")
    row("Document in memory per entity (tracemalloc, live after open)", core, "doc_bytes_per_entity", "",
        fmt=lambda v: f"{v / 1024:.2f} KiB")
    row("Peak while reading per entity (tracemalloc: JSON + models)", core, "load_peak_bytes_per_entity", "",
        fmt=lambda v: f"{v / 1024:.2f} KiB")
    row("Load average (1 min) after the core runs (median)", core, "load_average", "", fmt=lambda v: f"{v:.1f}")
    row("Load average (1 min) after the editor runs (median)", editor, "load_average", "", fmt=lambda v: f"{v:.1f}")
    row("Load average (1 min) after the PDF runs (median)", pdf, "load_average", "", fmt=lambda v: f"{v:.1f}")
    row("PDF export (chart + notice)", pdf, "pdf", "10 000: < 8 s")
    row("PDF pages (chart pages)", pdf, "pages", "", fmt=lambda v: f"{v:.0f}")
    row("PDF notice speed", pdf, "pages_per_second", "≥ 150 pages/s", fmt=lambda v: f"{v:.0f} p/s")
    if not dots:
        rows.append("| Graphviz `dot` | " + " | ".join("not run (--skip-dot)" for _ in sizes) + " | |")
    else:
        _dot_rows(rows, sizes, core, editor, dots)

    out = ["## Measured table", "", *(header or machine_header()),
           f"- Load average at the end: {load_end[0]:.2f} / {load_end[1]:.2f} / {load_end[2]:.2f}. "
           "**Other work shared the cores during this run: treat every figure as pessimistic.**",
           f"- Each figure: median of {repeat} runs, each in a fresh process (editor at 100 000 and dot runs over 20 s: one run). "
           "Synthetic organisations from `benchmarks/generate.py` (seed 1).", "", *rows, ""]
    if compare:
        out += [f"### Against Graphviz at {compare.get('size', COMPARE_SIZE):,} entities".replace(",", " "), "",
                "| Measure | Ours | dot | Ratio | Target |", "|---|---|---|---|---|"]
        ours_layout = compare.get("ours_layout")
        out.append(f"| Layout (compute_layout) vs whole `dot -Tpdf` (the issue's reference times) | {fmt_time(ours_layout)} | "
                   f"{fmt_time(compare.get('dot_pdf'))} | {fmt_ratio(compare.get('dot_pdf'), ours_layout)} | ≥ 200× |")
        out.append(f"| Layout only (compute_layout) vs `dot -Tplain` | {fmt_time(ours_layout)} | {fmt_time(compare.get('dot_plain'))} | "
                   f"{fmt_ratio(compare.get('dot_plain'), ours_layout)} | (stricter) |")
        ours_ml = compare.get("ours_measure_layout")
        out.append(f"| Box measurement + layout vs `dot -Tplain` | {fmt_time(ours_ml)} | {fmt_time(compare.get('dot_plain'))} | "
                   f"{fmt_ratio(compare.get('dot_plain'), ours_ml)} | |")
        if "pair_ratio" in compare:
            loads = ", ".join(f"{load:.1f}" for load in compare["pair_loads"])
            each = ", ".join(f"{r:.1f}×" for r in compare["pair_ratios"])
            out.append(f"| Whole process `dicom-desktop screenshot` vs `dot -Tpdf`, 3 alternating pairs "
                       f"(pair ratios {each}; load {loads}) | {fmt_time(compare['screenshot'])} | "
                       f"{fmt_time(compare['pair_dot_pdf'])} | {compare['pair_ratio']:.1f}× | ≥ 15× |")
        else:
            out.append(f"| Whole process `dicom-desktop screenshot` vs `dot -Tpdf` | n/a ({compare.get('shot_note')}) | | | ≥ 15× |")
        out.append("")
    notes = []
    for n in sizes:
        capped = [r for r in (core.get(n), editor.get(n), pdf.get(n)) if r and r.get("size_cap_lifted")]
        if capped:
            size = (core.get(n) or {}).get("file_bytes", 0)
            count = f"{n:,}".replace(",", " ")
            notes.append(f"- {count} entities: the file ({size / 2**20:.0f} MiB) is over `storage.MAX_FILE_BYTES` "
                         f"({capped[0]['size_cap_lifted'] / 2**20:.0f} MiB), so the product refuses it today; the benchmark "
                         "lifted the cap to measure the steps.")
    notes += sorted({f"- Mouse-move column: {r['hover_note']}." for r in editor.values() if r.get("hover_note")})
    if notes:
        out += ["Notes:", "", *sorted(set(notes)), ""]
    return "\n".join(out)


def _dot_rows(rows, sizes, core, editor, dots) -> None:
    rows.append("| Graphviz `dot -Tplain` (layout only) | " + " | ".join(
        fmt_time(dots.get(n, {}).get("dot_plain")) if "skipped" not in dots.get(n, {}) else f"n/a ({dots[n]['skipped']})"
        for n in sizes) + " | |")
    rows.append("| Graphviz `dot -Tpdf` | " + " | ".join(
        fmt_time(dots.get(n, {}).get("dot_pdf")) if "skipped" not in dots.get(n, {}) else f"n/a ({dots[n]['skipped']})"
        for n in sizes) + " | |")
    rows.append("| Ratio `dot -Tpdf` / our layout | " + " | ".join(
        fmt_ratio(dots.get(n, {}).get("dot_pdf"), (core.get(n) or {}).get("layout")) for n in sizes) + " | 5 000: ≥ 200× |")
    rows.append("| Ratio `dot -Tplain` / our layout (stricter: dot without drawing) | " + " | ".join(
        fmt_ratio(dots.get(n, {}).get("dot_plain"), (core.get(n) or {}).get("layout")) for n in sizes) + " | |")
    rows.append("| Ratio dot -Tpdf / our first frame (open → painted) | " + " | ".join(
        fmt_ratio(dots.get(n, {}).get("dot_pdf"), (editor.get(n) or {}).get("first_paint")) for n in sizes) + " | |")


def _sum(result, *keys):
    if not result or any(not isinstance(result.get(k), (int, float)) for k in keys):
        return None
    return sum(result[k] for k in keys)


def write_doc(path: Path, table: str) -> None:
    """Replace the generated part of ``path`` (between markers), keeping the hand-written analysis."""
    begin, end = "<!-- benchmark table: begin (generated by benchmarks/run.py) -->", "<!-- benchmark table: end -->"
    block = f"{begin}\n{table}\n{end}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if begin in text and end in text:
            before, rest = text.split(begin, 1)
            after = rest.split(end, 1)[1]
            path.write_text(before + block + after, encoding="utf-8")
            return
        path.write_text(text.rstrip() + "\n\n" + block + "\n", encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Performance\n\n" + block + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------- main
def compile_bytecode() -> None:
    """Compile this checkout's modules once, as ``pip install`` does for a user (``__pycache__``
    folders, ignored by git).

    Without it, a machine that sets ``PYTHONDONTWRITEBYTECODE`` (this one does) compiles the
    ~130 modules from source in every fresh process — about 0.3 s of each ``screenshot`` — which
    no installed copy of the product does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "dicom_desktop")],
                   check=False, cwd=REPO, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of dicom-desktop against Graphviz dot.")
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median); default 5")
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file (e.g. docs/performance.md)")
    parser.add_argument("--skip-editor", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-dot", action="store_true")
    parser.add_argument("--dot-timeout", type=float, default=120.0, help="seconds before dot is declared too slow")
    parser.add_argument("--compare-size", type=int, default=COMPARE_SIZE,
                        help="size of the head-to-head with dot (0 to skip); default 5000")
    parser.add_argument("--workdir", type=Path, help="where the synthetic files go (default: a temporary folder)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dicom-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    load_start = os.getloadavg()
    header = machine_header(load_start)  # commit and load as the run starts
    print("\n".join(header), flush=True)

    def file_for(n: int) -> Path:
        path = workdir / f"org-{n}.json"
        if not path.exists():
            write_organisation(n, path, seed=1)
        return path

    core, editor, pdf, dots, shots = {}, {}, {}, {}, {}
    dot_timed_out_at = None
    for n in args.sizes:
        file = file_for(n)
        runs = repeat if n < 100_000 else max(1, min(repeat, 3))
        print(f"\n== {n} entities ({file.stat().st_size / 2**20:.1f} MiB)", flush=True)
        core[n] = measure("core", file, workdir, runs, timeout=600)
        print("  core  ", json.dumps(core[n]), flush=True)
        if not args.skip_editor and n <= EDITOR_MAX:
            editor[n] = measure("editor", file, workdir, runs if n < 100_000 else 1, timeout=900)
            print("  editor", json.dumps(editor[n]), flush=True)
        if not args.skip_editor and n <= SHOT_MEMORY_MAX:
            shots[n] = screenshot_memory(file, workdir, min(runs, 3), timeout=600)
            print("  shot  ", json.dumps(shots[n]), flush=True)
        if not args.skip_pdf and n <= PDF_MAX:
            pdf[n] = measure("pdf", file, workdir, max(1, min(runs, 3)), timeout=900)
            print("  pdf   ", json.dumps(pdf[n]), flush=True)
        if not args.skip_dot:
            if n > DOT_MAX or dot_timed_out_at is not None:
                why = f"timed out at {dot_timed_out_at:,}" if dot_timed_out_at else f"not run above {DOT_MAX:,}"
                dots[n] = {"skipped": why.replace(",", " ")}
            else:
                dots[n] = measure_dot(file, workdir, max(1, min(runs, 3)), args.dot_timeout)
                if any(isinstance(v, str) and v.startswith(">") for v in dots[n].values()):
                    dot_timed_out_at = n
            print("  dot   ", json.dumps(dots[n]), flush=True)

    compare: dict = {}
    if args.compare_size and not args.skip_dot and shutil.which("dot"):
        n = args.compare_size
        file = file_for(n)
        print(f"\n== head-to-head with dot at {n} entities", flush=True)
        ours = measure("core", file, workdir, repeat, timeout=600)
        if "layout" in ours:
            compare["ours_layout"] = ours["layout"]
            compare["ours_measure_layout"] = ours["layout"] + ours["measure"]
        compare.update(measure_dot(file, workdir, max(1, min(repeat, 3)), args.dot_timeout))
        compare["size"] = n
        compare.update(screenshot_against_dot(file, workdir, 3, timeout=300))
        print("  ", json.dumps(compare), flush=True)

    table = build_report(args.sizes, core, editor, pdf, dots, compare, repeat, os.getloadavg(), header, shots)
    print("\n" + table)
    if load_start[0] > (os.cpu_count() or 1) * 0.5:
        print(f"(load average was {load_start[0]:.2f} at start: figures are pessimistic)")
    if args.write:
        write_doc(args.write, table)
        print(f"\nTable written to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
