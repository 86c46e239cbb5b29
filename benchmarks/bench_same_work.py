"""The neighbourhood search at equal work, for comparing two versions of the code.

The same first roster, the same seed and the same sequence of steps (the kinds in
turn), each step ended by CP-SAT's deterministic work (the per-step clock limit is
generous and never binds), so that the result does not depend on the machine's speed
or load. Run it once per version with that version's ``src`` on PYTHONPATH and compare
the lines: coverage every 25 steps and a hash of the roster. Used for issue 21 (a
redesign that must not change what the search finds; docs/benchmarks.md)::

    PYTHONPATH=OLD/src python benchmarks/bench_same_work.py SEASON.json.gz 50
    PYTHONPATH=NEW/src python benchmarks/bench_same_work.py SEASON.json.gz 50
"""

import hashlib
import sys
import time

import numpy as np

try:
    from campplanner.contract.instance import load_instance
except ImportError:  # the code before issue 21 kept the reader at the top level
    from campplanner.loader import load_instance
from campplanner.model.compile import compile_instance
from campplanner.model.terms import coverage
from campplanner.solver.first_roster import first_roster
from campplanner.solver.lns import KINDS, Lns, LnsOptions


def main() -> None:
    """Run ``STEPS`` steps on ``SEASON`` (the command line's two arguments)."""
    path, steps = sys.argv[1], int(sys.argv[2])
    p = compile_instance(load_instance(path))
    roster = first_roster(p)
    lns = Lns(p, roster, LnsOptions(seed=0))
    print("first", coverage(p, roster), flush=True)
    t = time.process_time()
    for k in range(steps):
        lns.step(KINDS[k % len(KINDS)], 600.0)
        if (k + 1) % 25 == 0:
            r = np.sort(lns.roster)
            print(
                k + 1,
                lns.coverage,
                coverage(p, r),
                hashlib.sha256(r.tobytes()).hexdigest()[:12],
                f"cpu {time.process_time() - t:.0f}s",
                flush=True,
            )


if __name__ == "__main__":
    main()
