"""Files written whole or not at all: the corpus, dumps and exports are never half-written.

Every writer of an editor's files (drafts, the studio) and of served artefacts goes through
`write_atomically`: a temporary file beside the target, renamed over it only when complete,
so a reader or a crash never sees a partial file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """`write` fills a temporary file beside `path`, renamed into place only when complete:
    a half-written file never replaces a good one, and readers never see one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """`text`, encoded as UTF-8, replaces `path` at once (see `write_atomically`)."""
    data = text.encode("utf-8")

    def write(out: IO[bytes]) -> None:
        out.write(data)

    write_atomically(path, write)
