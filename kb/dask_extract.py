"""Extraction on a Dask cluster: workers analyse batches of articles, this process writes them.

``kb extract --workers N`` starts a local cluster (``LocalCluster``: N worker processes of one
thread each); ``kb extract --scheduler tcp://HOST:PORT`` uses a running one (``dask scheduler``
and ``dask worker`` on other machines, with kb and its model installed there). Each worker
loads the spaCy pipeline once (``ModelPlugin``, and ``kb.nlp.load_nlp``'s per-process cache);
a task is one batch of (key, text) pairs, cut by the same rule as the local stream
(``kb.nlp.budget.analyze_stream``: up to ``batch_size`` texts or ``GROUP_CHARS`` characters),
and returns plain data: each text's analysis, or the one line saying why it has none. The
caller gets them back in input order, so the one process that owns SQLite saves them exactly
as a local run does. At most ``window`` batches are out at a time: memory stays flat.

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
        runs it once: its first text costs half a CPU second more than the next ones."""

        name = "kb-model"

        def __init__(self, model: str | None = None) -> None:
            self.model = model

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

WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,   # a sampling profiler: 1% of a core per idle worker
    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 (memory back to the system at once); spaCy
    # then spends 15% more CPU on the same texts (bench/bench_dask.py): glibc's default instead
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


def local_cluster(workers: int) -> Any:
    """A LocalCluster of ``workers`` processes of one thread, quiet, without a dashboard,
    configured for spaCy (``WORKER_CONFIG``)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_CONFIG), warnings.catch_warnings():
        warnings.simplefilter("ignore")          # "port 8787 in use": its HTTP server takes another
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address=None, silence_logs=logging.ERROR)


@contextmanager
def connect(workers: int = 0, scheduler: str | None = None, model: str | None = None) -> Iterator[Any]:
    """A Dask client: on a new local cluster of ``workers`` processes (one thread each), or on
    the cluster whose scheduler is at ``scheduler``; its workers load the model once each."""
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
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def analyses(items: Iterable[Item], client: Any, *, budget: Budget, batch_size: int = 16,
             model: str | None = None, window: int | None = None) -> Iterator[tuple[Any, dict | AnalysisError]]:
    """(key, analysis or AnalysisError) for each (key, text), in input order, the analysis done
    by the cluster's workers; at most ``window`` batches (default: two per worker thread) are
    submitted and not yet returned. Raises ClusterError when the cluster is lost."""
    if window is None:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        window = max(2, 2 * threads)
    todo = batches(items, batch_size)
    model = model_name(model)
    pending: deque = deque()

    def submit() -> None:
        batch = next(todo, None)
        if batch is not None:
            pending.append((batch, _submit(client, batch, budget, batch_size, model)))

    for _ in range(window):
        submit()
    while pending:
        batch, future = pending.popleft()
        outcomes = _outcomes(client, future, batch, budget, batch_size, model)
        submit()                       # the workers go on while this process writes
        for key, result, reason in outcomes:
            yield key, (result if reason is None else AnalysisError(reason))


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
