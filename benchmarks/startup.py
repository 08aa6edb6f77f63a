"""Start-up benchmark: the unlock window beside a minimal PySide6 window, and the case list.

    python benchmarks/startup.py [--sessions 100000] [--runs 9]

1. Time from process start to the unlock window shown, against a minimal PySide6 window in
   the same run (target: within 1.5x).
2. Time from passphrase entered to the case list shown, with N screening sessions in the
   workspace, split into unlocking (Argon2id + SQLCipher) and showing the list (target: the
   list within 0.5 s after unlock). The passphrase is entered 3 s after start, as a person
   would, so the background warm-up has run.
The N-session workspace is built once and kept in benchmarks/out/ (reused on later runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
PASSPHRASE = "benchmark passphrase"

MINIMAL = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("Practitioner Toolkit")
label.resize(1200, 800)
label.show()
app.processEvents()
print("shown", flush=True)
"""

APP = """
import sys
from PySide6.QtWidgets import QApplication
from practitioner_toolkit.ui import build_window
window = build_window(sys.argv)
window.show()
QApplication.processEvents()
print("shown", flush=True)
window.ctx.ops.wait_idle()
"""


def time_to_shown(code: str, env: dict[str, str], command: list[str] | None = None) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        command or [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "shown":
            elapsed = time.perf_counter() - started
            break
    else:
        raise RuntimeError("the window was never shown")
    process.wait()
    return elapsed


def build_workspace(data_dir: Path, sessions: int) -> Path:
    from practitioner_toolkit.store import Interpreter, IntervieweeDetails, Workspace

    folder = data_dir / "workspaces" / f"bench-{sessions}"
    if (folder / "keyring.json").exists():
        return folder
    print(f"building a workspace with {sessions:,} sessions (once) ...", flush=True)
    ws, _code = Workspace.create(
        folder,
        name="Benchmark post",
        username="bench",
        display_name="Bench",
        passphrase=PASSPHRASE,
    )
    for first in range(0, sessions, 1000):
        with ws.bulk():
            for index in range(first, min(first + 1000, sessions)):
                case = ws.cases.open_case(
                    IntervieweeDetails(alias=f"person {index}"), post="Mae Sot"
                )
                ws.cases.record_screening(
                    case.id,
                    "adult-screening",
                    "1.0.0",
                    "en",
                    "km",
                    Interpreter(True, "km"),
                    {f"q{q}": "yes" if (q + index) % 3 else "no" for q in range(39)}
                    | {"story": f"story {index} passport broker"},
                    search_texts={"story": f"story {index} passport broker"},
                )
    ws.lock()
    return folder


def unlock_to_case_list(data_dir: Path) -> tuple[float, float]:
    os.environ["PTK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from practitioner_toolkit.ui import build_window

    window = build_window([])
    window.show()  # type: ignore[attr-defined]
    app = QApplication.instance()
    assert app is not None
    # A person takes a few seconds to type a passphrase; the app warms up meanwhile.
    warm_until = time.perf_counter() + 3
    while time.perf_counter() < warm_until:
        app.processEvents()
        time.sleep(0.01)
    window.ctx.ops.wait_idle()  # type: ignore[attr-defined]
    page = window.unlock_page  # type: ignore[attr-defined]
    marks: dict[str, float] = {}
    window.ctx.signals.workspace_unlocked.connect(  # type: ignore[attr-defined]
        lambda: marks.setdefault("unlocked", time.perf_counter())
    )
    page.passphrase.setText(PASSPHRASE)
    started = time.perf_counter()
    page._unlock()
    cases = None
    while True:
        app.processEvents()
        if "unlocked" in marks:
            cases = window.cases_page  # type: ignore[attr-defined]
            if cases.model.cases:
                break
        if time.perf_counter() - started > 60:
            raise RuntimeError("the case list never appeared")
        time.sleep(0.001)
    shown = time.perf_counter()
    window.lock()  # type: ignore[attr-defined]
    return marks["unlocked"] - started, shown - marks["unlocked"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--built", type=Path, help="also time a PyInstaller build (dist/PractitionerToolkit)"
    )
    args = parser.parse_args(argv)
    data_dir = OUT / "startup-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PTK_DATA_DIR": str(data_dir)}
    # An installed app runs from compiled bytecode (the packaged build bundles it); let the
    # warm-up run write the .pyc files rather than compile every module on every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    build_workspace(data_dir, args.sessions)
    time_to_shown(APP, env)  # warm the file cache and .pyc files once
    # Interleaved, so that both see the same machine (a shared VM's speed drifts).
    minimal: list[float] = []
    app: list[float] = []
    for _ in range(args.runs):
        minimal.append(time_to_shown(MINIMAL, env))
        app.append(time_to_shown(APP, env))
    built = []
    if args.built:
        program = [str(args.built / "PractitionerToolkit")]
        probe = {**env, "PTK_STARTUP_PROBE": "1"}
        time_to_shown("", probe, program)
        built = [time_to_shown("", probe, program) for _ in range(args.runs)]
    unlock, listing = unlock_to_case_list(data_dir)
    print(f"process start to window shown (median of {args.runs}):")
    print(f"  minimal PySide6 window   {statistics.median(minimal) * 1000:8.0f} ms")
    print(f"  Practitioner Toolkit     {statistics.median(app) * 1000:8.0f} ms")
    print(f"  ratio                    {statistics.median(app) / statistics.median(minimal):8.2f}")
    if built:
        print(f"  packaged build           {statistics.median(built) * 1000:8.0f} ms")
    print(f"passphrase to case list, {args.sessions:,} sessions:")
    print(f"  unlock (Argon2id + open) {unlock * 1000:8.0f} ms")
    print(f"  case list shown after    {listing * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
