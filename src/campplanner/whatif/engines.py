"""Engines: run many independent tasks that share one large read-only object.

A sweep (a stress test's hundreds of re-plans, a comparison's scenarios) is a task
function ``task(shared, item) -> result`` mapped over items, where ``shared`` (the
compiled problem, say) is large and the same for every task. An engine ships ``shared``
to its workers once, runs the tasks, and hands the results back as they finish:

- :class:`LocalEngine` (the default, no set-up): worker processes on this machine.
  ``shared`` is pickled once with its numpy arrays out of band, the arrays written to
  one temporary file that every worker maps read-only as it starts: one copy in memory
  (the page cache) however many workers, as in Ray's object store; never once per task.
- :class:`RayEngine`: Ray, started here or joined (``address``: ``"auto"`` or
  ``"ray://host:port"``). ``shared`` goes into Ray's object store once (``ray.put``);
  each task receives a reference and reads its numpy arrays in place, without a copy.
  Ray is an optional extra (``pip install "campplanner[ray]"``): a large wheel most
  planners never need.

Results come back in the order tasks finish; a caller that wants a deterministic answer
sorts them (the stress report is sorted by run number). :meth:`Engine.stop` (from any
thread, or a signal handler) abandons the sweep: tasks not started are dropped, tasks
running are killed, and :meth:`Engine.run` returns what had finished.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Protocol

from campplanner.contract.errors import UsageError
from campplanner.contract.limits import TooLarge, describe_limit, memory_limit

ENGINES = ("local", "ray")
RAY_MISSING = '--engine ray needs Ray, an optional extra: pip install "campplanner[ray]"'

Task = Callable[[Any, Any], Any]  # task(shared, item) -> result; defined at module level


class Engine(Protocol):
    """Runs ``task(shared, item)`` for each item; see the module docstring."""

    workers: int

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Yield (index of the item, result) as tasks finish, until all do or stop()."""
        ...

    def stop(self) -> None:
        """Abandon the sweep: run() returns after the results already in."""
        ...


def make_engine(
    name: str = "local", workers: int | None = None, address: str | None = None
) -> Engine:
    """The engine called ``name`` ("local" or "ray") with ``workers`` parallel tasks
    (default: every core here, or every CPU of the Ray cluster)."""
    if name == "local":
        if address is not None:
            raise ValueError("--address is for --engine ray")
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(workers, address)
    raise ValueError(f"unknown engine {name!r}: use {' or '.join(ENGINES)}")


def require_engine(name: str) -> None:
    """UsageError, before any work is done, if engine ``name`` is not installed."""
    if name == "ray":
        _import_ray()


# --------------------------------------------------------------------------- local

_SHARED: Any = None  # in a local worker process: the sweep's shared object
_ALIGN = 64  # bytes: each array starts on a cache line of the shared file


def _write_shared(shared: Any) -> tuple[bytes, str, list[tuple[int, int]]]:
    """(``shared`` pickled without its arrays' data, the file holding that data, where
    each array's bytes start and how many): pickle protocol 5 hands every numpy array's
    buffer out of band, and they are written once, for every worker to map."""
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(shared, protocol=5, buffer_callback=buffers.append)
    spans = []
    descriptor, path = tempfile.mkstemp(prefix="campplanner-shared-")
    with os.fdopen(descriptor, "wb") as file:
        offset = 0
        for buffer in buffers:
            data = buffer.raw()
            padding = -offset % _ALIGN
            file.write(bytes(padding))
            offset += padding
            file.write(data)
            spans.append((offset, data.nbytes))
            offset += data.nbytes
    return payload, path, spans


def _read_shared(payload: bytes, path: str, spans: list[tuple[int, int]]) -> Any:
    """The shared object, its arrays read-only views of the mapped file (no copy)."""
    if not spans:
        return pickle.loads(payload)
    with open(path, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    return pickle.loads(payload, buffers=[view[start : start + size] for start, size in spans])


def _local_worker_start(payload: bytes, path: str, spans: list[tuple[int, int]]) -> None:
    global _SHARED
    _SHARED = _read_shared(payload, path, spans)
    # Ctrl-C on a terminal reaches the whole process group: the parent decides what
    # stops, and kills its workers when it does; a worker must not die of it half-way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _local_call(task: Task, index: int, item: Any) -> tuple[int, Any]:
    return index, task(_SHARED, item)


class LocalEngine:
    """Worker processes on this machine, mapping ``shared``'s arrays from one file."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._stopped = threading.Event()

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        # forkserver: workers are forked from a clean process, not from this one, whose
        # threads (the job's, the solver's) could hold locks a forked child inherits held.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        payload, path, spans = _write_shared(shared)
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=_local_worker_start,
            initargs=(payload, path, spans),
        )
        try:
            pending = {pool.submit(_local_call, task, i, item) for i, item in enumerate(items)}
            while pending and not self._stopped.is_set():
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: f.result()[0]):
                    yield future.result()  # a failed run raises here, with its traceback
        finally:
            # A stop kills the runs under way at once, rather than waiting for them.
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join()
            with contextlib.suppress(OSError):
                os.remove(path)  # the workers' mappings are gone with them

    def stop(self) -> None:
        self._stopped.set()


# ----------------------------------------------------------------------------- ray


_NO_RAY_SIGNALS = "RAY_DISABLE_FAILURE_SIGNAL_HANDLER"


def _import_ray() -> Any:
    """Ray, imported only when asked for: it is an extra, and the local engine must not
    pay its import time."""
    # Ray's core installs a native handler for SIGTERM (and the crash signals) in this
    # process: a SIGTERM then ended the command with a stack dump and exit 134, before
    # any clean-up. The command's own handler decides. The setting is read when Ray is
    # imported, and taken back after it, so that Ray's workers keep their crash dumps.
    before = os.environ.get(_NO_RAY_SIGNALS)
    os.environ[_NO_RAY_SIGNALS] = "1"
    try:
        import ray
    except ImportError:
        raise UsageError(RAY_MISSING) from None
    finally:
        if before is None:
            del os.environ[_NO_RAY_SIGNALS]
        else:
            os.environ[_NO_RAY_SIGNALS] = before
    # Ray started from a job's thread warns that it set no SIGTERM handler: the command's
    # own takes SIGTERM (cli/startup.py, app/jobs.py), so the warning only misleads.
    logging.getLogger("ray._private.worker").addFilter(_NoSigtermWarning())
    return ray


class _NoSigtermWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "SIGTERM handler is not set" not in record.getMessage()


def _ray_call(task: Task, shared: Any, index: int, item: Any) -> tuple[int, Any]:
    return index, task(shared, item)


# Ray's object store takes this share of the memory campplanner may use (Ray's own
# default share, but of the machine: 30% of 23 GiB under a 6 GiB cap did not start).
STORE_SHARE = 0.3
STORE_MINIMUM = 80 * 1024**2  # Ray refuses less than 75 MiB
STORE_HEADROOM = 1.5  # the shared object, and the results beside it


def object_store_size(shared_bytes: int) -> int:
    """The object store for a sweep whose shared object takes ``shared_bytes``: a share
    of the memory campplanner may use (``contract.limits``); TooLarge when that is too
    small for the shared object."""
    limit = memory_limit()
    store = int(limit * STORE_SHARE)
    needed = max(STORE_MINIMUM, int(shared_bytes * STORE_HEADROOM))
    if store < needed:
        raise TooLarge(
            f"--engine ray: Ray's object store would get {_megabytes(store)} ({STORE_SHARE:.0%}"
            f" of the memory limit, {describe_limit()}), and this sweep needs about "
            f"{_megabytes(needed)} there; use --engine local, or raise the limit"
        )
    return store


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB"


def shared_size(shared: Any) -> int:
    """Bytes of ``shared`` once pickled, its numpy arrays counted without copying them."""
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(shared, protocol=5, buffer_callback=buffers.append)
    return len(payload) + sum(buffer.raw().nbytes for buffer in buffers)


class RayEngine:
    """Ray tasks; ``shared`` is put in the object store once (see the module docstring).

    A Ray of our own is started by :meth:`run`, its object store sized from the memory
    campplanner may use and the shared object, and shut down when :meth:`run` ends,
    however it ends (done, failed, stopped by Ctrl-C or SIGTERM): no Ray process outlives
    the command. A cluster joined (``address``) is left running, only disconnected."""

    def __init__(self, workers: int | None = None, address: str | None = None):
        self._ray = ray = _import_ray()
        self.address = address
        self._connected = False  # True while a Ray this engine started or joined is up
        if ray.is_initialized():  # a Ray the caller runs (a test's): used as it is
            cpus = int(ray.cluster_resources().get("CPU", 1))
        elif address is None:  # a Ray of our own, on this machine, started by run()
            cpus = workers or os.cpu_count() or 1
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
            self._connected = True
            cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, min(workers or cpus, cpus))
        self._stopped = threading.Event()

    def _start(self, shared_bytes: int) -> None:
        store = object_store_size(shared_bytes)
        _export_source_path()
        self._ray.init(
            num_cpus=self.workers,
            object_store_memory=store,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
        self._connected = True

    def _shutdown(self) -> None:
        if self._connected:
            self._connected = False
            with contextlib.suppress(Exception):
                self._ray.shutdown()

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        ray = self._ray
        try:
            if not ray.is_initialized():
                self._start(shared_size(shared))
            yield from self._run(task, shared, items)
        finally:
            self._shutdown()

    def _run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        ray = self._ray
        shared_ref = ray.put(shared)  # once; tasks get the reference, not a copy
        remote = ray.remote(num_cpus=1, max_retries=0)(_ray_call)
        # At most `workers` tasks in flight, so that a stop leaves little to cancel and
        # runs finish roughly in order (the partial report of a stop is the first runs).
        queue = iter(enumerate(items))
        pending: dict[Any, int] = {}

        def submit(count: int) -> None:
            for index, item in _take(queue, count):
                pending[remote.remote(task, shared_ref, index, item)] = index

        submit(self.workers)
        try:
            while pending and not self._stopped.is_set():
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=0.1)
                for ref in ready:
                    del pending[ref]
                    try:
                        result = ray.get(ref)
                    except Exception:
                        # Ctrl-C on a terminal also reaches a local Ray's workers: a task
                        # killed by it is a stopped run, not an error.
                        if self._stopped.wait(1.0):
                            return
                        raise
                    yield result
                submit(self.workers - len(pending))
        finally:
            for ref in pending:
                # The task may have ended meanwhile, or Ray be going down (Ctrl-C).
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=True)

    def stop(self) -> None:
        self._stopped.set()


def _take(iterator: Iterator[Any], count: int) -> Iterable[Any]:
    for _ in range(max(0, count)):
        try:
            yield next(iterator)
        except StopIteration:
            return


def _export_source_path() -> None:
    """Let a local Ray's workers import this campplanner (a source tree on PYTHONPATH
    included): they inherit the environment of the process that starts Ray."""
    source = str(Path(__file__).resolve().parents[1])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if source not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([source, *paths])
