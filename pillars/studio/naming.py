"""IRIs for new resources, by the naming rules of NOTES.md ("Naming inside the article").

`art:claim-<topic>`, `art:quantity-<topic>`, `art:cite-<author>-<year>[-n]`,
`art:source-<author>-<year><suffix>`, `art:perception-<actor>-<threat>`, `art:role-<person>`,
`art:ev-<thing>[-n]` ...; actors and places get the shared form `actor:<kebab-name>` and
`place:<kebab-name>`. The topic is the label's first content words in kebab-case. A name
already taken anywhere the article can see gets -2, -3 ... (citations always count from -1
when the work is cited more than once, as the curated article does).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from pillars.namespaces import ID, PIL

_STOP = frozenset(
    "a an the of and or to in on at by for with as is are was were be been that which this "
    "these those its their his her it they from into than then there so not no".split()
)
_PREFIX_BY_CLASS = {
    "Claim": "claim", "Thesis": "thesis", "Conclusion": "conclusion",
    "Counterpoint": "counterpoint", "RejectedExplanation": "explanation",
    "Quantity": "quantity", "Threat": "threat", "IdentityThreat": "threat",
    "StabilityThreat": "threat", "RegionalThreat": "threat", "Limit": "limit",
    "IntellectualLimit": "limit", "PowerStrategyLimit": "limit", "RivalryLimit": "limit",
    "Pillar": "pillar", "PillarComponent": "component", "CooperationDimension": "dimension",
    "SecurityConvergence": "convergence", "SecurityReferent": "referent", "Role": "role",
    "Event": "event", "Section": "section", "Journal": "journal", "Evidence": "ev",
    "ThreatPerception": "perception",
}  # fmt: skip
_SHARED_KIND = {"Place": "place"}
_ACTORS = {
    "Actor",
    "State",
    "Organisation",
    "ArmedGroup",
    "Person",
    "Group",
    "SchoolOfThought",
    "Elite",
}
MAX_WORDS = 4


def kebab(words: str, limit: int | None = MAX_WORDS, every_word: bool = False) -> str:
    """'Iran's trade with Russia' -> 'iran-trade-russia': ASCII, lower case, content words
    (`every_word`: keep "and", "et", "al" ..., as authors' names need)."""
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]s\b", "", ascii_text)
    tokens = [t for t in re.split(r"[^a-z0-9]+", ascii_text.lower()) if t]
    content = tokens if every_word else [t for t in tokens if t not in _STOP] or tokens
    return "-".join(content[:limit] if limit else content)


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def base_name(
    cls: str,
    label: str,
    values: Mapping[str, list[str]],
    links: Mapping[str, list[str]],
    label_of: Callable[[str], str],
) -> tuple[str, str]:
    """(namespace kind, local name without a counter) for a new resource of class `cls`."""
    short = cls[len(PIL) :] if cls.startswith(PIL) else local_name(cls)
    if short in _ACTORS:
        return "actor", kebab(label, None, every_word=True) or "actor"
    if short in _SHARED_KIND:
        return _SHARED_KIND[short], kebab(label, None, every_word=True) or short.lower()
    if short == "Source":
        author = kebab((values.get(PIL + "authorString") or [label])[0], None, every_word=True)
        year = (values.get(PIL + "year") or [""])[0]
        suffix = (values.get(PIL + "yearSuffix") or [""])[0]
        return "art", "-".join(p for p in ("source", author, year + suffix) if p)
    if short == "Citation":
        works = links.get(PIL + "citesWork") or []
        work = local_name(works[0]).removeprefix("source-") if works else kebab(label)
        return "art", f"cite-{work}" if work else "cite"
    if short == "ThreatPerception":
        who = [local_name(x) for x in links.get(PIL + "perceiver", [])[:1]]
        what = [
            local_name(x).removeprefix("threat-")
            for x in links.get(PIL + "perceivedThreat", [])[:1]
        ]
        if who or what:
            return "art", "-".join(["perception", *who, *what])
    if short == "Role":
        holders = links.get(PIL + "roleHolder") or []
        if holders:
            return "art", "role-" + local_name(holders[0])
    prefix = _PREFIX_BY_CLASS.get(short, kebab(re.sub(r"(?<!^)(?=[A-Z])", " ", short), None))
    topic = kebab(label)
    if short == "Thesis" and not topic:
        return "art", "thesis"
    return "art", f"{prefix}-{topic}" if topic else prefix


def namespace_of(kind: str, article_ns: str) -> str:
    return article_ns if kind == "art" else f"{ID}{kind}/"


def unique(namespace: str, name: str, taken: Callable[[str], bool], counted: bool = False) -> str:
    """The first free IRI of `name`, `name-2`, `name-3` ... (`counted`: from `name-1`)."""
    if not counted and not taken(namespace + name):
        return namespace + name
    n = 1 if counted else 2
    while taken(f"{namespace}{name}-{n}"):
        n += 1
    return f"{namespace}{name}-{n}"


def evidence_name(owner: str, taken: Callable[[str], bool], article_ns: str) -> str:
    """art:ev-<local name of the resource it anchors>, with -2, -3 ... when taken."""
    return unique(article_ns, "ev-" + local_name(owner), taken)
