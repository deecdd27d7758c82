"""A progress bar on stderr for long command-line jobs (seed, import, export)."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """Call with (stage, done, total); redraws at most a few times a second."""

    def __init__(self, min_interval: float = 0.25) -> None:
        self.min_interval = min_interval
        self._last = 0.0
        self._tty = sys.stderr.isatty()
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total and stage == self._stage:
            return
        self._last = now
        self._stage = stage
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"{stage:<18} [{bar}] {done:>11,}/{total:,}"
        if self._tty:
            sys.stderr.write("\r" + line)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    @property
    def shown(self) -> bool:
        """Whether anything was reported (and drawn)."""
        return bool(self._stage)

    def done(self) -> None:
        if self._tty:
            sys.stderr.write("\n")
            sys.stderr.flush()
