"""Content shapes: which tokens a cue verb's object or reported clause covers.

Pure functions over the dependency parse, used by the cue rules (``.cues``).
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ...spans import DASHES, clamp, clean_span
from .lexicon import WORDS_OBJECTS, is_cue_lemma, lexicon
from .quotes import in_quote, quote_spans

RIGHT_SKIP = {"punct", "cc", "conj", "advcl", "parataxis", "mark", "nsubj", "nsubjpass", "aux",
              "auxpass", "neg", "dep", "intj", "meta"}
CONCESSIVE = {"although", "though", "while", "whereas"}


def right_complements(v: Token, after: int) -> tuple[int, int] | None:
    """Tokens after `after` governed by v as complements (objects, preps, xcomp), contiguous."""
    kids = [c for c in v.children if c.i > after and c.dep_ not in RIGHT_SKIP]
    if not kids:
        return None
    s = min(k.left_edge.i for k in kids)
    e = max(k.right_edge.i for k in kids) + 1
    return s, coordinated_tail(v.doc, s, e)


OBJECT_PREPS = {"as", "to", "for", "of", "with", "against", "into", "about", "from", "by"}
LOOSE = {"relcl", "appos", "acl", "advcl"}
BREAKS = {","} | DASHES


def object_span(v: Token, after: int) -> tuple[int, int] | None:
    """The object of v and the complements that belong to it ('X as a fraud', 'Y to Z'),
    without adjuncts of time and place ('in a ruling', 'during the debate') or a
    non-restrictive tail (', which ...', ', the latest chapter ...')."""
    kids = [c for c in v.children if c.i > after and c.dep_ not in RIGHT_SKIP]
    objs = [c for c in kids if c.dep_ in ("dobj", "dative", "oprd", "xcomp", "ccomp", "attr", "acomp")]
    if not objs:
        return right_complements(v, after)
    keep = objs + _object_preps(v.doc, kids, objs)
    s, e = min(k.left_edge.i for k in keep), max(k.right_edge.i for k in keep) + 1
    first = min(objs, key=lambda k: k.i)
    for t in v.doc[first.i + 1:e]:          # "the figure, which ...", "X of Y, the latest ...": cut at the comma
        if t.head.i >= first.i and t.left_edge.i > first.i and _text_before(v.doc, t.left_edge.i) in BREAKS \
                and (t.dep_ in LOOSE and t.right_edge.i >= e - 2 or t.dep_ == "appos"):
            e = min(e, t.left_edge.i - 1)
            while e > s and (v.doc[e - 1].is_space or v.doc[e - 1].is_punct):
                e -= 1
            break
    return s, coordinated_tail(v.doc, s, run_on(v.doc, e))


WH_WORDS = {"how", "what", "why", "whether", "who", "where", "when"}


def coordinated_tail(doc: Doc, s: int, e: int) -> int:
    """An object followed by 'and'/'or' and a conjunct the parser coordinated with a verb
    instead ('emphasizing fairness, and a need to ...'; 'mentioned X and forcing Y';
    'spoke of X and how Y'): a noun, a gerund or a wh-clause is a second object."""
    i = e
    while i < len(doc) and (doc[i].is_space or doc[i].text == ","):
        i += 1
    if i + 1 >= len(doc) or doc[i].lower_ not in ("and", "or") or "\n" in doc[e:i + 1].text:
        return e
    j, h = i + 1, doc[i + 1]
    while h.head.i != h.i and h.head.left_edge.i == j:
        h = h.head
    if h.dep_ != "conj" or s <= h.head.i < e or h.head.pos_ not in ("VERB", "AUX"):
        return e
    own_subj = any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children)
    second = h.pos_ in ("NOUN", "PROPN") or h.tag_ == "VBG" and h.head.tag_ != "VBG" and not own_subj \
        or doc[j].lower_ in WH_WORDS
    if not second:
        return e
    end = h.right_edge.i + 1
    while end > j and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end if "\n" not in doc[e:end].text else e


def run_on(doc: Doc, e: int) -> int:
    """A span that ends where the parser started a sentence with no stop before it
    ('cited remarks | Trump had made about X'): the words after it are still its own,
    to the end of that sentence."""
    if e >= len(doc) or e < 1 or not doc[e].is_sent_start or doc[e - 1].is_punct or doc[e - 1].is_space \
            or "\n" in doc[e - 1].whitespace_ or not doc[e].is_lower and doc[e].pos_ not in ("PROPN", "PRON", "NUM"):
        return e
    end = doc[e].sent.end
    for k in range(e + 1, end):     # '... loop-hole,” she said': the next cue is no part of it
        if doc[k].is_quote and not doc[k - 1].whitespace_ and _names_after(doc, k + 1):
            end = k
            break
    while end > e and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end if end > e and "\n" not in doc[e:end].text else e


def _object_preps(doc: Doc, kids: list[Token], objs: list[Token]) -> list[Token]:
    """Prepositions of the verb that complete its object ('X as a fraud', 'Y to Z'); a comma
    of the verb's own ends them ('..., with jabs that ...')."""
    out = []
    for c in sorted(kids, key=lambda k: k.i):
        if c.i < objs[0].i or c in objs or c.dep_ != "prep" or c.lower_ not in OBJECT_PREPS \
                or c.lower_ == "by" and any(x.dep_ == "pcomp" for x in c.children):   # 'by doing': the means
            continue
        comma = doc[c.left_edge.i - 1]
        if comma.text in BREAKS and comma.head.i == c.head.i:
            break              # 'attacked X as a fraud during the debate, with jabs ...'
        out.append(c)
    return out


def _text_before(doc: Doc, i: int) -> str:
    """The text of the last non-space token before token i."""
    i -= 1
    while i > 0 and doc[i].is_space:
        i -= 1
    return doc[i].text


def own_conjunct(root: Token, start: int) -> int:
    """Where a reported clause stops before a coordinated clause of the reporter's own
    ('said it was opposed to the test and warned ...'; '..., and when pressed, she ...')."""
    doc = root.doc
    for c in root.children:
        if c.dep_ != "conj" or c.i < root.i or c.pos_ not in ("VERB", "AUX"):
            continue
        cc = next((x for x in root.children if x.dep_ == "cc" and root.i < x.i < c.i), None)
        first = cc.i if cc is not None else c.left_edge.i
        own_subj = any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
        comma = first > start and doc[first - 1].text == ","
        if is_cue_lemma(c.lemma_.lower()) and not own_subj or own_subj and comma:
            return first - 1 if comma else first
    for c in root.children:     # '..., citing X' / '..., although ...': the reporter's, not the report
        if c.dep_ != "advcl" or c.i < root.i or c.left_edge.i <= start or doc[c.left_edge.i - 1].text != ",":
            continue
        concessive = any(m.dep_ == "mark" and m.lower_ in CONCESSIVE for m in c.children)
        participle = c.tag_ == "VBG" and not any(m.dep_ in ("nsubj", "aux", "mark") for m in c.children)
        if concessive or participle and is_cue_lemma(c.lemma_.lower()):   # not '..., because we're expecting'
            return c.left_edge.i - 1
        if c.tag_ == "VBG" and c.left_edge.i == c.i and c.right_edge.i >= root.right_edge.i - 1 \
                and not any(m.dep_ in ("mark", "nsubj") for m in c.children) and _cites_others(c):
            return c.left_edge.i - 1     # '..., engaging in what X described as ...': the writer's framing
    return len(doc)


def _cites_others(c: Token) -> bool:
    """A participle clause that relates the report to someone else's words ('contradicting the
    police's claim that ...', 'engaging in what analysts described as ...') is the writer's
    framing; one that only spells the report out ('..., prosecuting cases for ...') is not."""
    noun_set = lexicon()["noun_set"]
    return any(t.i != c.i and (t.pos_ == "VERB" and is_cue_lemma(t.lemma_.lower())
                                or t.pos_ == "NOUN" and t.lemma_.lower() in noun_set) for t in c.subtree)


def clause_span(doc: Doc, root: Token, exclude: set[int]) -> tuple[int, int]:
    """The subtree of a clause within its paragraph, cut before the cue's own tokens."""
    s, e = clamp(doc, (root.left_edge.i, root.right_edge.i + 1), root.i)
    inside = [i for i in range(s, e) if i not in exclude]
    if not inside:
        return s, s
    if any(i in exclude for i in range(s, e)):      # "X, she said, Y": keep the side with the root
        left = [i for i in inside if i < min(exclude)]
        right = [i for i in inside if i > max(exclude)]
        part = left if root.i < min(exclude) and left else right or left
        s, e = min(part), max(part) + 1
    q = in_quote(quote_spans(doc), s + 1 if doc[s].is_quote else s)
    if q is not None and q[1] < e and exclude and max(exclude) >= q[1] and not q[0] <= min(exclude) < q[1] \
            and _names_after(doc, q[1]):
        return s, q[1]      # '“A,” Flynn, a surrogate, said': the parser ran the quote into its speaker
    more = run_on(doc, e)
    return s, e if any(i in exclude for i in range(e, more)) else more


def _names_after(doc: Doc, i: int) -> bool:
    """A name or a personal pronoun comes first after the quote closing at token i."""
    while i < len(doc) and (doc[i].is_punct or doc[i].is_space):
        i += 1
    return i < len(doc) and (doc[i].pos_ == "PROPN" or doc[i].lower_ in ("he", "she", "they", "we", "i"))


def colon_tail(doc: Doc, cs: int, ce: int) -> int:
    """A reported clause that stops at a colon ('notes that three things are happening at once:
    A, B and C') goes on to the end of its sentence: what follows spells it out."""
    i = ce
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i + 1 >= len(doc) or doc[i].text != ":" or doc[i].sent != doc[cs].sent or "\n" in doc[i].whitespace_ \
            or doc[i + 1].is_quote:      # ': “...”' opens a quotation of its own
        return ce
    end = doc[i].sent.end
    if end == i + 1 and end < len(doc):      # the parser split the sentence at the colon
        end = doc[end].sent.end
    while end > i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end if end > i + 1 else ce


TIME_MARKS = {"after", "before", "when", "while", "until", "as", "once"}


def adjunct_tail(root: Token) -> int:
    """Where the words of an infinitive content stop before a trailing clause of time
    ('warned officials to boost security | after hackers targeted ...'): the occasion,
    not what was urged. Returns len(doc) when there is none."""
    for c in root.children:
        if c.dep_ == "advcl" and c.i > root.i and c.right_edge.i >= root.right_edge.i - 1 \
                and any(m.dep_ == "mark" and m.lower_ in TIME_MARKS and m.i == c.left_edge.i for m in c.children):
            return c.left_edge.i
    return len(root.doc)


def words_object(v: Token, after: int) -> tuple[int, int] | None:
    """'has said the same thing', 'said as much', 'said his piece', 'says things such as ...': a
    speech verb whose object stands for the words said (WORDS_OBJECTS), not a clause."""
    doc = v.doc
    obj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i), None)
    if obj is None:
        much = next((c for c in v.children if c.dep_ == "advmod" and c.lower_ == "much" and c.i == v.i + 2
                     and doc[v.i + 1].lower_ == "as"), None)       # 'said as much'
        return (v.i + 1, v.i + 3) if much is not None else None
    if obj.lemma_.lower() not in WORDS_OBJECTS or obj.tag_ in ("NNP", "NNPS"):
        return None
    span = object_span(v, after)
    if span is None:
        return None
    s, e = clamp(doc, span, v.i)
    e = next((t.i for t in doc[obj.i + 1:e] if t.text == "," and t.i + 1 < e and doc[t.i + 1].lower_ == "including"), e)
    s, e = clean_span(doc, s, e)
    return (s, e) if e > s else None
