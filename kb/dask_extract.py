"""Extraction on a Dask cluster: workers analyse batches of articles, this process writes them.

``kb extract --workers N`` starts a local cluster (``LocalCluster``: N worker processes of one
thread each); ``kb extract --scheduler tcp://HOST:PORT`` uses a running one (``dask scheduler``
and ``dask worker`` on other machines, with kb and its model installed there). Each worker
loads the spaCy pipeline once (``ModelPlugin``, and ``kb.nlp.load_nlp``'s per-process cache);
a task is one batch of (key, text) pairs, cut by the same rule as the local stream
(``kb.nlp.budget.analyze_stream``: up to ``batch_size`` texts or ``GROUP_CHARS`` characters),
and returns plain data: each text's analysis, or the one line saying why it has none. The
caller gets them back a batch at a time in input order, so the one process that owns SQLite
saves them exactly as a local run does (kb.jobs: a batch per transaction). ``window`` batches
are kept running or queued on the cluster whatever that process is doing, so no worker waits
for the writer; at most twice as many are out at a time: memory stays flat.

Time budget: in a Dask worker the analysis runs in a worker thread, where SIGALRM cannot
interrupt it; ``kb.nlp.budget.deadline`` then judges each piece once it is done, so an
article over its budget is recorded as failed just as locally. A text that never finished
would hold its worker: here a watchdog raises ``OverBudget`` in the worker thread (the same
way a signal handler would, between two Python bytecodes) once a batch has run longer than
``budget.seconds`` per text in it plus ``GRACE_SECONDS``; its texts are then analysed one by
one, and a text that trips the watchdog alone is recorded as over its budget. Like the
signal handler, it cannot stop one call into compiled code that never returns.
"""
from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import threading
import warnings
from collections import deque
from concurrent.futures import CancelledError
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterable, Iterator

from kb.nlp.budget import GROUP_CHARS, AnalysisError, Budget, OverBudget, analyze_stream

CONNECT_SECONDS = 30      # to reach a scheduler, and for a first worker to join it
GRACE_SECONDS = 30.0      # the watchdog's allowance above the batch's time budget
WARM_UP = ("Jane Zhang, a spokeswoman for the ministry, said on Monday that the Chinese government "
           "would soon lift the restrictions on WeChat, according to a Korean diplomat. The firm denied it.")
Item = tuple[Any, str]
Outcome = tuple[Any, "dict | None", "str | None"]   # (key, analysis, or why there is none)


class ClusterError(Exception):
    """The cluster cannot be reached or was lost; one line. What was saved so far is whole."""


def batches(items: Iterable[Item], batch_size: int) -> Iterator[list[Item]]:
    """(key, text) pairs in batches, cut where ``analyze_stream`` cuts them (same results)."""
    batch: list[Item] = []
    size = 0
    for key, text in items:
        batch.append((key, text or ""))
        size += len(text or "")
        if len(batch) >= batch_size or size >= GROUP_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# --- on the workers -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _plugin_class() -> type:
    """``ModelPlugin``, made on first use: importing distributed costs half a second, which a
    local run (that imports this module for ``ClusterError``) should not pay."""
    from distributed import WorkerPlugin

    class ModelPlugin(WorkerPlugin):
        """Loads the kb pipeline once as each worker starts (and on workers that join later) and
        runs it once: its first text costs half a CPU second more than the next ones. Registered
        once per cluster and model (``idempotent``): a later run on the same cluster does not
        make every worker analyse the warm-up text again."""

        idempotent = True

        def __init__(self, model: str | None = None) -> None:
            self.model = model
            self.name = f"kb-model:{model}" if model else "kb-model"

        def setup(self, worker: Any = None) -> None:
            from kb.nlp import analyze

            analyze(WARM_UP, self.model)   # loads the model, and the data kb's components load on first use

    ModelPlugin.__module__, ModelPlugin.__qualname__ = __name__, "ModelPlugin"   # pickled by name
    return ModelPlugin


def __getattr__(name: str) -> Any:
    if name == "ModelPlugin":
        return _plugin_class()
    raise AttributeError(name)


class _Watchdog:
    """Raises ``OverBudget`` in the calling thread once ``seconds`` have passed (0: never), and
    again each second until the block ends, should the code there swallow the first."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.fired = seconds, False
        self._target = threading.get_ident()
        self._done = threading.Event()
        self._lock = threading.Lock()

    def _run(self) -> None:
        wait = self.seconds
        while not self._done.wait(wait):
            with self._lock:
                if self._done.is_set():
                    return
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), ctypes.py_object(OverBudget))
            wait = 1.0

    def __enter__(self) -> "_Watchdog":
        if self.seconds > 0:
            threading.Thread(target=self._run, name="kb-watchdog", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        while True:          # one may land here still: stop again until stopped
            try:
                self._stop()
                return
            except OverBudget:
                continue

    def _stop(self) -> None:
        self._done.set()
        with self._lock:
            if self.fired:   # one may be pending still: take it back
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), None)


def analyze_batch(items: list[Item], budget: Budget, batch_size: int, model: str | None = None) -> list[Outcome]:
    """One task: the analyses of a batch of (key, text), in order, as plain picklable data.

    The result's ``text`` is left out (the database has it); a text that cannot be analysed
    gives (key, None, reason). A batch that trips the watchdog is analysed again text by text.
    """
    from kb.nlp import load_nlp

    nlp = load_nlp(model)
    limit = budget.seconds * len(items) + GRACE_SECONDS if budget.seconds else 0.0
    try:
        with _Watchdog(limit) as dog:
            out: list[Outcome] = []
            for key, result in analyze_stream(items, nlp, budget=budget, batch_size=batch_size, reports=True):
                if isinstance(result, Exception):
                    out.append((key, None, str(result)))
                else:
                    result.pop("text", None)
                    out.append((key, result, None))
        if not dog.fired:
            return out
    except OverBudget:
        pass
    if len(items) == 1:
        return [(items[0][0], None, f"text over the time budget of {budget.seconds:g} s (KB_EXTRACT_SECONDS)")]
    return [o for item in items for o in analyze_batch([item], budget, batch_size, model)]


# --- on the client --------------------------------------------------------------------

CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,   # a sampling profiler: 1% of a core per idle worker
    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 (memory back to the system at once); spaCy
    # then spends 15% more CPU on the same texts (bench/bench_dask.py): glibc's default instead
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # Dask's periodic housekeeping took 7% of a core on an idle local cluster of two workers
    # (its scheduler runs in this process): 1% with these. Batches take seconds; nothing here
    # needs a finer clock, and workers of one machine have nothing to steal from each other.
    "distributed.admin.tick.interval": "1s",               # event-loop health check, every 20 ms
    "distributed.admin.system-monitor.interval": "2s",     # the dashboard's CPU and memory figures
    "distributed.worker.memory.monitor-interval": "1s",    # memory limits checked every 100 ms
    "distributed.scheduler.work-stealing": False,
}


def cluster_environ() -> dict[str, str]:
    """``CLUSTER_CONFIG`` as environment variables, for the ``dask scheduler`` and ``dask worker``
    commands of a cluster kb does not start itself (``DASK_...``, and glibc's trim threshold)."""
    # not the nanny's 65536 (see above); and since setting one of glibc's thresholds stops it
    # from raising the mmap threshold as it goes (every block over 128 KiB would be mapped and
    # unmapped again), that one too, at the ceiling glibc's own adjustment would reach
    env = {"MALLOC_TRIM_THRESHOLD_": str(64 << 20), "MALLOC_MMAP_THRESHOLD_": str(32 << 20)}
    for key, value in CLUSTER_CONFIG.items():
        if not key.startswith("distributed.nanny.pre-spawn-environ."):
            env["DASK_" + key.upper().replace(".", "__").replace("-", "_")] = str(value)
    return env


def local_cluster(workers: int) -> Any:
    """A LocalCluster of ``workers`` processes of one thread, without a dashboard, configured
    for spaCy and for batches of seconds (``CLUSTER_CONFIG``), and quiet: not even its errors
    are logged (a worker's heartbeat cut off as the scheduler closes is logged as an error with
    its traceback); what fails in a run, the run reports itself (``AnalysisError``, lost workers)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(CLUSTER_CONFIG), warnings.catch_warnings():
        warnings.simplefilter("ignore")          # "port 8787 in use": its HTTP server takes another
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address=None, silence_logs=logging.CRITICAL)


@contextmanager
def connect(workers: int = 0, scheduler: str | None = None, model: str | None = None, *,
            closing: list | None = None) -> Iterator[Any]:
    """A Dask client: on a new local cluster of ``workers`` processes (one thread each), or on
    the cluster whose scheduler is at ``scheduler``; its workers load the model once each.
    With ``closing``, a block that ends without error leaves the client and the local cluster
    closing in a thread, appended there for the caller to join (a local cluster takes a second
    to close: the caller goes on meanwhile)."""
    from distributed import Client

    cluster = None
    where = f"the Dask scheduler at {scheduler}" if scheduler else f"a local Dask cluster of {workers} worker(s)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # port in use, and the like: not the user's concern
            if scheduler:
                client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
            else:
                cluster = local_cluster(workers)
                client = Client(cluster, set_as_default=False)
    except Exception as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot start or reach {where}: {_one_line(exc)}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except Exception as exc:
            raise ClusterError(f"no Dask worker joined {where} within {CONNECT_SECONDS} s: {_one_line(exc)}") from None
        try:
            client.register_plugin(_plugin_class()(model_name(model)))
        except Exception as exc:
            raise ClusterError(f"a Dask worker could not load the NLP model: {_one_line(exc)}") from None
        yield client
    except BaseException:
        _close(client, cluster)
        raise
    if closing is None:
        _close(client, cluster)
    else:
        closing.append(threading.Thread(target=_close, args=(client, cluster), name="kb-dask-close", daemon=True))
        closing[-1].start()


def _close(client: Any, cluster: Any) -> None:
    """Close the client, then the local cluster; what goes wrong there is no concern of the run's."""
    for done in (client, cluster):
        if done is not None:
            try:
                done.close()
            except Exception:
                pass


def analysis_batches(items: Iterable[Item], client: Any, *, budget: Budget, batch_size: int = 16,
                     model: str | None = None, window: int | None = None,
                     buffered: int | None = None) -> Iterator[list[tuple[Any, dict | AnalysisError]]]:
    """The (key, analysis or AnalysisError) pairs of each batch of (key, text), a batch at a time
    and in input order, the analyses done by the cluster's workers.

    ``window`` batches (default: two per worker thread) are kept running or queued on the
    cluster whatever this process is doing, so a worker that finishes a batch always has the
    next one: a batch that takes long holds up only the writing of the ones after it, never the
    workers. Batches done before an earlier one wait here, at most ``buffered`` batches in all
    (default: twice the window) submitted and not yet returned: memory stays flat. Raises
    ClusterError when the cluster is lost."""
    if window is None:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        window = max(2, 2 * threads)
    limit = max(window, buffered or 2 * window)
    todo = batches(items, batch_size)
    model = model_name(model)
    pending: deque = deque()           # (batch, future), in input order
    more = True

    def top_up() -> None:
        nonlocal more
        while more and len(pending) < limit and sum(not f.done() for _, f in pending) < window:
            batch = next(todo, None)
            if batch is None:
                more = False
            else:
                pending.append((batch, _submit(client, batch, budget, batch_size, model)))

    top_up()
    while pending:
        batch, future = pending[0]
        if not future.done():
            try:
                _wait_first([f for _, f in pending if not f.done()])
            except Exception:
                pass                   # the cluster is lost: the result below says so, in one line
            else:
                top_up()               # one finished, maybe a later one: keep the workers busy
                continue
        pending.popleft()
        outcomes = _outcomes(client, future, batch, budget, batch_size, model)
        top_up()                       # the workers go on while this process writes
        yield [(key, result if reason is None else AnalysisError(reason)) for key, result, reason in outcomes]


def _wait_first(futures: list) -> None:
    """Until one of the futures is done (finished, failed or cancelled)."""
    from distributed import wait

    wait(futures, return_when="FIRST_COMPLETED")


def analyses(items: Iterable[Item], client: Any, *, budget: Budget, batch_size: int = 16,
             model: str | None = None, window: int | None = None) -> Iterator[tuple[Any, dict | AnalysisError]]:
    """(key, analysis or AnalysisError) for each (key, text), in input order (``analysis_batches``,
    one pair at a time)."""
    for group in analysis_batches(items, client, budget=budget, batch_size=batch_size, model=model, window=window):
        yield from group


def _submit(client: Any, batch: list[Item], budget: Budget, batch_size: int, model: str | None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")    # "large object in task graph": one long article, by design
        return client.submit(analyze_batch, batch, budget, batch_size, model, pure=False)


def _outcomes(client: Any, future: Any, batch: list[Item], budget: Budget, batch_size: int,
              model: str | None) -> list[Outcome]:
    """A batch's outcomes; a batch whose task failed (its workers died) is tried text by text."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        reason = f"the Dask workers analysing it died ({_one_line(exc)})"
    except (OSError, TimeoutError, CancelledError, asyncio.CancelledError) as exc:
        raise ClusterError(f"lost the Dask cluster: {_one_line(exc)}") from None
    except Exception as exc:
        if client.status != "running":
            raise ClusterError(f"lost the Dask cluster: {_one_line(exc) or type(exc).__name__}") from None
        reason = f"analysis failed on a Dask worker: {_one_line(exc)}"
    finally:
        future.release()
    if len(batch) == 1:
        return [(batch[0][0], None, reason)]
    return [o for item in batch
            for o in _outcomes(client, _submit(client, [item], budget, batch_size, model), [item], budget,
                               batch_size, model)]


def model_name(model: str | None = None) -> str | None:
    """The model the workers load: the one given, else this process's ``$KB_SPACY_MODEL``
    (remote workers do not share its environment), else the default."""
    from kb.nlp.model import ENV_VAR

    return model or os.environ.get(ENV_VAR, "").strip() or None


def _one_line(exc: BaseException) -> str:
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
