"""Claims over time: threads of claims about one proposition, their deadlines and statuses.

``update_threads`` groups new claims and recomputes what changed (kb.track.threads, with the
pure rules of kb.track.match and kb.track.status; rows in kb.track.rows); ``thread_rows``
gives the threads in the contract's shape for `kb threads` and `kb export threads`.
"""
from .rows import thread_rows
from .status import FORWARD, today
from .threads import TRACK_VERSION, refresh, regroup, update_threads

__all__ = ["FORWARD", "TRACK_VERSION", "refresh", "regroup", "thread_rows", "today", "update_threads"]
