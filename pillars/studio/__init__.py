"""`pillars studio`: the local authoring app (issue 14).

An editor selects words of an article's text and fills a form that the SHACL shapes
generate; the studio writes the statement, anchored character for character, into the one
file it owns (instances/<slug>/studio.ttl, plus draft.ttl as drafts are accepted or
rejected), checks the article at once and shows the findings. It is a separate app from the
public server, which stays read-only and never imports this package.
"""
