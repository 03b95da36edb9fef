-- kb database schema: the one place the tables are defined.
-- Applied by kb/store.py (see SCHEMA_VERSION there); every statement is idempotent.
-- Offsets (start/end columns) are character offsets into articles.text.
-- Full-text tables (articles_fts, claims_fts) and their triggers are made by kb/store.py; the
-- update triggers fire only when an indexed column changes.

CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,          -- the path or URL as given
    kind TEXT,                            -- feed | page | file | folder
    title TEXT,
    followed INTEGER NOT NULL DEFAULT 0,  -- 1 for feeds added with `kb feeds add`
    etag TEXT,
    last_modified TEXT,
    last_checked_at TEXT,
    last_status TEXT
);

CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,          -- the path or URL as given (feed entries: the entry link)
    source_id INTEGER REFERENCES sources(id),
    url TEXT,                             -- canonical URL where the page names one
    title TEXT,
    byline TEXT,
    published_at TEXT,                    -- ISO 8601
    updated_at TEXT,                      -- ISO 8601
    language TEXT,
    standfirst TEXT,
    text TEXT NOT NULL,
    kind TEXT,                            -- file | page | feed-entry
    content_hash TEXT NOT NULL,
    duplicate_of INTEGER REFERENCES articles(id),
    ingested_at TEXT NOT NULL,
    extracted_at TEXT,                    -- null until the NLP has run on this text
    extractor_version TEXT,
    canonical_url TEXT,                   -- url (else source) without fragment and tracking parameters
    near_duplicate_of INTEGER REFERENCES articles(id),  -- the first copy of the same story (other text)
    similarity REAL,                      -- estimated Jaccard similarity to near_duplicate_of
    minhash TEXT,                         -- MinHash signature of the text (ingest/dedup.py)
    entry_hash TEXT,                      -- fingerprint of the feed entry it came from
    outlet TEXT,                          -- who published it: the page's site name, else its host; null for files
    reprint_of INTEGER REFERENCES articles(id),  -- the earlier article whose (wire) report this one reprints or rewrites
    reprint_score REAL                    -- share of the shorter narrative (text outside quotes) found in the other
);
CREATE INDEX IF NOT EXISTS idx_articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS idx_articles_canonical ON articles(canonical_url);
CREATE INDEX IF NOT EXISTS idx_articles_near ON articles(near_duplicate_of);

-- Locality-sensitive hashing bands of articles.minhash: articles sharing a band are
-- candidates for near-duplicates.
CREATE TABLE IF NOT EXISTS article_bands (
    band TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_article_bands_article ON article_bands(article_id);
CREATE INDEX IF NOT EXISTS idx_articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS idx_articles_reprint ON articles(reprint_of);

-- Sampled fingerprints of an article's narrative (text outside quotation marks): articles
-- sharing several marks are candidates for reprints and rewrites of one report (ingest/dedup.py).
CREATE TABLE IF NOT EXISTS article_marks (
    mark INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (mark, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_article_marks_article ON article_marks(article_id);
CREATE INDEX IF NOT EXISTS idx_articles_published ON articles(published_at);

CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,                   -- government firm app official person media place group other
    name_key TEXT,                        -- one key for spelling variants (kb.nlp.entities.names.name_key)
    sense TEXT NOT NULL DEFAULT '',       -- what tells apart things of one name and type, from their context:
                                          -- 'state' (New York), 'Hong Kong' (its Labour Party), 'national team'
    UNIQUE (name, type, sense)
);
CREATE INDEX IF NOT EXISTS idx_entities_type ON entities(type);
CREATE INDEX IF NOT EXISTS idx_entities_name_key ON entities(name_key);

CREATE TABLE IF NOT EXISTS entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    alias TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX IF NOT EXISTS idx_aliases_alias ON entity_aliases(alias);

-- Curation decisions (kb/curation.py): applied to the stored rows when made, and to every
-- later extraction, so they survive `kb extract --all`.
CREATE TABLE IF NOT EXISTS entity_decisions (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,                 -- merge rename set-type split
    name TEXT NOT NULL,                   -- the entity decided on (name and type at the time)
    type TEXT NOT NULL,
    alias TEXT,                           -- split: the mention text split off
    value TEXT NOT NULL,                  -- merge: target name; rename: new name; set-type: new type; split: new name
    value_type TEXT,                      -- merge: target type; split: new type
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_entity_decisions_name ON entity_decisions(name, type);
-- Canned queries match names and aliases case-insensitively (COLLATE NOCASE).
CREATE INDEX IF NOT EXISTS idx_aliases_alias_nocase ON entity_aliases(alias COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS idx_entities_name_nocase ON entities(name COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    type TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS idx_mentions_entity ON mentions(entity_id);
-- An entity's mentions and articles counted, its latest articles listed, from the index alone.
CREATE INDEX IF NOT EXISTS idx_mentions_entity_article ON mentions(entity_id, article_id);
-- Statistics for a new index (one scan of it, on migration): added to a database analysed before, it
-- would look to the query planner like 10 rows a key and be picked over better ones.
ANALYZE idx_mentions_entity_article;

-- Entities named in the same article: one count per article, both directions. Kept in step
-- by kb/store.py (extraction) and kb/curation.py (merge, split), so "most co-mentioned with X"
-- reads a few rows even for an entity in 40k articles. Rows may drop to 0; queries skip them.
CREATE TABLE IF NOT EXISTS co_mentions (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    other_id INTEGER NOT NULL REFERENCES entities(id),
    articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, other_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_co_mentions_weight ON co_mentions(entity_id, articles);

CREATE TABLE IF NOT EXISTS claim_threads (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,             -- 't' + its id (stable across regrouping of other threads)
    label TEXT,                           -- the proposition in words: participants, event, deadline
    subject_entity_id INTEGER REFERENCES entities(id),
    predicate TEXT,
    event TEXT,                           -- event class of the proposition (kb/data/wordnet_events.json)
    participants TEXT,                    -- JSON list of participant keys shared by its claims
    status TEXT,                          -- single | repeated | open | fulfilled | overdue | contradicted
    status_since TEXT,                    -- date of the last status change (see thread_history)
    deadline TEXT,                        -- the deadline in force: the latest restatement's (ISO date)
    deadlines TEXT,                       -- JSON [{date, claim_id}], every deadline stated, oldest first
    claims INTEGER,
    statements INTEGER,                   -- distinct statements: one quote reprinted is one
    independent_sources TEXT,             -- JSON list of outlets; a reprint counts with its original
    sources INTEGER,                      -- the number of independent sources
    flags TEXT,                           -- JSON [{flag, speaker, claim_ids}]: one speaker saying opposite things
    first_seen TEXT,
    last_seen TEXT,
    as_of TEXT                            -- the date the status was computed for (today or $KB_NOW)
);
CREATE INDEX IF NOT EXISTS idx_threads_status_deadline ON claim_threads(status, deadline);
CREATE INDEX IF NOT EXISTS idx_threads_as_of ON claim_threads(as_of);
-- Lists read in index order, never sorted whole: open promises soonest deadline first (undated
-- last), threads by their latest status change (contradicted threads newest first).
CREATE INDEX IF NOT EXISTS idx_threads_open_order ON claim_threads(status, deadline IS NULL, deadline,
                                                                 last_seen DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_threads_status_since ON claim_threads(status, status_since);
ANALYZE idx_threads_open_order;
ANALYZE idx_threads_status_since;

-- Every status change of a thread: when, to what, and the claim that caused it (null: the
-- deadline passed with no report that it happened).
CREATE TABLE IF NOT EXISTS thread_history (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES claim_threads(id),
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    claim_id INTEGER REFERENCES claims(id),
    reason TEXT
);
CREATE INDEX IF NOT EXISTS idx_thread_history_thread ON thread_history(thread_id, at);
CREATE INDEX IF NOT EXISTS idx_thread_history_at ON thread_history(at);

-- Candidate lookup for grouping: proposition keys (event class and participant, quantity)
-- -> the threads holding a claim with that key.
CREATE TABLE IF NOT EXISTS thread_index (
    key TEXT NOT NULL,
    thread_id INTEGER NOT NULL REFERENCES claim_threads(id),
    PRIMARY KEY (key, thread_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_thread_index_thread ON thread_index(thread_id);

-- The article's own reports of events ("Greece has now missed its payment"): not claims of
-- anyone's, kept so that one that bears on a followed promise becomes a claim (kind 'report').
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    sentence TEXT NOT NULL,
    content TEXT NOT NULL,
    content_start INTEGER,
    content_end INTEGER,
    data TEXT NOT NULL,                   -- JSON: the claims row it becomes (contract fields, proposition)
    checked INTEGER NOT NULL DEFAULT 0,   -- 1 once compared with the threads
    claim_id INTEGER REFERENCES claims(id)  -- set once it became a claim
);
CREATE INDEX IF NOT EXISTS idx_reports_checked ON reports(checked);
CREATE INDEX IF NOT EXISTS idx_reports_article ON reports(article_id);

CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    sentence TEXT NOT NULL,
    speaker TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_entity_id INTEGER REFERENCES entities(id),
    speaker_refers_to TEXT,               -- the earlier phrase "she", "the diplomat", "one of them" stands for
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    content TEXT NOT NULL,
    content_start INTEGER,
    content_end INTEGER,
    via TEXT,
    via_entity_id INTEGER REFERENCES entities(id),
    subject TEXT,
    subject_entity_id INTEGER REFERENCES entities(id),
    predicate TEXT,
    predicate_text TEXT,
    objects TEXT,                         -- JSON list of {text, entity}
    modality TEXT,                        -- asserted future possible hedged demanded conditional
    polarity TEXT,                        -- positive negative
    direct_quote INTEGER NOT NULL DEFAULT 0,
    thread_id INTEGER REFERENCES claim_threads(id),
    thread_key TEXT,                      -- kb/track.thread_key of this claim ('' = none); null = not yet keyed
    time_text TEXT,                       -- time expression of the content ("soon", "next month")
    time_value TEXT,                      -- resolved against the article date: 2014-09, 2014-08-08
    time_start INTEGER,                   -- offsets of the time expression (time_text) in the article text
    time_end INTEGER,
    time_relation TEXT,                   -- by until not_until on in within before after since at
    time_tense TEXT,                      -- past present future: the tense of the clause it modifies
    deadline TEXT,                        -- ISO date the content's own time expression sets ("by the end of June")
    claimant TEXT,                        -- whose claim a relayed claim is ("the ministry told us that ..."), as written
    claimant_entity_id INTEGER REFERENCES entities(id),
    kind TEXT NOT NULL DEFAULT 'claim',   -- claim | report (the article's own report, kept for a followed promise)
    event TEXT,                           -- event class of the content (kb/data/wordnet_events.json)
    event_polarity TEXT,                  -- polarity folded with antonyms and negation ("the block will not last": positive restore)
    event_also TEXT,                      -- the event of what a phase verb acts on ("delayed a payment": pay)
    revision INTEGER,                     -- 1: the claim moves a date ("won't be hit until June", "delayed to May")
    prospective INTEGER,                  -- 1: it says what will come without a future tense ("the ban is temporary")
    realized INTEGER,                     -- 1: it says the event happened or holds ("has missed", "reached", "is in arrears")
    participants TEXT,                    -- JSON list of participant keys: "e<entity id>", "w:<noun lemma>"
    quantities TEXT,                      -- JSON list of {value, unit, text}
    statement_key TEXT,                   -- the same quoted words in two articles: one statement
    thread_reason TEXT                    -- JSON: why the claim is in its thread (matched claim, shared participants, event)
);
CREATE INDEX IF NOT EXISTS idx_claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS idx_claims_speaker ON claims(speaker_entity_id);
CREATE INDEX IF NOT EXISTS idx_claims_subject ON claims(subject_entity_id);
CREATE INDEX IF NOT EXISTS idx_claims_modality ON claims(modality);
CREATE INDEX IF NOT EXISTS idx_claims_thread ON claims(thread_id);
CREATE INDEX IF NOT EXISTS idx_claims_thread_key ON claims(thread_key);
CREATE INDEX IF NOT EXISTS idx_claims_statement ON claims(statement_key);

-- Thread keys whose claims were removed or re-pointed since threads were last updated.
CREATE TABLE IF NOT EXISTS threads_to_update (
    key TEXT PRIMARY KEY
);
-- Canned queries: a speaker as written, an outlet (entity or as written).
CREATE INDEX IF NOT EXISTS idx_claims_speaker_text ON claims(speaker COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS idx_claims_via_entity ON claims(via_entity_id);
CREATE INDEX IF NOT EXISTS idx_claims_via_text ON claims(via COLLATE NOCASE);
-- claims_by_speaker: the speaker as written, skipping (in the index) the claims its entity brought.
CREATE INDEX IF NOT EXISTS idx_claims_speaker_text_entity ON claims(speaker COLLATE NOCASE, speaker_entity_id);
-- The claims table filtered by speaker (and modality): rows in id order and the modality,
-- polarity and direct_quote facets counted from the index, not from the hub's 60k+ rows.
CREATE INDEX IF NOT EXISTS idx_claims_speaker_facets ON claims(speaker_entity_id, modality, id, polarity,
                                                               direct_quote);
-- Facets of the whole claims table and of claims_view counted on an index, not the table.
CREATE INDEX IF NOT EXISTS idx_claims_polarity ON claims(polarity);
CREATE INDEX IF NOT EXISTS idx_claims_direct_quote ON claims(direct_quote);
-- (statistics for the indexes above: see idx_mentions_entity_article)
ANALYZE idx_claims_speaker_text_entity;
ANALYZE idx_claims_speaker_facets;
ANALYZE idx_claims_polarity;
ANALYZE idx_claims_direct_quote;

CREATE TABLE IF NOT EXISTS claim_entities (
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    role TEXT NOT NULL,                   -- speaker subject object via
    at TEXT,                              -- the article's date (published, else ingested): newest-first lists
    PRIMARY KEY (claim_id, entity_id, role)
);
-- An entity's claims newest first without sorting them all (hubs have 100k+ claims).
CREATE INDEX IF NOT EXISTS idx_claim_entities_at ON claim_entities(entity_id, at, role, claim_id);
CREATE INDEX IF NOT EXISTS idx_claim_entities_entity ON claim_entities(entity_id, role);
-- Covering: an entity's claims without reading the table (claims about an entity, the graph).
CREATE INDEX IF NOT EXISTS idx_claim_entities_cover ON claim_entities(entity_id, role, claim_id);

CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL REFERENCES entities(id),
    predicate TEXT NOT NULL,              -- operates owns works_for role based_in ...
    object_id INTEGER NOT NULL REFERENCES entities(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    evidence TEXT,
    start INTEGER,
    "end" INTEGER
);
CREATE INDEX IF NOT EXISTS idx_relations_subject ON relations(subject_id);
CREATE INDEX IF NOT EXISTS idx_relations_object ON relations(object_id);
CREATE INDEX IF NOT EXISTS idx_relations_article ON relations(article_id);

CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    stage TEXT NOT NULL,                  -- read fetch parse feed entry store extract
    reason TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    resolved_at TEXT                      -- set when a later run succeeds on the source
);
CREATE INDEX IF NOT EXISTS idx_failures_source ON failures(source);

-- Views: names instead of ids, for browsing and for graph exports.
-- claims_view reads each name with a subquery on its primary key rather than a join, so that
-- what Datasette runs on every page of it (a count, facets on modality or polarity) reads the
-- claims' own indexes instead of a million joined rows; a page of rows reads its names only.
CREATE VIEW IF NOT EXISTS claims_view AS
SELECT c.id, c.article_id,
       (SELECT title FROM articles WHERE id = c.article_id) AS article_title,
       (SELECT url FROM articles WHERE id = c.article_id) AS article_url,
       (SELECT published_at FROM articles WHERE id = c.article_id) AS published_at,
       c.speaker,
       (SELECT name FROM entities WHERE id = c.speaker_entity_id) AS speaker_name,
       (SELECT type FROM entities WHERE id = c.speaker_entity_id) AS speaker_type,
       c.speaker_refers_to, c.cue, c.content, c.subject,
       (SELECT name FROM entities WHERE id = c.subject_entity_id) AS subject_name,
       c.predicate, c.modality, c.polarity, c.direct_quote, c.via, c.sentence, c.thread_id,
       (SELECT status FROM claim_threads WHERE id = c.thread_id) AS thread_status
FROM claims c;

-- Who published each article, as find_claims filters and shows it: its outlet, else the host of
-- its URL (without www.), else its file name; and its day (published, else ingested).
CREATE VIEW IF NOT EXISTS article_outlets AS
SELECT a.id,
       CASE WHEN a.outlet != '' THEN a.outlet
            WHEN instr(coalesce(a.url, a.source), '://') > 0 THEN    -- the host of the URL, without www.
                CASE WHEN substr(substr(coalesce(a.url, a.source), instr(coalesce(a.url, a.source), '://') + 3), 1, instr(substr(coalesce(a.url, a.source), instr(coalesce(a.url, a.source), '://') + 3) || '/', '/') - 1) LIKE 'www.%'
                     THEN substr(substr(substr(coalesce(a.url, a.source), instr(coalesce(a.url, a.source), '://') + 3), 1, instr(substr(coalesce(a.url, a.source), instr(coalesce(a.url, a.source), '://') + 3) || '/', '/') - 1), 5)
                     ELSE substr(substr(coalesce(a.url, a.source), instr(coalesce(a.url, a.source), '://') + 3), 1, instr(substr(coalesce(a.url, a.source), instr(coalesce(a.url, a.source), '://') + 3) || '/', '/') - 1) END
            ELSE replace(a.source, rtrim(a.source, replace(a.source, '/', '')), '') END AS outlet,
       substr(coalesce(a.published_at, a.ingested_at), 1, 10) AS day
FROM articles a;

CREATE VIEW IF NOT EXISTS edges AS
SELECT s.name AS source, o.name AS target, r.predicate AS label, 'relation' AS kind,
       r.article_id, r.evidence
FROM relations r JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id
UNION ALL
SELECT sp.name, ce.name, c.predicate, 'claim:' || ce_role.role, c.article_id, c.sentence
FROM claims c
JOIN entities sp ON sp.id = c.speaker_entity_id
JOIN claim_entities ce_role ON ce_role.claim_id = c.id AND ce_role.role IN ('subject', 'object')
JOIN entities ce ON ce.id = ce_role.entity_id
WHERE ce.id != sp.id;

-- One row per story: the first copy, with how many sources carry it (exact and near
-- duplicates included), so that counts of sources do not double.
CREATE VIEW IF NOT EXISTS stories AS
SELECT a.id, a.title, a.url, a.published_at, a.source,
       1 + (SELECT count(*) FROM articles d
            WHERE d.duplicate_of = a.id OR (d.duplicate_of IS NULL AND d.near_duplicate_of = a.id)
               OR (d.duplicate_of IS NULL AND d.near_duplicate_of IS NULL AND d.reprint_of = a.id)) AS copies
FROM articles a
WHERE a.duplicate_of IS NULL AND a.near_duplicate_of IS NULL AND a.reprint_of IS NULL;

-- Backfill claim_entities.at for databases made before the column existed (runs on migration).
UPDATE claim_entities SET at = (
    SELECT coalesce(a.published_at, a.ingested_at) FROM claims c JOIN articles a ON a.id = c.article_id
    WHERE c.id = claim_entities.claim_id)
WHERE at IS NULL;

-- Fill co_mentions for databases made before the table existed (runs on migration).
INSERT INTO co_mentions (entity_id, other_id, articles)
SELECT a.entity_id, b.entity_id, count(*)
FROM (SELECT DISTINCT article_id, entity_id FROM mentions) a
JOIN (SELECT DISTINCT article_id, entity_id FROM mentions) b
  ON a.article_id = b.article_id AND a.entity_id != b.entity_id
WHERE NOT EXISTS (SELECT 1 FROM co_mentions)
GROUP BY a.entity_id, b.entity_id;
