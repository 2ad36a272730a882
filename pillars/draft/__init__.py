"""`pillars draft`: the machine's first encoding of a new article, written to draft.ttl.

Everything drafted carries `pil:draft true` until an editor accepts it (see NOTES.md, "The
draft contract"); the seal (seal.py) tells a machine-written draft from an edited one.
"""
