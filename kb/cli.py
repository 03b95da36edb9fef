"""The `kb` command line: a thin face over the library (see DESIGN.md, "The contract")."""
from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import click

from kb import store

DB_OPTION = click.option("--db", "db_path", envvar="KB_DB", default="kb.db", show_default=True,
                         type=click.Path(dir_okay=False), help="Database file (or $KB_DB).")


class KbError(click.ClickException):
    """A project error shown as one line, exit status 1."""


def _progress(items: Iterable, label: str = "") -> Iterator:
    """A progress bar on a terminal, plain iteration otherwise."""
    items = list(items)
    if not sys.stderr.isatty() or len(items) < 2:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


def _open(db_path: str):
    try:
        return store.open_db(db_path)
    except store.StoreError as exc:
        raise KbError(str(exc)) from None


MAX_NOTICES = 20


def _echo_notices(report) -> None:
    """What was skipped and why (the first MAX_NOTICES; all are in the failures table)."""
    for notice in report.notices[:MAX_NOTICES]:
        click.echo(f"skipped: {notice.replace(': skipped: ', ': ', 1)}", err=True)
    if len(report.notices) > MAX_NOTICES:
        click.echo(f"skipped: ... and {len(report.notices) - MAX_NOTICES} more "
                   "(the failures table lists them, stage 'skip')", err=True)


def _has_kb_tables(db_path: str) -> bool:
    """The SQLite file holds kb's tables (read without changing it)."""
    import sqlite3

    try:
        conn = sqlite3.connect(db_path)
    except sqlite3.Error:
        return False
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return {"articles", "kb_meta"} <= names


def _open_existing(db_path: str):
    """Open a kb database that must already exist: commands that only read never create
    one (a typo in --db) nor turn another file into one."""
    path = Path(db_path)
    if not path.exists():
        raise KbError(f"{db_path}: no such database (run `kb ingest` first, or check --db)")
    if not path.is_file():
        raise KbError(f"cannot open database {db_path}: not a kb database (not a regular file)")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise KbError(f"cannot open database {db_path}: {exc.strerror or exc}") from None
    if head != b"SQLite format 3\x00":
        raise KbError(f"cannot open database {db_path}: not a kb database (not an SQLite file)")
    if not _has_kb_tables(db_path):
        raise KbError(f"cannot open database {db_path}: not a kb database (an SQLite file without kb's tables)")
    return _open(db_path)


def _echo_error(message: str) -> None:
    """A failure, printed as it is recorded (the run's summary comes at the end)."""
    click.echo(f"error: {message}", err=True)


@contextmanager
def _output(path: str | None):
    if not path:
        yield sys.stdout
        return
    try:
        fh = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise KbError(f"cannot write {path}: {exc.strerror or exc}") from None
    with fh:
        yield fh


@click.group()
@click.version_option(package_name="kb")
def cli() -> None:
    """kb: a news and claims knowledge base. Who claimed what, when, about whom."""


WORKERS_OPTION = click.option("--workers", type=click.IntRange(min=1), default=None,
                              help="Run the NLP on a local Dask cluster of N worker processes.")
SCHEDULER_OPTION = click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                                help="Run the NLP on a running Dask cluster (its scheduler's address).")


def _cluster(workers: int | None, scheduler: str | None) -> dict:
    """The extraction's place: this process, a local Dask cluster, or a running one."""
    if workers and scheduler:
        raise KbError("give --workers (a local Dask cluster) or --scheduler (a running one), not both")
    return {"workers": workers or 0, "scheduler": scheduler}


CONCURRENCY_OPTION = click.option(
    "--concurrency", type=click.IntRange(min=1), default=None,
    help="Fetches at once across hosts (one at a time per host; default $KB_FETCH_CONCURRENCY or 16).")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--no-extract", is_flag=True, help="Store articles only; run `kb extract` later.")
@click.option("--no-fetch", is_flag=True, help="Do not fetch feed entries' pages; use the entry's own content.")
@WORKERS_OPTION
@SCHEDULER_OPTION
@CONCURRENCY_OPTION
@DB_OPTION
def ingest(sources: tuple[str, ...], no_extract: bool, no_fetch: bool, db_path: str,
           workers: int | None = None, scheduler: str | None = None, concurrency: int | None = None) -> None:
    """Store articles from feed URLs, page URLs, .html/.txt/feed files or folders."""
    from kb import jobs

    from ingest.crawl import Prefetch
    from ingest.fetch import Fetcher

    cluster = _cluster(workers, scheduler)
    db = _open(db_path)
    with Fetcher(concurrency=concurrency) as fetcher, Prefetch(fetcher, sources):  # many hosts at once
        report = jobs.ingest(db, sources, fetch_entries=not no_fetch, extract_after=not no_extract,
                             progress=_progress, on_message=_echo_error, fetcher=fetcher, **cluster)
    _echo_notices(report)
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Process every article again.")
@WORKERS_OPTION
@SCHEDULER_OPTION
@DB_OPTION
def extract(everything: bool, workers: int | None, scheduler: str | None, db_path: str) -> None:
    """Run entity and claim extraction on articles not yet processed (here, or on Dask)."""
    from kb import jobs

    cluster = _cluster(workers, scheduler)
    report = jobs.extract(_open_existing(db_path), everything=everything, progress=_progress,
                         on_message=_echo_error, **cluster)
    click.echo(f"extracted {report.extracted} article(s), {report.claims} claim(s), {report.failed} failed")
    if report.failed:
        sys.exit(1)


@cli.group()
def feeds() -> None:
    """Follow feeds and fetch what changed."""


@feeds.command("add")
@click.argument("url")
@DB_OPTION
def feeds_add(url: str, db_path: str) -> None:
    """Follow a feed."""
    from kb import jobs

    jobs.feeds_add(_open(db_path), url)
    click.echo(f"following {url}")


@feeds.command("update")
@click.option("--no-extract", is_flag=True)
@click.option("--no-fetch", is_flag=True)
@CONCURRENCY_OPTION
@DB_OPTION
def feeds_update(no_extract: bool, no_fetch: bool, concurrency: int | None, db_path: str) -> None:
    """Fetch every followed feed; store only new or changed entries."""
    from ingest.fetch import Fetcher
    from kb import jobs

    with Fetcher(concurrency=concurrency) as fetcher:
        reports, extracted = jobs.feeds_update(_open(db_path), fetch_entries=not no_fetch,
                                               extract_after=not no_extract, progress=_progress,
                                               on_message=_echo_error, fetcher=fetcher)
    if not reports:
        click.echo("no feeds followed: add one with `kb feeds add URL`")
    failed = 0
    for source, report in reports.items():
        _echo_notices(report)
        click.echo(f"{source}: {'not modified; ' if report.not_modified else ''}{report.summary()}")
        failed += report.failed
    if extracted.extracted:
        click.echo(f"extracted {extracted.extracted} article(s), {extracted.claims} claim(s)")
    if failed or extracted.failed:
        sys.exit(1)


@cli.group()
def entities() -> None:
    """Curate entities: merge, rename, set-type, split (decisions survive `kb extract --all`)."""


TYPE_OPTION = click.option("--type", "etype", default=None, help="The entity's type, when its name is ambiguous.")


def _curate(db_path: str, action: str, *args, **kwargs) -> dict:
    from kb import curation
    from kb.track import update_threads

    db = _open_existing(db_path)
    try:
        result = getattr(curation, action)(db, *args, **kwargs)
    except curation.CurationError as exc:
        raise KbError(str(exc)) from None
    update_threads(db)  # claims about a merged or renamed entity may join another thread
    return result


@entities.command("merge")
@click.argument("source")
@click.argument("target")
@click.option("--type", "source_type", default=None, help="SOURCE's type, when ambiguous.")
@click.option("--into-type", "target_type", default=None, help="TARGET's type, when ambiguous.")
@DB_OPTION
def entities_merge(source: str, target: str, source_type: str | None, target_type: str | None, db_path: str) -> None:
    """Merge entity SOURCE into TARGET (name or id): the same real-world thing."""
    t = _curate(db_path, "merge", source, target, source_type=source_type, target_type=target_type)
    click.echo(f"merged {source} into {t['name']} ({t['type']})")


@entities.command("rename")
@click.argument("name")
@click.argument("new_name")
@TYPE_OPTION
@DB_OPTION
def entities_rename(name: str, new_name: str, etype: str | None, db_path: str) -> None:
    """Give entity NAME the canonical name NEW_NAME."""
    t = _curate(db_path, "rename", name, new_name, etype=etype)
    click.echo(f"renamed {name} to {t['name']} ({t['type']})")


@entities.command("set-type")
@click.argument("name")
@click.argument("new_type")
@TYPE_OPTION
@DB_OPTION
def entities_set_type(name: str, new_type: str, etype: str | None, db_path: str) -> None:
    """Change the type of entity NAME to NEW_TYPE."""
    t = _curate(db_path, "set_type", name, new_type, etype=etype)
    click.echo(f"{t['name']} is now {t['type']}")


@entities.command("split")
@click.argument("name")
@click.argument("alias")
@click.option("--as", "new_name", default=None, help="Name of the new entity (default: ALIAS).")
@click.option("--new-type", default=None, help="Type of the new entity (default: NAME's type).")
@TYPE_OPTION
@DB_OPTION
def entities_split(name: str, alias: str, new_name: str | None, new_type: str | None, etype: str | None,
                   db_path: str) -> None:
    """Mentions of entity NAME written ALIAS become an entity of their own."""
    t = _curate(db_path, "split", name, alias, new_name=new_name, new_type=new_type, etype=etype)
    click.echo(f"split {t['mentions']} mention(s) of {alias!r} off {name} as {t['name']} ({t['type']})")


@entities.command("decisions")
@DB_OPTION
def entities_decisions(db_path: str) -> None:
    """List the curation decisions, oldest first, as JSON lines."""
    from kb import curation

    for d in curation.decisions(_open_existing(db_path)):
        click.echo(json.dumps(d, ensure_ascii=False))


def _read_input(file: str) -> str:
    """The text to analyse, from FILE or standard input ("-"). A URL, a binary file (PDF,
    image, NUL bytes) or an unreadable file is refused in one line."""
    from ingest.article import IngestError, clean_surrogates
    from ingest.text import decode_text

    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", file) and not Path(file).exists():
        raise KbError(f"{file}: analyze reads a file or - (standard input), not a URL; "
                      f"to fetch and keep the page, run `kb ingest {file}`")
    try:
        if file == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
        else:
            data = Path(file).read_bytes()
    except OSError as exc:
        raise KbError(f"{file}: {exc.strerror or exc}") from None
    if not data.strip():
        return data.decode("utf-8", errors="replace")
    try:
        text, _ = decode_text(data, file)
    except IngestError as exc:
        raise KbError(f"{'standard input' if file == '-' else file}: {exc.reason} "
                      "(analyze takes plain text; for a page or a feed use `kb ingest`)") from None
    return clean_surrogates(text)


@cli.command()
@click.argument("file", default="-")
@click.option("--jsonl", is_flag=True, help='Many texts: JSON lines {"id", "text"} in, one result per line out.')
@DB_OPTION
def analyze(file: str, jsonl: bool, db_path: str) -> None:
    """Analyse text as given (nothing stored) and print entities, claims and relations as JSON."""
    from kb import nlp

    data = _read_input(file)
    if not jsonl:
        click.echo(json.dumps(nlp.analyze(data), ensure_ascii=False))
        return
    from ingest.article import clean_surrogates, scrub_value

    ids, texts, bad = [], [], 0
    for n, line in enumerate(data.split("\n"), 1):  # not splitlines(): U+2028 may sit inside a string
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            click.echo(f"error: line {n}: not a JSON object with a text: {exc}", err=True)
            bad += 1
            continue
        ids.append(scrub_value(item.get("id")))
        texts.append(clean_surrogates(text))  # a lone "\\ud800" must not cost the other lines
    for id_, result in zip(ids, nlp.analyze_many(texts)):
        sys.stdout.write(json.dumps({"id": id_, **result}, ensure_ascii=False) + "\n")
    if bad:
        sys.exit(1)


@cli.command()
@click.argument("kind", type=click.Choice(["articles", "claims", "entities", "mentions", "relations", "threads", "graph"]))
@click.option("--format", "fmt", default=None,
              help="jsonl|csv for records; gexf|graphml|json|cytoscape|csv for graph.")
@click.option("-o", "--output", "output", default=None, type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option("--entity", default=None, help="graph: only the neighbourhood of this entity.")
@click.option("--depth", default=1, show_default=True, type=int, help="graph: hops from --entity.")
@click.option("--since", default=None, help="graph: only articles dated on or after this day (YYYY-MM-DD).")
@click.option("--until", default=None, help="graph: only articles dated on or before this day (YYYY-MM-DD).")
@click.option("--types", default=None, help="graph: only entities of these types (comma-separated).")
@click.option("--min-weight", default=1, show_default=True, type=int,
              help="graph: drop co-mention edges shared by fewer articles.")
@DB_OPTION
def export(kind: str, fmt: str | None, output: str | None, entity: str | None, depth: int,
           since: str | None, until: str | None, types: str | None, min_weight: int, db_path: str) -> None:
    """Export articles, claims, entities, mentions, relations, claim threads or the entity graph."""
    from kb import export as ex
    from kb import graph

    db = _open_existing(db_path)
    try:
        if kind == "graph":
            g = graph.build_graph(db, graph.parse_filters(since, until, types, min_weight))
            if entity:
                g = graph.neighbourhood(g, entity, depth)
            text = graph.export_graph(g, fmt or "gexf")
            with _output(output) as out:
                out.write(text)
            return
        with _output(output) as out:
            ex.write(ex.rows(db, kind), fmt or "jsonl", out)
    except (ex.ExportError, graph.GraphError) as exc:
        raise KbError(str(exc)) from None


STATUSES = ("single", "repeated", "open", "fulfilled", "overdue", "contradicted")


@cli.command()
@click.option("--status", "status_", type=click.Choice(STATUSES), default=None, help="Only threads with this status.")
@click.option("--entity", default=None, help="Only threads with claims by or about this entity (name or alias).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines (the fields of `kb export threads`).")
@click.option("--limit", default=50, show_default=True, type=int, help="At most this many threads (0: all).")
@DB_OPTION
def threads(status_: str | None, entity: str | None, as_json: bool, limit: int, db_path: str) -> None:
    """The claim threads a journalist follows, newest status change first."""
    from kb.track import thread_rows, today, update_threads

    db = _open_existing(db_path)
    update_threads(db)
    rows = thread_rows(db, status_, entity)
    if entity and not rows and not db.execute(
            "SELECT 1 FROM entities e LEFT JOIN entity_aliases a ON a.entity_id = e.id "
            "WHERE e.name = ? COLLATE NOCASE OR a.alias = ? COLLATE NOCASE LIMIT 1", [entity, entity]).fetchone():
        raise KbError(f"no entity named {entity!r}")
    shown = rows[:limit] if limit else rows
    for r in shown:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        deadline = f", deadline {r['deadline']}" if r["deadline"] else ""
        click.echo(f"#{r['id']} [{r['status']} since {r['status_since']}{deadline}] {r['label']}")
        click.echo(f"    {len(r['claims'])} claim(s), {len(r['independent_sources'])} source(s): "
                   f"{', '.join(r['independent_sources'][:5])}; first {(r['first_seen'] or '')[:10]}, "
                   f"last {(r['last_seen'] or '')[:10]}")
    if not as_json:
        more = f" (showing {len(shown)}; --limit 0 for all)" if len(shown) < len(rows) else ""
        click.echo(f"{len(rows)} thread(s) as of {today()}{more}")


@cli.command()
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--allow-sql", is_flag=True, help="Allow arbitrary SQL on a host other than localhost.")
@DB_OPTION
def serve(port: int, host: str, allow_sql: bool, db_path: str) -> None:
    """Serve the database with Datasette, the project's metadata and plugin."""
    from kb import serving

    _open_existing(db_path).close()
    sys.exit(serving.serve(db_path, host=host, port=port, allow_sql=allow_sql))


@cli.command()
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
@click.option("--db", "db_path", default="demo.db", show_default=True, type=click.Path(dir_okay=False))
def demo(port: int, host: str, no_serve: bool, db_path: str) -> None:
    """Build a database from the bundled sample (offline) and serve it."""
    from kb import serving

    serving.interrupt_on_sigterm()
    try:
        report = serving.build_demo(db_path, progress=_progress)
    except KeyboardInterrupt:               # Ctrl-C or SIGTERM while building: a clean stop
        click.echo("stopped", err=True)
        sys.exit(0)
    click.echo(f"{db_path}: {report.summary()}")
    if not no_serve:
        sys.exit(serving.serve(db_path, host=host, port=port))


if __name__ == "__main__":
    cli()
