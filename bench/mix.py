"""The query mix: typical lookups with parameters drawn from the data, and the competency questions.

The competency questions in queries/ were written for one article and scan the whole store;
over 1,000 articles they take seconds to minutes each on every engine, so they are timed one
by one (`competency_questions`) rather than mixed into the throughput runs.

`Mix.warm()` is a fixed list of query texts (repeated: what a result cache can serve);
`Mix.cold(n)` gives `n` texts that are all different (each one evaluated), varying the
parameters (actor, article, claim, word) and numbering each text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from pillars.namespaces import sparql_prefixes

QUERIES = Path(__file__).resolve().parent.parent / "queries"
SELECT_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
P = sparql_prefixes()


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    accept: str  # SELECT/ASK: JSON results; CONSTRUCT/DESCRIBE: Turtle

    def numbered(self, n: int) -> Query:
        return Query(self.name, f"{self.text}\n# {n}", self.accept)


# Each template names its parameters in braces; `Samples` fills them from the data.
TEMPLATES: dict[str, tuple[str, str]] = {
    "describe-claim": ("DESCRIBE <{claim}>", TURTLE),
    "threats-of-actor": (
        "SELECT ?threat ?label WHERE {{ ?p pil:perceiver <{actor}> ; pil:perceivedThreat ?threat ."
        " ?threat rdfs:label ?label }} ORDER BY ?threat ?label",
        SELECT_JSON,
    ),
    "two-actors-join": (
        "SELECT ?type WHERE {{ {{ SELECT DISTINCT ?type WHERE {{ ?p1 pil:perceiver <{actor}> ;"
        " pil:perceivedThreat/pil:threatType ?type }} }} {{ SELECT DISTINCT ?type WHERE {{"
        " ?p2 pil:perceiver <{actor2}> ; pil:perceivedThreat/pil:threatType ?type }} }} }}"
        " ORDER BY ?type",
        SELECT_JSON,
    ),
    "aggregate-all": (
        "SELECT ?type (COUNT(?t) AS ?n) WHERE {{ ?t pil:threatType ?type }}"
        " GROUP BY ?type ORDER BY ?type",
        SELECT_JSON,
    ),
    "construct-argument": (
        "CONSTRUCT {{ ?a pil:supports ?b . ?c pil:attacks ?d }} WHERE {{ GRAPH <{graph}> {{"
        " {{ ?a pil:supports ?b }} UNION {{ ?c pil:attacks ?d }} }} }}",
        TURTLE,
    ),
    "property-path": (
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ <{claim}> (pil:supports|pil:attacks)+ ?c }}",
        SELECT_JSON,
    ),
    "ask": (
        "ASK {{ ?p pil:perceiver <{actor}> ; pil:perceivedThreat/pil:threatType ?type }}",
        SELECT_JSON,
    ),
    "claims-with-quotes": (
        "SELECT ?claim ?quote WHERE {{ GRAPH <{graph}> {{ ?claim a pil:Claim ;"
        " pil:hasEvidence/oa:exact ?quote }} }} ORDER BY ?claim ?quote",
        SELECT_JSON,
    ),
}
TEXT_FILTER = (
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e oa:exact ?x"
    ' FILTER(CONTAINS(LCASE(?x), "{word}")) }}'
)
TEXT_FUNCTION = (
    "PREFIX pilfn: <https://w3id.org/pillars/function#>\n"
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e oa:exact ?x"
    ' FILTER(pilfn:matches(?e, "{word}")) }}'
)
TEXT_VIRTUOSO = (
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e oa:exact ?x . ?x bif:contains '\"{word}\"' }}"
)
# What /search.json answers: the 20 best matches, by Virtuoso's own text score.
TEXT_VIRTUOSO_RANKED = (
    "SELECT ?e ?x WHERE {{ ?e oa:exact ?x . ?x bif:contains '\"{word}\"' OPTION (score ?sc) }}"
    " ORDER BY DESC(?sc) LIMIT 20"
)


@dataclass(frozen=True)
class Samples:
    actors: list[str]
    claims: list[str]
    graphs: list[str]
    words: list[str]

    @classmethod
    def of(cls, store: ox.Store, seed: int = 7) -> Samples:
        def column(query: str) -> list[str]:
            rows = store.query(P + query, use_default_graph_as_union=True)
            return sorted({r[0].value for r in rows})  # type: ignore[index, union-attr]

        rng = random.Random(seed)
        actors = column("SELECT DISTINCT ?a WHERE { ?p pil:perceiver ?a }")
        claims = column("SELECT DISTINCT ?c WHERE { ?c pil:supports|pil:attacks ?x }")
        graphs = column("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a pil:Claim } }")
        quotes = column("SELECT ?x WHERE { ?e oa:exact ?x }")
        counts: dict[str, int] = {}
        for q in quotes:
            for w in {w.lower() for w in q.split() if w.isalpha() and len(w) > 5}:
                counts[w] = counts.get(w, 0) + 1
        # Words in 0.1-5 % of the quotes: a search that finds something, not everything.
        words = sorted(w for w, c in counts.items() if len(quotes) / 1000 <= c <= len(quotes) / 20)
        if not (actors and claims and graphs and words):
            raise ValueError("the corpus has no perceivers, claims or quotes to draw from")
        return cls(
            rng.sample(actors, min(40, len(actors))),
            rng.sample(claims, min(200, len(claims))),
            rng.sample(graphs, min(200, len(graphs))),
            rng.sample(words, min(200, len(words))),
        )

    def fill(self, template: str, i: int) -> str:
        actors = self.actors
        return P + template.format(
            actor=actors[i % len(actors)],
            actor2=actors[(i * 7 + 1) % len(actors)],
            claim=self.claims[i % len(self.claims)],
            graph=self.graphs[i % len(self.graphs)],
            word=self.words[i % len(self.words)],
        )


def competency_questions() -> list[Query]:
    return [
        Query(path.stem.split("-")[0], path.read_text(encoding="utf-8"), SELECT_JSON)
        for path in sorted(QUERIES.glob("cq*.rq"))
    ]


class Mix:
    def __init__(self, samples: Samples) -> None:
        self.samples = samples

    def warm(self) -> list[Query]:
        """A fixed list, repeated as it is: three variants of each lookup."""
        return [
            Query(n, self.samples.fill(t, i), a)
            for i in range(3)
            for n, (t, a) in TEMPLATES.items()
        ]

    def cold(self, n: int) -> list[Query]:
        """`n` different texts cycling through the lookups (numbered, parameters varied)."""
        names = list(TEMPLATES)
        out = []
        for i in range(n):
            name = names[i % len(names)]
            template, accept = TEMPLATES[name]
            out.append(Query(name, self.samples.fill(template, i), accept).numbered(i))
        return out

    def text(self, kind: str, n: int) -> list[Query]:
        template = {
            "filter": TEXT_FILTER,
            "function": TEXT_FUNCTION,
            "virtuoso": TEXT_VIRTUOSO,
            "virtuoso-ranked": TEXT_VIRTUOSO_RANKED,
        }
        return [
            Query(f"text-{kind}", self.samples.fill(template[kind], i), SELECT_JSON).numbered(i)
            for i in range(n)
        ]
