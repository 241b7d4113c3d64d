"""P1 in instructions: `.venv/bin/python bench/instructions.py [--calls N] [--peer-calls M]`.

On a shared machine the wall clock of one decision varies severalfold from round to round; the
number of instructions it executes does not. Each case runs this file under valgrind's
callgrind twice, with no calls and with N calls (after the same warm-up), and the difference
divided by N is the instructions per call: guardpath's decision with its explanation read (P1),
without reading it, parsing alone, and OpenFisca's build and calculate (P1's peer). Both are
CPython interpreting (the peer's NumPy work is counted too), so the ratio of instructions
estimates the ratio of CPU times; it is not a wall-clock figure. Needs valgrind (Debian's
package); takes a minute or two.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ON = date(2024, 11, 1)
CASES = ("explanation_read", "explanation_not_read", "parse_only", "openfisca")


def _child(case: str, calls: int) -> None:
    """The measured process: warm up, then `calls` calls of `case`."""
    from guardpath.law.evaluate import decide
    from guardpath.law.facts import parse_facts
    from people import AMERICAN_VOLUNTEER as raw

    if case == "openfisca":
        from peers import openfisca_enlistment as peer

        system = peer.tax_benefit_system()
        peer.decide_one(system, raw, ON)
        for _ in range(calls):
            peer.decide_one(system, raw, ON)
        return
    read = decide("enlistment", parse_facts(raw), ON).reasons
    for _ in range(calls):
        if case == "explanation_read":
            read = decide("enlistment", parse_facts(raw), ON).reasons
        elif case == "explanation_not_read":
            decide("enlistment", parse_facts(raw), ON)
        else:
            parse_facts(raw)
    del read


def _collected(case: str, calls: int, folder: Path) -> int:
    out = folder / f"{case}-{calls}.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        sys.executable,
        __file__,
        "--child",
        case,
        str(calls),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind reported no count for {case}: {done.stderr[-500:]}")
    return int(found.group(1))


def per_call(case: str, calls: int, folder: Path) -> float:
    return (_collected(case, calls, folder) - _collected(case, 0, folder)) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="guardpath calls (default 2000)")
    parser.add_argument("--peer-calls", type=int, default=50, help="OpenFisca calls (default 50)")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "CALLS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    counts = {}
    with tempfile.TemporaryDirectory(prefix="guardpath-instructions-") as folder:
        for case in CASES:
            calls = args.peer_calls if case == "openfisca" else args.calls
            counts[case] = per_call(case, calls, Path(folder))
            print(f"{case:22} {counts[case]:>14,.0f} instructions per call", flush=True)
    for case in ("explanation_read", "explanation_not_read"):
        ratio = counts["openfisca"] / counts[case]
        print(f"OpenFisca / guardpath, {case.replace('_', ' ')}: {ratio:.1f}×")


if __name__ == "__main__":
    main()
