"""How the driver tells a dead terminal: a real pty whose master side is closed."""

from __future__ import annotations

import errno
import os
import pty
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="needs a pty")


def test_a_terminal_whose_master_closed_no_longer_answers() -> None:
    from xoro_tui.terminal.terminal_watch import alive

    master, slave = pty.openpty()
    try:
        assert alive(slave)
        os.close(master)
        assert not alive(slave)
        try:
            assert os.read(slave, 1024) == b""  # end of input
        except OSError as exc:  # or an I/O error, depending on the kernel
            assert exc.errno == errno.EIO
    finally:
        os.close(slave)


class _Driver:
    gone = False
    reasons: list[str]

    def __init__(self) -> None:
        self.reasons = []

    def terminal_gone(self, reason: str) -> None:
        self.gone = True
        self.reasons.append(reason)


class _DeadFile:
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        raise OSError(errno.EIO, "Input/output error")

    def flush(self) -> None:
        raise OSError(errno.EIO, "Input/output error")

    def fileno(self) -> int:
        return 2

    def isatty(self) -> bool:
        return True


def test_a_failed_write_is_the_terminal_gone_and_later_writes_are_dropped() -> None:
    from xoro_tui.terminal.terminal_watch import _GuardedOutput

    driver, dead = _Driver(), _DeadFile()
    output = _GuardedOutput(dead, driver)  # type: ignore[arg-type]
    assert output.write("frame") == len("frame")  # no exception reaches Textual's writer
    assert driver.gone and driver.reasons == ["a write to the terminal failed"]
    output.write("another frame")
    output.flush()
    assert dead.writes == 1  # nothing more is sent to the dead terminal
    assert not output.isatty()
