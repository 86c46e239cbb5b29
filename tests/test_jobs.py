"""The job runner: background work with progress events, cancellation, a queue."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from builders import REPO, TINY_PATH
from campplanner.app.jobs import Job, JobCancelled, JobControl, JobRunner
from campplanner.app.solving import SolveRequest, solve_job
from campplanner.check import check_solution_file
from campplanner.solver import SolveOptions


def test_a_job_returns_its_value_and_records_its_events() -> None:
    def work(control: JobControl) -> int:
        control.report("counting", coverage=1)
        control.report("counting", coverage=2)
        return 42

    job = Job(work, "count").start()
    assert job.result() == 42
    assert job.state == "done"
    assert [e.coverage for e in job.events()] == [1, 2]
    assert [e.coverage for e in job.events(since=1)] == [2]


def test_a_failing_job_raises_in_the_caller() -> None:
    def work(control: JobControl) -> None:
        raise ValueError("bad input")

    job = Job(work).start()
    with pytest.raises(ValueError, match="bad input"):
        job.result()
    assert job.state == "failed"


def test_cancel_calls_the_registered_stops_even_late() -> None:
    stopped = threading.Event()
    release = threading.Event()

    def work(control: JobControl) -> str:
        release.wait(5)
        control.on_cancel(stopped.set)  # registered after the cancel: called at once
        return "kept"

    job = Job(work).start()
    job.cancel()
    release.set()
    assert job.result() == "kept"  # cancelling keeps what the work returns
    assert stopped.is_set() and job.state == "cancelled"


def test_a_cancelled_solve_still_writes_a_checked_roster(tmp_path: Path) -> None:
    instance = REPO / "instances" / "small.json"
    output = tmp_path / "roster.json"
    request = SolveRequest(
        str(instance), SolveOptions(time_limit=60, method="exact"), output_path=str(output)
    )
    job = solve_job(request)
    first_roster = threading.Event()
    job.listen(lambda event: event.coverage is not None and first_roster.set())
    job.start()
    assert first_roster.wait(60)
    job.cancel()
    outcome = job.result()
    assert outcome.result.has_roster
    assert check_solution_file(instance, output).ok


def test_the_runner_queues_jobs_and_cancels_a_waiting_one() -> None:
    runner = JobRunner(max_running=1)
    gate, running = threading.Event(), threading.Event()

    def hold(control: JobControl) -> bool:
        running.set()
        return gate.wait(5)

    first = runner.submit(hold, "first")
    assert running.wait(5)  # the first job holds the only place
    second = runner.submit(lambda control: "second ran", "second")
    assert runner.cancel(second)
    gate.set()
    assert runner.get(first).result() is True
    with pytest.raises(JobCancelled):
        runner.get(second).result()
    assert runner.get("no such job") is None
    assert set(runner.jobs()) == {first, second}


def test_a_solve_job_reports_its_phases() -> None:
    job = solve_job(SolveRequest(str(TINY_PATH), SolveOptions(time_limit=10))).start()
    assert job.result().result.coverage == 29
    phases = [event.phase for event in job.events()]
    assert phases[0] == "reading" and "solving" in phases


def test_a_result_never_claims_a_bound_below_its_coverage_nor_an_unproven_optimum() -> None:
    import numpy as np

    from campplanner.solver.result import Result

    roster = np.arange(3)
    slipped = Result("optimal", roster, 29, 0)  # "bound 0, gap 0.00%" was once printed
    assert slipped.coverage_bound is None and slipped.status == "feasible"
    assert slipped.gap is None
    assert Result("optimal", roster, 29, 29).status == "optimal"
    assert Result("optimal", roster, 29, 31).status == "feasible"
    assert Result("feasible", roster, 29, 31).gap == 2 / 31


def test_a_job_cut_by_its_deadline_says_time_limit_not_interrupted() -> None:
    import time

    from campplanner.app.jobs import run_in_foreground

    def work(control: JobControl) -> str | None:
        while not control.cancelled:
            time.sleep(0.01)
        return control.cancel_reason

    reason, signalled = run_in_foreground(Job(work), deadline=time.monotonic() + 0.3)
    assert reason == "time limit" and signalled is None
    job = Job(work).start()
    job.cancel()  # a cancel button or a signal
    assert job.result() == "interrupted"


def test_once_a_snapshot_answers_it_is_the_answer_even_if_the_job_ends_just_after() -> None:
    # The command prints what run_in_foreground returns and the snapshot wrote the file:
    # a job that ends while its snapshot is being taken must not swap in another answer
    # (the summary said "no proven bound" while the file held one that came later).
    import time

    from campplanner.app.jobs import STOP_GRACE, run_in_foreground

    finished = threading.Event()

    def snapshot() -> str:
        finished.wait(5)
        time.sleep(0.2)  # the job's thread has returned by now
        return "snapshot"

    def work(control: JobControl) -> str:
        control.on_snapshot(snapshot)
        while not control.cancelled:
            time.sleep(0.01)
        time.sleep(STOP_GRACE + 0.2)  # slower to stop than the grace allows
        finished.set()
        return "final"

    answer, _ = run_in_foreground(Job(work), deadline=time.monotonic() + 0.1)
    assert answer == "snapshot"


def test_a_solve_stopped_at_the_sessions_deadline_is_labelled_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The solver only sees a stop request; the session knows it was its own deadline."""
    import time

    import numpy as np

    from campplanner.app import solving
    from campplanner.app.jobs import run_in_foreground
    from campplanner.solver.result import Result

    class WaitsForStop:
        def __init__(self) -> None:
            self.stopped = threading.Event()

        def stop(self) -> None:
            self.stopped.set()

        def solve(self, progress: object, started: float) -> Result:
            self.stopped.wait(10)
            return Result("feasible", np.zeros(0, np.int64), 0, None, stopped_by="interrupted")

    monkeypatch.setattr(solving, "make_solver", lambda *args, **kwargs: WaitsForStop())
    output = tmp_path / "roster.json"
    request = SolveRequest(str(TINY_PATH), SolveOptions(time_limit=30), output_path=str(output))
    outcome, _ = run_in_foreground(solve_job(request), deadline=time.monotonic() + 0.5)
    assert outcome.result.stopped_by == "time limit"
    assert '"stopped_by": "time limit"' in output.read_text(encoding="utf-8")


def test_a_command_called_in_process_long_after_import_starts_its_clock_now() -> None:
    """A test runner (or a notebook) calling the CLI in process: the process's age is not
    the command's; counting it made an in-process `solve --time-limit 10` run out of time
    before its reasons were written."""
    import time

    from campplanner.app import jobs

    now = time.monotonic()
    assert jobs.process_started(loaded=now - 60) >= now
