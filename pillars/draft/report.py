"""The report of a draft: one line per kind with how many were drafted, then the passages
the drafter was unsure of; as text for people or as data (`--format json`)."""

from __future__ import annotations

from typing import Any

from pillars.draft.drafter import Draft

SHOWN = 70  # characters of an unsure passage shown in the text report


def as_data(draft: Draft) -> dict[str, Any]:
    c = draft.counts
    text = draft.article.text
    return {
        "slug": draft.article.slug,
        "written": str(draft.written) if draft.written else None,
        "replaced": draft.replaced,
        "kinds": list(draft.kinds),
        "counts": {
            "claims": c["sentences"],
            "citations": c["citations"],
            "sources": c["works"],
            "quantities": c["figures"],
            "events": c["dates"],
            "mentions": c["mentions"],
            "known_things": c["things"],
        },
        "unsure": [
            {
                "kind": u.kind,
                "start": u.span.start,
                "end": u.span.end,
                "text": text[u.span.start : u.span.end],
                "why": u.why,
            }
            for u in draft.unsure
        ],
        "seconds": round(draft.seconds, 3),
    }


def as_text(draft: Draft) -> str:
    c = draft.counts
    lines = [
        f"{'replaced' if draft.replaced else 'wrote'} {draft.written} in {draft.seconds:.2f} s"
    ]
    rows = [
        ("sentences", f"sentences:  {c['sentences']} candidate claims (pil:Claim)"),
        ("citations", f"citations:  {c['citations']} in-text citations of {c['works']} new works"),
        ("figures", f"figures:    {c['figures']} quantities (pil:Quantity)"),
        ("dates", f"dates:      {c['dates']} candidate events (pil:Event)"),
        ("mentions", f"mentions:   {c['mentions']} mentions of {c['things']} known things"),
    ]
    lines += [row for kind, row in rows if kind in draft.kinds]
    lines.append(f"unsure:     {len(draft.unsure)} passages to look at")
    text = draft.article.text
    for u in draft.unsure:
        passage = text[u.span.start : u.span.end].replace("\n", " ")
        if len(passage) > SHOWN:
            passage = passage[:SHOWN] + "…"
        lines.append(f"  [{u.span.start}-{u.span.end}] {u.kind}: {u.why}: {passage!r}")
    return "\n".join(lines)
