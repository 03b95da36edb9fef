"""Writers taking turns on one kb database: write transactions, a busy timeout, a migration lock.

SQLite lets one writer at a time. A transaction that starts by reading and then writes
(BEGIN DEFERRED) can fail at once with "database is locked" when another run wrote
meanwhile; ``write`` takes the write lock at its start instead (BEGIN IMMEDIATE), waits for
it up to the busy timeout, tries again, and else stops with one line and nothing written.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from contextlib import contextmanager
from typing import Iterator

import sqlite_utils


class StoreError(Exception):
    """A database problem reported to the user as one line."""


class Locked(StoreError):
    """Another kb run held the database for longer than the busy timeout: nothing was written."""


BUSY_ENV = "KB_BUSY_TIMEOUT"
BUSY_SECONDS = 60.0
BEGIN_ATTEMPTS = 3


def busy_seconds() -> float:
    """How long a writer waits for another one ($KB_BUSY_TIMEOUT seconds, default 60)."""
    try:
        return max(0.0, float(os.environ.get(BUSY_ENV, "") or BUSY_SECONDS))
    except ValueError:
        return BUSY_SECONDS


@contextmanager
def migration_lock(path: str) -> Iterator[None]:
    """One kb process at a time creates or migrates a database: an flock on the folder that
    holds it. (Never on the database file itself: closing any descriptor of that file drops
    every POSIX lock SQLite holds on it in this process, and the database gets corrupted.)"""
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:       # cannot be opened here: sqlite reports what is wrong
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)      # releases the lock


@contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that holds the write lock from its start (BEGIN IMMEDIATE).

    Another writer makes it wait (busy timeout), then try again (BEGIN_ATTEMPTS); a run that
    still cannot write gets ``Locked`` (one line) with nothing written. Inside a transaction
    already open it is a savepoint of that one. Commits at the end, rolls back on any error.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    for attempt in range(BEGIN_ATTEMPTS):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    else:
        raise Locked(f"the database is locked by another kb run (waited {busy_seconds() * BEGIN_ATTEMPTS:g} s, "
                     f"${BUSY_ENV}); stopped with nothing half written: run the command again")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
