"""Run a terminal program in a pseudo-terminal, keep its screen with pyte, count its bytes."""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ptyprocess
import pyte

ROOT = Path(__file__).resolve().parent.parent


def open_db(db: Path | str):  # noqa: ANN201 - the data layer's database object
    """The bench's database, a SQLite file or a PostgreSQL URL (``--engine postgres``)."""
    from xoro_tui.data.postgres.pg_url import PgUrl
    from xoro_tui.data.store.opening import open_database

    text = str(db)
    return open_database(PgUrl.parse(text) if text.startswith("postgres") else Path(text))


KEYS: dict[str, str] = {
    "down": "\x1b[B",
    "up": "\x1b[A",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "pagedown": "\x1b[6~",
    "pageup": "\x1b[5~",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "escape": "\x1b",
    "enter": "\r",
    "space": " ",
    "ctrl+f": "\x06",
    "ctrl+q": "\x11",
    "backspace": "\x7f",
}


class Session:
    """One program in a pty: bytes written, the screen as a terminal shows it, waits."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        size: tuple[int, int] = (120, 40),
        env: dict[str, str] | None = None,
        term: str = "xterm-256color",
        drain_rate: int | None = None,
        answers_status: bool = True,
    ) -> None:
        """``drain_rate``: bytes a second the terminal takes, as a slow link would (None:
        as fast as the program writes). ``answers_status``: answer a Device Status Report
        (``ESC [ 5 n``) as every real terminal does, once the bytes before it are read and
        shown; False plays a terminal that never answers."""
        # the size comes from the pty; COLUMNS/LINES left in the environment would override it
        dropped = ("COLORTERM", "NO_COLOR", "COLUMNS", "LINES")
        environment = {k: v for k, v in os.environ.items() if k not in dropped}
        environment.update(TERM=term, **(env or {}))
        self.width, self.height = size
        self.started = time.monotonic()
        self.proc = ptyprocess.PtyProcess.spawn(
            list(command), cwd=str(ROOT), env=environment, dimensions=(self.height, self.width)
        )
        self.screen = pyte.Screen(self.width, self.height)
        self.stream = pyte.ByteStream(self.screen)
        #: status reports answered (pyte answers while it takes in the bytes of the question)
        self.answered = 0
        self.answers_status = answers_status
        self.screen.write_process_input = self._answer  # type: ignore[method-assign]
        self.data = bytearray()
        self.last = time.monotonic()
        #: when the last bytes came: pyte takes several ms to parse a screenful, which a
        #: real terminal does not, so latencies are measured to the bytes' arrival
        self.arrived = self.last
        self.drain_rate = drain_rate
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._stop_reading = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop_reading.is_set():
            try:
                # wait with a timeout: a thread blocked in read() would keep the master open
                if not select.select([self.proc.fd], [], [], 0.05)[0]:
                    continue
                if self.drain_rate:
                    chunk = self._read_slowly()
                    arrived = time.monotonic()
                else:
                    chunk = self.proc.read(65536)
                    arrived = time.monotonic()
                    # a frame comes through the pty in pieces: take them all before parsing
                    while select.select([self.proc.fd], [], [], 0)[0]:
                        chunk += self.proc.read(65536)
                        arrived = time.monotonic()
            except (EOFError, OSError):
                return
            with self.changed:
                self.data += chunk
                self.last = self.arrived = arrived
                self.stream.feed(chunk)
                self.changed.notify_all()

    def _answer(self, data: str) -> None:
        """What the terminal sends back of itself (status and cursor reports)."""
        if not self.answers_status:
            return
        self.answered += 1
        try:
            self.proc.write(data.encode())
        except (EOFError, OSError):
            return

    def _read_slowly(self) -> bytes:
        """At most ``drain_rate`` bytes a second, in 10 ms steps: the pty fills up and the
        program's writes block, as they do behind a slow link."""
        assert self.drain_rate
        step = 0.01
        budget = max(1, int(self.drain_rate * step))
        time.sleep(step)
        return self.proc.read(budget)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def size(self) -> int:
        with self.lock:
            return len(self.data)

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.screen.display)

    def send(self, *keys: str) -> None:
        for key in keys:
            self.proc.write(KEYS.get(key, key).encode())

    def wait_for(
        self,
        predicate: Callable[[str], bool],
        timeout: float = 30.0,
        since: float | None = None,
    ) -> float:
        """Seconds from ``since`` (default: now) until the bytes that make the screen
        satisfy ``predicate`` arrived; raises TimeoutError."""
        start = time.monotonic()
        since = start if since is None else since
        with self.changed:
            while True:
                if predicate("\n".join(self.screen.display)):
                    return max(0.0, self.arrived - since)
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    raise TimeoutError("the screen never showed what was expected")
                self.changed.wait(min(left, 0.05))

    def settle(self, quiet: float = 0.5, limit: float = 30.0) -> None:
        """Wait until nothing has been written for ``quiet`` seconds."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            time.sleep(0.02)
            with self.lock:
                if time.monotonic() - self.last >= quiet:
                    return

    def bytes_for(self, *keys: str, quiet: float = 0.5) -> int:
        """Bytes written in answer to ``keys`` (after the output settles)."""
        self.settle(quiet=0.3)
        before = self.size()
        self.send(*keys)
        time.sleep(0.1)
        self.settle(quiet=quiet)
        return self.size() - before

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close_master(self) -> None:
        """Close the terminal's master side, as a dropped SSH link or a killed tmux session
        does; the program is left to notice (nothing here waits for it or ends it)."""
        self._stop_reading.set()
        self._reader.join()
        self.proc.fileobj.close()
        self.proc.closed = True  # close() must not close it again

    def close(self) -> None:
        try:
            self.send("ctrl+q")
            time.sleep(0.3)
        finally:
            if self.proc.isalive():
                self.proc.terminate(force=True)
