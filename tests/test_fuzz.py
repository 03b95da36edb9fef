"""Fuzzing ingest (issue 12): a few hundred hostile inputs, kept fast (parsers and folder
ingest without extraction; bench/fuzz_inputs.py runs thousands, extraction included).

Properties: a parser never raises anything but IngestError on bad bytes; every string it
returns is valid UTF-8; every item of a JSON Feed becomes an article or a listed problem;
a folder ingest stores or records every file and stores everything it yields.
"""
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_harness as fz
from conftest import need

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEEDS = fz.corpus_files("feeds", 40_000)
PAGES = fz.corpus_files("html", 60_000)

ops = st.lists(st.tuples(st.sampled_from(fz.OPS), st.floats(0, 1), st.floats(0, 1),
                         st.one_of(st.sampled_from(fz.PAYLOADS), st.binary(min_size=1, max_size=16))),
               min_size=1, max_size=4)
odd_text = st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=()), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text
    | st.sampled_from(["<p>Some <b>HTML</b>, said Ann.</p>", "lone \ud800", "https://example.org/x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "title", "content_html", "content_text", "summary", "url", "authors"]) | odd_text,
        inner, max_size=4),
    max_leaves=12)
names = st.tuples(st.binary(min_size=1, max_size=10).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                            and b not in (b".", b"..")),
                  st.sampled_from(fz.EXTENSIONS)).map(lambda t: t[0] + t[1].encode())


@pytest.fixture(scope="module", autouse=True)
def corpus_present():
    need(fz.CORPUS)


@settings(FUZZ, max_examples=90)
@given(feed=st.sampled_from(FEEDS or [None]), changes=ops)
def test_mutated_corpus_feeds_never_raise(feed, changes):
    fz.check_feed(fz.mutate(feed.read_bytes(), changes))


@settings(FUZZ, max_examples=60)
@given(items=st.lists(json_values, max_size=6), title=json_values)
def test_every_json_feed_item_is_kept_or_listed(items, title):
    data = json.dumps({"version": fz.JSONFEED_VERSION, "title": title, "items": items}).encode()
    fz.check_jsonfeed(data)


@settings(FUZZ, max_examples=20)
@given(page=st.sampled_from(PAGES or [None]), changes=ops)
def test_mutated_corpus_pages_never_raise(page, changes):
    fz.check_page(fz.mutate(page.read_bytes(), changes))


@settings(FUZZ, max_examples=100)
@given(data=st.binary(max_size=3000) | st.builds(fz.mutate, st.just(b"Title\n\nThe minister said so.\n"), ops))
def test_text_decoding_never_raises(data):
    fz.check_text(data)


@pytest.mark.skipif(os.name != "posix", reason="byte file names are POSIX")
@settings(FUZZ, max_examples=30)
@given(files=st.dictionaries(names, st.binary(max_size=400) | st.builds(
    fz.mutate, st.sampled_from([b"Title\n\nThe minister said so.\n",
                                b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": 1}]}',
                                b"<rss version='2.0'><channel><item><title>T</title></item></channel></rss>"]),
    ops), min_size=1, max_size=6))
def test_folder_ingest_stores_or_records_every_file(files):
    result = fz.check_folder(files)
    assert result.unaccounted == [] and result.unstored == [] and result.unexpected == []
