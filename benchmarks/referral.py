"""Time per referral PDF, per language, shaped (HarfBuzz + ICU) beside the same form unshaped.

Run from the repository root: ``.venv/bin/python benchmarks/referral.py [--batch 500]``.

It makes a throw-away workspace in a temporary folder with the test suite's sample data
(tests/referral/samples.py: one referral per language, every script's tricky clusters),
then measures:

- per language: the full public call ``export_referral_pdf`` (store reads, layout, PDF,
  atomic write, audit entry), and the same document drawn with and without shaping;
- a batch of N exports (cycling through the languages), shaped and unshaped.

Target (issue "Referral PDFs in nine languages"): under 150 ms per referral with shaping.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.referral.samples (benchmark data only)

from tests.referral.samples import LANGUAGES, make_referral, registry  # noqa: E402

from practitioner_toolkit.referral import ReferralPdfOptions, export_referral_pdf  # noqa: E402
from practitioner_toolkit.referral.document import build_document  # noqa: E402
from practitioner_toolkit.referral.export import render_referral  # noqa: E402
from practitioner_toolkit.store import KdfParams, Workspace  # noqa: E402
from practitioner_toolkit.store.atomic import atomic_write_bytes  # noqa: E402

TARGET_MS = 150.0


def _timed(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU time is steadier on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=500, help="exports in the batch")
    parser.add_argument("--repeats", type=int, default=9, help="runs per language (median)")
    args = parser.parse_args()

    forms = registry()
    with tempfile.TemporaryDirectory(prefix="ptk-bench-") as tmp:
        folder = Path(tmp)
        workspace, _ = Workspace.create(
            folder / "ws",
            name="Benchmark post",
            username="bench",
            display_name="Benchmark",
            passphrase="benchmark passphrase",
            kdf=KdfParams.fast_for_tests(),
        )
        try:
            referrals = {lang: make_referral(workspace, lang).id for lang in LANGUAGES}
            out = folder / "out.pdf"

            def export(lang: str) -> None:
                """The public call, as the app makes it."""
                options = ReferralPdfOptions(lang)
                export_referral_pdf(workspace, forms, referrals[lang], out, options)

            def draw(lang: str, shaped: bool) -> None:
                """The same form, shaped or not: store reads, layout, PDF, atomic write."""
                document = build_document(workspace, forms, referrals[lang])
                data = render_referral(document, ReferralPdfOptions(lang), shaped=shaped)
                atomic_write_bytes(out, data)

            export("km")  # loads the fonts once (about 0.1 s), like the app's first export

            print("per referral, median of", args.repeats, "(ms; wall clock / CPU)")
            print(f"{'lang':<5} {'export':>15} {'shaped':>15} {'unshaped':>15} {'ratio':>6}")
            worst = 0.0
            for lang in LANGUAGES:
                full = _timed(partial(export, lang), args.repeats)
                shaped = _timed(partial(draw, lang, True), args.repeats)
                plain = _timed(partial(draw, lang, False), args.repeats)
                worst = max(worst, full[0])
                cells = " ".join(f"{w:>7.1f} /{c:>6.1f}" for w, c in (full, shaped, plain))
                print(f"{lang:<5} {cells} {shaped[1] / plain[1]:>6.2f}")

            order = [LANGUAGES[i % len(LANGUAGES)] for i in range(args.batch)]
            print()
            print(f"batch of {args.batch} (all nine languages in turn):")
            results = {}
            for name, action in (
                ("export", export),
                ("shaped", lambda lang: draw(lang, True)),
                ("unshaped", lambda lang: draw(lang, False)),
            ):
                started, started_cpu = time.perf_counter(), time.process_time()
                for lang in order:
                    action(lang)
                wall = time.perf_counter() - started
                cpu = time.process_time() - started_cpu
                results[name] = (wall, cpu)
                print(
                    f"  {name:<9} {wall:6.1f} s wall, {cpu:6.1f} s CPU: "
                    f"{wall / args.batch * 1000:6.1f} ms / {cpu / args.batch * 1000:6.1f} ms each"
                )
            ratio = results["shaped"][1] / results["unshaped"][1]
            print(f"  shaped / unshaped (CPU): {ratio:.2f}")
            verdict = "within" if worst < TARGET_MS else "OVER"
            print(
                f"slowest language: {worst:.1f} ms wall per export ({verdict} {TARGET_MS:.0f} ms)"
            )
        finally:
            workspace.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main())
