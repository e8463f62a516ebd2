"""When did a trigger's event happen: the date expression attached to it in the parse.

A date counts for a trigger when it hangs off the trigger's own clause (or the
reporting verb that introduces it: "Russia said on Thursday it would expel").
Dates that count from another event ("the following day", "a day later") are
resolved against the previous event's date in the story, not the publication.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from plotwatch.resolve import find_date_expressions, resolve_date
from plotwatch.resolve.date_ranges import find_date_ranges, resolve_range
from plotwatch.resolve.date_words import date_words
from plotwatch.resolve.dates import is_anaphoric, normalise

AT_THE_TIME = "at the time"  # the time last told, at its precision
COUNTED_FROM_CLAUSE = re.compile(r"\b(after|before)$", re.IGNORECASE)
# "earlier in the day", "later in the day": the day of the story's news, not of the last date told
SAME_DAY_AS_NEWS = re.compile(r"\b(?:earlier|later)\s+(?:in|on)\s+the\s+day\b", re.IGNORECASE)
REPORTING = {"say", "announce", "tell", "confirm", "state", "report", "add", "declare", "write", "disclose",
             "reveal", "note", "explain", "accuse", "allege", "decide", "agree"}  # fmt: skip


def owner(token: Token, stop: set[int]) -> Token:
    """The predicate a token belongs to: the first verb (or stop token) above it."""
    current = token
    for _ in range(8):
        if current.i in stop or (current.pos_ in {"VERB", "AUX"} and current is not token):
            return current
        if current.head is current:
            return current
        current = current.head
    return current


# "the plot uncovered in March": when it came to light is not when it happened
DISCOVERY = {"uncover", "discover", "reveal", "disclose", "expose", "report", "announce", "investigate", "detect"}


def predicates(trigger: Token) -> set[int]:
    """Token indices whose dates belong to this trigger's event."""
    own = {trigger.i}
    if trigger.pos_ not in {"VERB", "AUX"} and trigger.head is not trigger and trigger.dep_ != "pobj":
        head = trigger.head.head if trigger.head.dep_ == "prep" else trigger.head
        if head.pos_ in {"VERB", "AUX"}:
            own.add(head.i)
    if trigger.pos_ == "NOUN":  # "a prisoner exchange brokered by Oman on Friday", "the murder committed in 2015"
        own |= {c.i for c in trigger.children
                if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() not in DISCOVERY}  # fmt: skip
    if trigger.dep_ == "pobj" and trigger.head.head.dep_ == "acomp":
        own.add(trigger.head.head.head.i)  # "was responsible for the poisoning ... on 4 March": the poisoning's day
    clause = trigger if trigger.pos_ in {"VERB", "AUX"} else trigger.head
    progressive = clause.tag_ == "VBG" and any(c.lower_ in {"was", "were"} for c in clause.children)
    if clause.dep_ == "relcl" and progressive and clause.head.head.pos_ in {"VERB", "AUX"}:
        own.add(clause.head.head.i)  # "police detained two men who were photographing the area": then
    bare = not any(c.dep_ in {"mark", "nsubj"} for c in clause.children)
    if clause.dep_ == "advcl" and clause.tag_ == "VBG" and bare:
        own.add(clause.head.i)  # "The same day, the EU added two men to its list, freezing their assets"
    while clause.dep_ in {"xcomp", "ccomp", "conj"} and clause.head is not clause:
        via = clause.dep_
        clause = clause.head
        if via == "conj" or clause.lemma_.lower() in REPORTING or clause.dep_ == "xcomp":
            own.add(clause.i)
        else:
            break
    return own


def _when_clauses(trigger: Token) -> set[int]:
    """"When the service disclosed the plot in October 2018, Denmark recalled ...": same time as the main act."""
    verb = trigger if trigger.pos_ in {"VERB", "AUX"} else trigger.head
    return {c.i for c in verb.children
            if c.dep_ == "advcl" and any(m.dep_ == "advmod" and m.lower_ in {"when", "as"} for m in c.children)}


def _fronted(date_span: Span) -> bool:
    """"On 17 March, three days after ..., Russia expelled": a date opening the sentence before a comma sets
    the time of the main clause, wherever the parser hung it."""
    sentence = date_span.sent
    lead = date_span.start - sentence.start
    opener = lead == 0 or (lead == 1 and sentence[0].pos_ == "ADP")
    after = date_span.end
    return opener and after < sentence.end and date_span.doc[after].text == ","


def attached_dates(span: Span, triggers: set[int]) -> list[tuple[int, str, int, int]]:
    """(distance, expression, start, end) of the sentence's date expressions attached to this trigger, with the
    expression's character offsets in the sentence."""
    sentence = span.sent
    own = predicates(span.root) | _when_clauses(span.root) | {t.i for t in span if t.pos_ in {"VERB", "AUX"}}
    found = []
    for start, end, text in find_date_expressions(sentence.text):
        date_span = sentence.doc.char_span(sentence.start_char + start, sentence.start_char + end,
                                           alignment_mode="expand")  # fmt: skip
        while date_span is not None and len(date_span) > 1 and date_span[-1].is_punct:
            date_span = date_span[:-1]  # "on 4 March." : the full stop hangs off the main verb, not the date
        if date_span is None or _deadline(date_span):
            continue
        if _fronted(date_span):
            if sentence.root.i in own:
                found.append((abs(date_span.start - span.start), text, start, end))
            continue
        if owner(date_span.root, triggers | own).i in own:
            found.append((abs(date_span.start - span.start), text, start, end))
    return sorted(found)


DEADLINE_WORDS = {"by", "within", "until", "till", "before"}


def _deadline(date_span: Span) -> bool:
    """"ordered 20 staff to leave by the end of Monday": when something must be done by, not when it was done."""
    if date_span[0].lower_ in DEADLINE_WORDS:
        return True
    token = date_span.root
    for _ in range(4):  # Monday <- of <- end <- by
        if token.dep_ == "prep" and token.lower_ in DEADLINE_WORDS:
            return True
        if (token.dep_ not in {"pobj", "prep"} and token.pos_ != "NOUN") or token.head is token:
            return False
        token = token.head
    return False


def news_day(doc: Doc, published: str | None) -> str | None:
    """The day the story's news happened: the first date of its first body paragraph told to the day."""
    text = doc.text
    title_end = text.find("\n\n")
    body = text[title_end + 2 :] if title_end >= 0 else text
    first = body.split("\n\n", 1)[0]
    for _, _, expression in find_date_expressions(first):
        if is_anaphoric(expression):
            continue
        resolved = resolve_date(expression, published)
        if resolved and len(resolved) == 10:
            return resolved
    return None


def lead_date(span: Span) -> str | None:
    """A timeline entry's date: "30 June 2018: Belgian police arrest ..." (paragraph start, then a colon)."""
    doc = span.doc
    text = doc.text
    start = text.rfind("\n\n", 0, span.start_char)
    start = 0 if start < 0 else start + 2
    head = text[start : start + 40]
    for begin, end, expression in find_date_expressions(head):
        if begin == 0 and head[end : end + 2].strip().startswith(":"):
            return expression
    return None


def event_date(
    span: Span, triggers: set[int], published: str | None, previous: str | None
) -> tuple[str | None, str | None]:
    """The resolved (date, date_end) of the trigger's event; date_end only for a range ("between 25 and 27
    September 2018"); (None, None) when the text gives no date."""
    lead = lead_date(span)
    if lead is not None and span.root.dep_ != "pobj":
        return resolve_date(lead, published), None
    ranges = find_date_ranges(span.sent.text)
    perfect = _present_perfect(span.root)
    for _, text, start, end in attached_dates(span, triggers):
        anchor = published
        if is_anaphoric(text):
            if COUNTED_FROM_CLAUSE.search(text):
                # "On 17 March, three days after May ordered 23 diplomats out": the ordering is 17 March less three
                # days; the main clause's act ("two years after he was killed") counts from the other clause
                counted = _counted_back(span, text, triggers, published)
                if counted is not None:
                    return counted, None
                continue
            phrase = normalise(text)
            if previous is None and phrase == AT_THE_TIME:
                continue  # the time of nothing told: not the day of publication
            anchor = previous or published
            if SAME_DAY_AS_NEWS.search(text):
                anchor = news_day(span.doc, published) or anchor
            if anchor and len(anchor) < 10 and phrase in date_words().day_offsets and phrase != AT_THE_TIME:
                continue  # "the same day" counts from a day, not from "last June"
        within = next((r for r in ranges if r.start <= start and end <= r.end), None)
        both = resolve_range(within, published) if within is not None and anchor == published else None
        if both is not None:
            return both
        if perfect and not _own_date(span, start, end):
            continue  # "Albania has expelled Iran's ambassador, the ministry said on Wednesday": by Wednesday
        resolved = resolve_date(text, anchor)
        if resolved:
            return (in_story_year(resolved, text, span, published) if anchor == published else resolved), None
    return None, None


def perfect_month(span: Span, triggers: set[int], published: str | None) -> str | None:
    """The month a present-perfect act of the story's news was done by, for when nothing else dates it: "Albania
    has expelled Iran's ambassador, the ministry said on Wednesday" is of Wednesday's month, not of Wednesday;
    "A Danish court has sentenced ..." in the lead, of the month the story is told in."""
    if not _present_perfect(span.root, reported_past=True):
        return None
    for _, text, start, end in attached_dates(span, triggers):
        if not is_anaphoric(text) and not _own_date(span, start, end):
            resolved = resolve_date(text, published)
            if resolved:
                return resolved[:7]
    return published[:7] if published and _in_lead(span) else None


def _present_perfect(trigger: Token, reported_past: bool = False) -> bool:
    """"has expelled", "have been arrested": done by the time of telling, at a time the perfect leaves open; with
    ``reported_past``, also its backshifted form in reported speech ("said he had been declared ...")."""
    verb = trigger if trigger.pos_ in {"VERB", "AUX"} else None
    if verb is None:
        return False
    reported = reported_past and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING
    perfect = {"has", "have", "'ve", "had"} if reported else {"has", "have", "'ve"}
    return any(c.dep_ == "aux" and c.lower_ in perfect for c in verb.children)


def _own_date(span: Span, start: int, end: int) -> bool:
    """Whether the date at sentence offsets [start, end) hangs off the trigger itself, not a verb reporting it."""
    sentence = span.sent
    date_span = sentence.doc.char_span(sentence.start_char + start, sentence.start_char + end, alignment_mode="expand")
    return date_span is not None and (date_span.root.head.i == span.root.i or date_span.root.i == span.root.i
                                      or date_span.root.head.head.i == span.root.i)  # fmt: skip


def _in_lead(span: Span) -> bool:
    """Whether the span is in the story's first body paragraph (after the title line)."""
    text = span.doc.text
    title_end = text.find("\n\n")
    body = title_end + 2 if title_end >= 0 else 0
    first_end = text.find("\n\n", body)
    return body <= span.start_char and (first_end < 0 or span.start_char < first_end)


COUNTED = re.compile(r"^(?P<n>\w+)\s+(?P<unit>days?|weeks?)\s+(?P<way>after|before)$", re.IGNORECASE)


def _counted_back(span: Span, expression: str, triggers: set[int], published: str | None) -> str | None:
    """The date of an act in a "three days after …" clause, from the main clause's own date."""
    m = COUNTED.match(expression.strip())
    verb = span.root
    if m is None or verb.dep_ not in {"advcl", "ccomp"} or not any(c.lower_ == m["way"].lower() for c in verb.children):
        return None
    words = date_words()
    count = int(m["n"]) if m["n"].isdigit() else words.numbers.get(m["n"].lower())
    sentence = span.sent
    main: str | None = None
    for start, end, text in find_date_expressions(sentence.text):
        if text == expression or is_anaphoric(text):
            continue
        begin = sentence.start_char
        date_span = sentence.doc.char_span(begin + start, begin + end, alignment_mode="expand")
        if date_span is not None and (_fronted(date_span) or owner(date_span.root, triggers).i == sentence.root.i):
            main = resolve_date(text, published)
            break
    if count is None or main is None or len(main) < 10:
        return None
    days = count * (7 if m["unit"].lower().startswith("week") else 1)
    shifted = date.fromisoformat(main) - timedelta(days=days if m["way"].lower() == "after" else -days)
    return shifted.isoformat()


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
FAR_DAYS = 183
RELATIVE_WORDS = re.compile(r"\b(?:last|this|next|ago|year|previous|past|coming)\b", re.IGNORECASE)


def in_story_year(resolved: str, expression: str, span: Span, published: str | None) -> str:
    """"30 June" in a February 2021 report of a 2018 trial is 30 June 2018, not 2020: a yearless day that would
    lie more than half a year before publication takes the year the story last named, when there is one.
    Months alone ("in March", told in December) are this year's: news recaps its own year that way."""
    if YEAR.search(expression) or RELATIVE_WORDS.search(expression) or len(resolved) < 10 or not published:
        return resolved
    try:
        gap = (date.fromisoformat(published[:10]) - date.fromisoformat(f"{resolved}-15"[:10])).days
    except ValueError:
        return resolved
    if gap <= FAR_DAYS:
        return resolved
    named = YEAR.findall(span.doc.text[: span.sent.end_char])
    if not named or not int(named[-1]) < int(resolved[:4]):
        return resolved
    candidate = named[-1] + resolved[4:]
    return candidate if candidate <= published else resolved


BACKGROUND_MARKS = {"after", "since", "before", "until", "following", "once"}
PAST_ADVERBS = {"earlier", "previously", "already", "once", "formerly", "since", "then", "later"}
OTHER_TIME = re.compile(
    r"\b(?:(?:the\s+)?(?:same|that|following|next|previous|preceding)\s+"
    r"(?:day|morning|afternoon|evening|night|week|weekend|month|year)|at\s+the\s+time|by\s+then|in\s+the\s+meantime)\b",
    re.IGNORECASE,
)  # a sentence that counts from another event's time: "the same afternoon", "at the time"


def is_background(trigger: Token) -> bool:
    """Told as background to the story's news, not as the news: "hours after Canada expelled", "Britain, which
    expelled ...", "had been expelled" (unless reported speech backshifts it: "said ... had been told")."""
    verb = trigger if trigger.pos_ in {"VERB", "AUX"} else trigger.head
    if trigger.dep_ == "pobj" and trigger.head.lower_ in BACKGROUND_MARKS:
        return True
    if verb.dep_ in {"relcl", "acl"}:
        return True
    children = list(verb.children)
    if verb.dep_ in {"advcl", "pcomp"} and (
        any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in children)
        or (verb.dep_ == "pcomp" and verb.head.lower_ in BACKGROUND_MARKS)
    ):
        return True
    if any(c.dep_ == "advmod" and c.lower_ in PAST_ADVERBS for c in children):
        return True
    perfect = any(c.dep_ == "aux" and c.lower_ == "had" for c in children)
    reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING
    return perfect and not reported
