"""Measure how many bytes a TUI writes to the terminal per key press.

Runs a command (default: ``python -m bench.table_demo``) in a pseudo-terminal at
120x40 with ``TERM=xterm-256color`` and no ``COLORTERM``, waits for the first paint
to settle, then sends keys one action at a time and prints the bytes each one made
the app write. Usage::

    python bench/measure_bytes.py [--idle 10] [--screen] [-- command ...]

``--screen`` also prints the final screen as a terminal would show it (via pyte).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import ptyprocess

ROOT = Path(__file__).resolve().parent.parent
KEYS = {
    "down": "\x1b[B",
    "up": "\x1b[A",
    "right": "\x1b[C",
    "pagedown": "\x1b[6~",
    "end": "\x1b[F",
    "escape": "\x1b",
    "space": " ",
}
# (label, keys) in order; "idle" is measured separately.
ACTIONS: list[tuple[str, list[str]]] = [
    ("down", ["down"]),
    ("down", ["down"]),
    ("up", ["up"]),
    ("pagedown", ["pagedown"]),
    ("pagedown", ["pagedown"]),
    ("space (check)", ["space"]),
    ("right (column)", ["right"]),
    ("m (menu open)", ["m"]),
    ("down in menu", ["down"]),
    ("escape (menu close)", ["escape"]),
    ("m (menu open)", ["m"]),
    ("q (menu close)", ["q"]),
    ("m (menu open)", ["m"]),
    ("d (pick: prompt opens)", ["d"]),
    ("n (prompt close)", ["n"]),
    ("s (sort)", ["s"]),
    ("end", ["end"]),
]


class Recorder:
    """Reads the pty in a thread, keeping every byte and the time of the last one."""

    def __init__(self, proc: ptyprocess.PtyProcess) -> None:
        self.proc = proc
        self.data = bytearray()
        self.last = time.monotonic()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = self.proc.read(65536)
            except (EOFError, OSError):
                return
            with self.lock:
                self.data += chunk
                self.last = time.monotonic()

    def size(self) -> int:
        with self.lock:
            return len(self.data)

    def settle(self, quiet: float = 0.6, limit: float = 30.0) -> None:
        """Wait until nothing has been written for ``quiet`` seconds."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            time.sleep(0.05)
            with self.lock:
                if self.data and time.monotonic() - self.last >= quiet:
                    return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=10.0, help="idle seconds to watch")
    parser.add_argument("--screen", action="store_true", help="print the final screen")
    parser.add_argument("command", nargs="*", help="command to run (after --)")
    args = parser.parse_args()
    command = args.command or [sys.executable, "-m", "bench.table_demo"]

    env = {k: v for k, v in os.environ.items() if k != "COLORTERM"}
    env.update(TERM="xterm-256color", PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    started = time.monotonic()
    proc = ptyprocess.PtyProcess.spawn(command, cwd=str(ROOT), env=env, dimensions=(40, 120))
    rec = Recorder(proc)
    rec.settle(quiet=1.5)
    print(f"{'first paint':<24}{rec.size():>8} B  ({time.monotonic() - started:.1f} s to settle)")
    results: list[tuple[str, int]] = []
    for label, keys in ACTIONS:
        before = rec.size()
        for key in keys:
            proc.write(KEYS.get(key, key).encode())
        time.sleep(0.3)
        rec.settle(quiet=0.6)
        results.append((label, rec.size() - before))
        print(f"{label:<24}{results[-1][1]:>8} B")
    before = rec.size()
    time.sleep(args.idle)
    print(f"{f'idle {args.idle:g} s':<24}{rec.size() - before:>8} B")
    if args.screen:
        import pyte

        screen = pyte.Screen(120, 40)
        pyte.ByteStream(screen).feed(bytes(rec.data))
        print("\n".join(line.rstrip() for line in screen.display))
    proc.write(b"\x11")  # ctrl+q
    time.sleep(0.5)
    if proc.isalive():
        proc.terminate(force=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
