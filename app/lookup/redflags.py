"""Red-flag detection: symptom patterns that need medical care, not a muscle
lookup. Pure; patterns come from ``data/red_flags.yaml``.

A rule fires when every one of its groups has a phrase in the question that
the question does not deny ("no fever", "bladder fine"). The question is read
through the same tokens as the lookup (typos, txt-speak and run-together
words fixed), and facts said in numbers are added as words rules can use: an
age of 50 or more as "aged over 50", a temperature of 37.8 °C (100 °F) or
more as "fever".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from app.lookup.text import Language, Negation, Token, denied_starts, tokenise, words

# Other words allowed among a phrase's words, in all.
MAX_GAP = 2
OLDER_AGE = 50
FEVER_CELSIUS = 37.8
FEVER_FAHRENHEIT = 100.0
AGE_WORDS = "aged over 50"
FEVER_WORDS = "fever"

_AGE = re.compile(
    r"\b(?:i'?m|i am|im|aged?|age of|over|at|is|was|he'?s|she'?s|hes|shes|they'?re"
    r"|mum|mom|mother|dad|father|husband|wife|partner|nan|nana|gran|granny|grandma|grandad"
    r"|grandpa|grandmother|grandfather)\s+(?:is\s+|was\s+)?(\d{2,3})\b"
    r"(?!\s*(?:min|hour|hr|day|week|wk|month|kg|lb|pound|mile|km|met|time|degree|%|mg|ml|mph"
    r"|minute|second|sec|am|pm|o'?clock))"
    r"|\b(\d{2,3})\s*(?:y/?o|yo|yrs?\s*old|years?\s*old|year[- ]old|yr[- ]old)\b"
    r"|\bin\s+(?:my|his|her|their)\s+(\d)0'?s\b"
    r"|(?:^|[.!?]\s*)(\d{2,3})\s*(?:,|yo\b|m\b|f\b|male\b|female\b)",
    re.IGNORECASE,
)
_TEMPERATURE = re.compile(
    r"\b(\d{2,3}(?:[.,]\d)?)\s*(?:°|º|degrees?|deg)?\s*([cf])?\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_TEMPERATURE_CUE = re.compile(r"\b(?:temp|temperature|fever|thermometer|°|degrees?)\b|°", re.I)


@dataclass(frozen=True)
class RedFlagRule:
    slug: str
    name: str
    warning: str
    urgency: str
    # Every group must match; one phrase of a group suffices. Phrases are
    # tuples of folded words, matched as consecutive tokens.
    groups: tuple[tuple[tuple[str, ...], ...], ...]


@dataclass(frozen=True)
class Finding:
    rule: RedFlagRule
    recognised: tuple[str, ...]  # the phrase that matched each group


def compile_rule(
    slug: str,
    name: str,
    warning: str,
    urgency: str,
    patterns: Iterable[Sequence[str]],
    key: Callable[[str], tuple[str, ...]] = lambda phrase: tuple(words(phrase)),
) -> RedFlagRule:
    """A rule whose phrases are read as questions are (``key``: the
    language's phrase form, rewrites included)."""
    groups = tuple(tuple(folded for folded in map(key, group) if folded) for group in patterns)
    return RedFlagRule(slug, name, warning, urgency, groups)


_Entry = tuple[tuple[str, ...], frozenset[str], int, int]  # phrase, other words, rule, group


class RedFlagMatcher:
    """Every rule's phrases indexed by their first and second words, so a
    question is scanned once whatever the number of rules."""

    def __init__(self, rules: Iterable[RedFlagRule]) -> None:
        self.rules = [rule for rule in rules if rule.groups]
        # first word → second word ("" for one-word phrases) → phrases; each
        # with the set of its other words, so most are ruled out by one
        # subset test before any scanning.
        self.index: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
        for rule_index, rule in enumerate(self.rules):
            for group_index, group in enumerate(rule.groups):
                for phrase in group:
                    entry = (phrase, frozenset(phrase[1:]), rule_index, group_index)
                    self.index[phrase[0]][phrase[1] if len(phrase) > 1 else ""].append(entry)

    def phrase_words(self) -> set[str]:
        """Every word the rules use (spelling correction aims at them too)."""
        return {
            w
            for by_second in self.index.values()
            for entries in by_second.values()
            for phrase, *_ in entries
            for w in phrase
        }

    def _candidates(
        self, by_second: dict[str, list[_Entry]], words_: list[str], start: int
    ) -> Iterator[_Entry]:
        """Phrases starting with the word at ``start`` (``by_second``: its index entry)."""
        yield from by_second.get("", ())
        # The second word stands within MAX_GAP words of the first.
        for second in dict.fromkeys(words_[start + 1 : start + 2 + MAX_GAP]):
            yield from by_second.get(second, ())

    def detect(self, tokens: Sequence[Token], negation: Negation) -> list[Finding]:
        found: list[tuple[int, int, int, int]] = []  # start, length, rule, group
        words_ = [t.word for t in tokens]
        present = frozenset(words_)
        index = self.index
        for start, word in enumerate(words_):
            by_second = index.get(word)
            if not by_second:  # most words start no phrase
                continue
            for phrase, rest, rule_index, group_index in self._candidates(by_second, words_, start):
                if not rest <= present:
                    continue
                end = _phrase_end(tokens, start, phrase, negation.denying_words)
                if end:
                    found.append((start, end - start, rule_index, group_index))
        # A rule needs every one of its groups: when none has them all even
        # before denials are taken out (most questions), nothing is found.
        seen: dict[int, set[int]] = defaultdict(set)
        for _, _, rule_index, group_index in found:
            seen[rule_index].add(group_index)
        if all(len(groups) < len(self.rules[r].groups) for r, groups in seen.items()):
            return []
        spans: dict[int, int] = {}
        for start, length, _, _ in found:
            spans[start] = max(spans.get(start, 0), length)
        denied = denied_starts(tokens, spans, negation)
        recognised: dict[int, dict[int, str]] = defaultdict(dict)
        for start, length, rule_index, group_index in found:
            if start not in denied:
                text = " ".join(words_[start : start + length])
                recognised[rule_index].setdefault(group_index, text)
        findings = []
        for rule_index in sorted(recognised):  # in the rules' order
            rule, groups = self.rules[rule_index], recognised[rule_index]
            if len(groups) == len(rule.groups):
                findings.append(Finding(rule, tuple(groups[g] for g in range(len(rule.groups)))))
        return findings


def _phrase_end(
    tokens: Sequence[Token], start: int, phrase: tuple[str, ...], denying: frozenset[str]
) -> int:
    """Where ``phrase`` ends when it starts at ``start``: its words in order
    in one clause, with at most MAX_GAP other words among them ("coughed up
    some streaks of blood" for "coughed up blood"), none of them a denial
    ("calf not swollen" is no "calf swollen"). 0 when it is not there."""
    position = start + 1
    gaps = 0
    for word in phrase[1:]:
        while position < len(tokens) and tokens[position].word != word:
            if (
                gaps == MAX_GAP
                or tokens[position].word in denying
                or tokens[position].clause != tokens[start].clause
            ):
                return 0
            gaps += 1
            position += 1
        if position >= len(tokens) or tokens[position].clause != tokens[start].clause:
            return 0
        position += 1
    return position


def derived_facts(question: str) -> list[str]:
    """Facts a question gives in numbers, as the words rules use for them."""
    facts: list[str] = []
    if not _DIGIT.search(question):  # ages and temperatures are written in digits
        return facts
    for match in _AGE.finditer(question):
        age_text = next(g for g in match.groups() if g)
        age = int(age_text) * (10 if len(age_text) == 1 else 1)
        if OLDER_AGE <= age <= 120:
            facts.append(AGE_WORDS)
            break
    if _TEMPERATURE_CUE.search(question) or re.search(r"\d[.,]\d", question):
        for match in _TEMPERATURE.finditer(question):
            value = float(match.group(1).replace(",", "."))
            unit = (match.group(2) or "").lower()
            celsius = FEVER_CELSIUS <= value <= 43 and unit != "f"
            fahrenheit = FEVER_FAHRENHEIT <= value <= 110 and unit != "c"
            if celsius or (fahrenheit and (unit == "f" or _TEMPERATURE_CUE.search(question))):
                facts.append(FEVER_WORDS)
                break
    return facts


def with_facts(
    question: str, tokens: list[Token], read: Callable[[str], list[Token]]
) -> list[Token]:
    """The question's tokens, then its derived facts ("I'm 58") as clauses
    of their own, read the same way (``read``)."""
    facts = derived_facts(question)
    if not facts:
        return tokens
    last = tokens[-1].clause if tokens else 0
    return tokens + [Token(t.word, t.clause + last, t.corrected) for t in read(" . ".join(facts))]


def detect(
    question: str, rules: Iterable[RedFlagRule], language: Language | None = None
) -> list[RedFlagRule]:
    """The rules a question matches (for rules used on their own; the lookup
    engine keeps one matcher and speller per dataset)."""
    language = language or Language()
    matcher = RedFlagMatcher(rules)
    speller = language.make_speller(matcher.phrase_words())

    def read(text: str) -> list[Token]:
        return tokenise(text, language, speller)

    tokens = with_facts(question, read(question), read)
    return [finding.rule for finding in matcher.detect(tokens, language.negation)]
