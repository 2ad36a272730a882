"""A deterministic synthetic corpus: N articles that follow the ontology and pass the shapes.

    python -m bench.synth OUT --articles 100 --seed 1

writes OUT/instances/shared/*.ttl (a pool of actors and events every article draws from) and
OUT/instances/art-NNNN/{article.ttl,text.txt}. Each article has the shape of a real one: two
pillars with three components each, a dozen threats perceived by actors from the shared pool,
limits with sub-limits, about forty claims, thirty sources cited some fifty times, quantities,
roles, and a text whose every quote sits at its offsets (the text is built sentence by
sentence, and each evidence block records where its sentence landed).

The threat and limit types are the bundled ones (instances/shared/), so cross-article queries
over a synthetic corpus see the same concepts as over the real one. Same seed, same bytes.
"""

# ruff: noqa: E501  (Turtle templates read best one statement per line)
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

from pillars.anchor import turtle_string

PREFIXES = """@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix event: <https://w3id.org/pillars/id/event/> .
@prefix threat-type: <https://w3id.org/pillars/id/threat-type/> .
@prefix limit-type: <https://w3id.org/pillars/id/limit-type/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

THREAT_TYPES = (
    "regime-change", "sanctions", "ethnic-religious-radicalism", "jihadist-extremism",
    "cultural-invasion", "civilizational-competition", "societal-discontent", "military-threat",
    "nato-expansion", "foreign-military-presence",
)  # fmt: skip
LIMIT_TYPES = (
    "intellectual-divide", "power-asymmetry", "balancing-strategy", "cultural-rivalry",
    "economic-rivalry", "historical-mistrust",
)  # fmt: skip
THREAT_KINDS = ("IdentityThreat", "StabilityThreat", "RegionalThreat")
LIMIT_KINDS = ("IntellectualLimit", "PowerStrategyLimit", "RivalryLimit")
CLAIM_KINDS = ("Claim", "Claim", "Claim", "Counterpoint", "Conclusion", "RejectedExplanation")
WORDS = (
    "security", "order", "regime", "alliance", "border", "strategy", "identity", "region",
    "pressure", "influence", "network", "balance", "doctrine", "crisis", "market", "energy",
    "frontier", "legitimacy", "rivalry", "partnership", "deterrence", "sovereignty",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Bakr", "Castell", "Dorn", "Ekwueme", "Farahani", "Gorski", "Haddad", "Ivanova",
    "Jansen", "Karimi", "Lebedev", "Mirza", "Novak", "Okafor", "Petrov", "Quraishi", "Rahimi",
    "Sokolov", "Tehrani", "Usmanov", "Volkova", "Weller", "Yazdi", "Zubov",
)  # fmt: skip
N_STATES, N_ORGS, N_PERSONS, N_EVENTS = 24, 10, 16, 20


def shared_pool(rng: random.Random) -> tuple[str, list[str], list[str], list[str]]:
    """Turtle for the shared vocabulary, and the IRIs of its states, persons and events."""
    states = [f"actor:state-{i:02d}" for i in range(1, N_STATES + 1)]
    orgs = [f"actor:organisation-{i:02d}" for i in range(1, N_ORGS + 1)]
    persons = [f"actor:person-{i:02d}" for i in range(1, N_PERSONS + 1)]
    events = [f"event:event-{i:02d}" for i in range(1, N_EVENTS + 1)]
    out = [PREFIXES]
    for i, iri in enumerate(states, 1):
        out.append(f'{iri} a pil:State ; rdfs:label "State {i:02d}"@en .\n')
    for i, iri in enumerate(orgs, 1):
        out.append(f'{iri} a pil:Organisation ; rdfs:label "Organisation {i:02d}"@en .\n')
    for i, iri in enumerate(persons, 1):
        out.append(f'{iri} a pil:Person ; rdfs:label "Person {i:02d}"@en .\n')
    for i, iri in enumerate(events, 1):
        start = rng.randint(1950, 2010)
        out.append(
            f'{iri} a pil:Event ; rdfs:label "Event {i:02d}"@en ; pil:dateAsGiven "{start}" ;\n'
            f'    pil:startYear "{start}"^^xsd:gYear ; pil:location {rng.choice(states)} ;\n'
            f"    pil:participant {rng.choice(states)} , {rng.choice(orgs)} .\n"
        )
    return "".join(out), states, persons, events


@dataclass
class Article:
    """Builds one article: text and Turtle grow together so that every offset is right."""

    slug: str
    rng: random.Random
    text: list[str] = field(default_factory=list)
    length: int = 0
    turtle: list[str] = field(default_factory=list)
    anchors: list[tuple[int, int]] = field(default_factory=list)

    def say(self, sentence: str) -> str:
        """Append a sentence (and unquoted prose after it) to the text; return the IRI of an
        evidence block quoting the sentence."""
        start = self.length
        self.anchors.append((start, start + len(sentence)))
        # Prose nobody quotes, as in a real article: it brings the text to a real length.
        filler = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(15, 30)))
        self._append(f"{sentence} {filler.capitalize()}. ")
        return f"art:ev-{len(self.anchors)}"

    def _append(self, chunk: str) -> None:
        self.text.append(chunk)
        self.length += len(chunk)

    def evidence_turtle(self) -> str:
        text = "".join(self.text)
        return "".join(
            f"art:ev-{n} a pil:Evidence ; oa:exact {turtle_string(text[start:end])} ;\n"
            f"    oa:prefix {turtle_string(text[max(0, start - 32) : start])} ;\n"
            f"    oa:suffix {turtle_string(text[end : end + 32])} ;\n"
            f"    oa:start {start} ; oa:end {end} ; pil:inText art:text .\n"
            for n, (start, end) in enumerate(self.anchors, 1)
        )

    def paragraph(self) -> None:
        self._append("\n")

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def add(self, block: str) -> None:
        self.turtle.append(block)


def article(
    index: int, seed: int, states: list[str], persons: list[str], events: list[str]
) -> Article:
    rng = random.Random(seed * 1_000_003 + index)
    slug = f"art-{index:04d}"
    a = Article(slug, rng)
    year = rng.randint(2005, 2022)
    pair = rng.sample(states, 2)
    sections = [f"art:section-{i}" for i in range(1, 6)]

    for i, section in enumerate(sections, 1):
        ev = a.say(f"Section {i} of article {index}: {a.words(3)}.")
        a.add(f'{section} a pil:Section ; rdfs:label "Section {i}" ; pil:sectionNumber {i} ;\n'
              f"    pil:hasEvidence {ev} .\n")  # fmt: skip
        if i == 1:
            a.paragraph()

    pillars, components = ["art:pillar-1", "art:pillar-2"], []
    for p, pillar in enumerate(pillars, 1):
        comps = [f"art:component-{p}-{c}" for c in range(1, 4)]
        components.extend(comps)
        ev = a.say(f"The {p}. pillar of the convergence rests on {a.words(4)}.")
        a.add(f'{pillar} a pil:Pillar ; rdfs:label "pillar {p}" ; pil:hasComponent {", ".join(comps)} ;\n'
              f"    pil:hasEvidence {ev} .\n")  # fmt: skip
        for c, comp in enumerate(comps, 1):
            ev = a.say(f"Its component {p}.{c} concerns {a.words(3)}.")
            a.add(
                f'{comp} a pil:PillarComponent ; rdfs:label "component {p}.{c}" ; pil:hasEvidence {ev} .\n'
            )
    a.paragraph()

    dims = ["art:dimension-1", "art:dimension-2"]
    for d, dim in enumerate(dims, 1):
        ev = a.say(f"Cooperation dimension {d} covers {a.words(3)}.")
        a.add(f'{dim} a pil:CooperationDimension ; rdfs:label "dimension {d}" ;\n'
              f"    pil:involves {', '.join(pair)} ; pil:hasEvidence {ev} .\n")  # fmt: skip

    referents = [f"art:referent-{r}" for r in range(1, 4)]
    for r, ref in enumerate(referents, 1):
        a.add(f'{ref} a pil:SecurityReferent ; rdfs:label "referent {r}" .\n')
    for t in range(1, 13):
        threat = f"art:threat-{t}"
        common = t % 2 == 0
        ev = a.say(f"Threat {t} is {a.words(4)}.")
        a.add(f"{threat} a pil:{THREAT_KINDS[t % 3]} ; rdfs:label \"threat {t}\" ;\n"
              f"    pil:threatType threat-type:{rng.choice(THREAT_TYPES)} ;\n"
              f"    pil:groupedUnder {rng.choice(components)} ;\n"
              f"    pil:presentedAsCommon {'true' if common else 'false'} ; pil:hasEvidence {ev} .\n")  # fmt: skip
        for who in pair if common else pair[:1]:
            ev = a.say(f"{who.split(':')[1]} perceives threat {t} as {a.words(2)}.")
            attributed = rng.choice(states)
            a.add(f"art:perception-{who.split(':')[1]}-{t} a pil:ThreatPerception ;\n"
                  f"    pil:perceiver {who} ; pil:perceivedThreat {threat} ;\n"
                  f"    pil:attributedTo {attributed} ; pil:endangers {referents[t % 3]} ;\n"
                  f"    pil:hasEvidence {ev} .\n")  # fmt: skip
    a.paragraph()

    limits = []
    for lim in range(1, 4):
        limit = f"art:limit-{lim}"
        limits.append(limit)
        ev = a.say(f"Limit {lim} restrains the convergence through {a.words(3)}.")
        a.add(f"{limit} a pil:{LIMIT_KINDS[lim - 1]} ; rdfs:label \"limit {lim}\" ;\n"
              f"    pil:limitType limit-type:{rng.choice(LIMIT_TYPES)} ; pil:involves {', '.join(pair)} ;\n"
              f"    pil:hasEvidence {ev} .\n")  # fmt: skip
        for sub in range(1, 3):
            ev = a.say(f"Sub-limit {lim}.{sub} is {a.words(3)}.")
            a.add(f"art:limit-{lim}-{sub} a pil:{LIMIT_KINDS[lim - 1]} ; rdfs:label \"limit {lim}.{sub}\" ;\n"
                  f"    pil:subLimitOf {limit} ; pil:hasEvidence {ev} .\n")  # fmt: skip
    a.paragraph()

    ev = a.say(f"This article argues that {a.words(6)}.")
    a.add(
        f'art:thesis a pil:Thesis ; rdfs:label "thesis of article {index}" ; pil:hasEvidence {ev} .\n'
    )
    claims = ["art:thesis"]
    for c in range(1, 40):
        claim = f"art:claim-{c}"
        ev = a.say(f"Claim {c} holds that {a.words(5)}.")
        link = "pil:attacks" if CLAIM_KINDS[c % 6] == "RejectedExplanation" else "pil:supports"
        about = f" ; pil:concerns {rng.choice(events)}" if c % 5 == 0 else ""
        a.add(f"{claim} a pil:{CLAIM_KINDS[c % 6]} ; rdfs:label \"claim {c}\" ;\n"
              f"    {link} {rng.choice(claims)}{about} ; pil:hasEvidence {ev} .\n")  # fmt: skip
        claims.append(claim)
    a.paragraph()

    sources = []
    works = sorted({(rng.choice(SURNAMES), rng.randint(1990, year)) for _ in range(60)})
    for s, (author, cited_year) in enumerate(rng.sample(works, min(30, len(works))), 1):
        source = f"art:source-{author.lower()}-{cited_year}-{s}"
        sources.append((source, author, cited_year))
        a.add(f'{source} a pil:Source ; pil:authorString "{author}" ;\n'
              f'    pil:year "{cited_year}"^^xsd:gYear ; rdfs:label "{author} {cited_year}" .\n')  # fmt: skip
    a.add(f"art:article cito:citesAsEvidence {', '.join(s for s, _, _ in sources)} .\n")
    for n in range(1, 51):
        source, author, cited_year = sources[(n - 1) % len(sources)]
        page = rng.randint(1, 400)
        ev = a.say(f"({author} {cited_year}, {page})")
        a.add(f"art:cite-{n} a pil:Citation ; pil:citesWork {source} ;\n"
              f'    pil:citedFor {rng.choice(claims)} ; pil:pageLocator "{page}" ; pil:hasEvidence {ev} .\n')  # fmt: skip
    a.paragraph()

    for q in range(1, 6):
        value = rng.randint(1, 9999) / 10
        ev = a.say(f"Quantity {q} amounts to {value} percent of {a.words(2)}.")
        a.add(f'art:quantity-{q} a pil:Quantity ; pil:numericValue {value} ; pil:unit "percent" ;\n'
              f'    pil:measures "share of {a.words(1)}" ; pil:about {rng.choice(states)} ; pil:hasEvidence {ev} .\n')  # fmt: skip
    for r in range(1, 4):
        holder = rng.choice(persons)
        ev = a.say(f"{holder.split(':')[1]} served as minister {r}.")
        a.add(f'art:role-{r} a pil:Role ; rdfs:label "minister {r}" ; pil:roleHolder {holder} ;\n'
              f"    pil:roleIn {rng.choice(pair)} ; pil:hasEvidence {ev} .\n")  # fmt: skip

    ev = a.say(f"Security convergence between {pair[0]} and {pair[1]} in article {index}.")
    a.add(f"art:convergence a pil:SecurityConvergence ; pil:convergingActor {', '.join(pair)} ;\n"
          f"    pil:hasPillar {', '.join(pillars)} ; pil:hasDimension {', '.join(dims)} ;\n"
          f"    pil:restrainedBy {', '.join(limits)} ; pil:hasEvidence {ev} .\n")  # fmt: skip
    a.add(f'art:article a pil:Article ; dcterms:title "Synthetic article {index}"@en ;\n'
          f"    dcterms:creator {rng.choice(persons)} ; pil:doi \"10.5555/synth.{index}\" ;\n"
          f'    pil:publicationYear "{year}"^^xsd:gYear ; pil:keyword "{a.words(2)}"@en ;\n'
          f"    pil:hasText art:text ; pil:hasSection {', '.join(sections)} ;\n"
          f"    pil:analyses art:convergence ; pil:hasThesis art:thesis .\n"
          f"art:text a pil:ArticleText ; pil:textOf art:article .\n")  # fmt: skip
    return a


def generate(out: Path, articles: int, seed: int = 1) -> list[Path]:
    """Write the corpus under out/instances/; return the article folders."""
    rng = random.Random(seed)
    shared, states, persons, events = shared_pool(rng)
    (out / "instances" / "shared").mkdir(parents=True, exist_ok=True)
    (out / "instances" / "shared" / "pool.ttl").write_text(shared, encoding="utf-8")
    folders = []
    for index in range(1, articles + 1):
        a = article(index, seed, states, persons, events)
        folder = out / "instances" / a.slug
        folder.mkdir(parents=True, exist_ok=True)
        art_prefix = f"@prefix art: <https://w3id.org/pillars/id/{a.slug}/> .\n"
        body = "".join(a.turtle) + a.evidence_turtle()
        (folder / "article.ttl").write_text(PREFIXES + art_prefix + body, encoding="utf-8")
        (folder / "text.txt").write_text("".join(a.text), encoding="utf-8")
        folders.append(folder)
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output folder (use bench/out/..., gitignored)")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folders = generate(args.out, args.articles, args.seed)
    print(f"{len(folders)} articles in {args.out / 'instances'}")


if __name__ == "__main__":
    main()
