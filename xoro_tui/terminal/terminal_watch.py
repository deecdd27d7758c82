"""A terminal driver that notices when its terminal has gone, signal or no signal.

When an SSH link drops or a tmux session is killed, the kernel hangs up the terminal and
sends SIGHUP to the session leader only. Started by ``make``, a shell that ignores the
signal, or ``nohup``, the app is not that leader and hears nothing. Textual's input loop
then spins: a hung-up terminal always reads as ready and every read returns nothing.

This driver reads the terminal itself and takes end of input, an I/O error on a read or a
write, or a terminal that no longer answers ``tcgetattr`` as the link gone. It then stops
reading, points the standard descriptors that were that terminal at ``/dev/null`` (so no
later write, ours or a library's, errors or spins), drops all further output, and asks the
app to hang up exactly as on SIGHUP.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import termios
import threading
from codecs import getincrementaldecoder
from typing import IO, TYPE_CHECKING, Any, cast

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

#: seconds between checks that an idle terminal is still there
CHECK_EVERY = 0.5
#: errors of a read that are worth another try; any other error means the terminal is gone
_TRY_AGAIN = {errno.EINTR, errno.EAGAIN, errno.EWOULDBLOCK}


def terminal_fds(fileno: int) -> list[int]:
    """The standard descriptors (0, 1, 2) open on the same terminal as ``fileno``."""
    try:
        if not os.isatty(fileno):
            return [fileno]
        device = os.fstat(fileno).st_rdev
    except OSError:
        return [fileno]
    found = []
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            if os.isatty(fd) and os.fstat(fd).st_rdev == device:
                found.append(fd)
    return found or [fileno]


def alive(fileno: int) -> bool:
    """Whether a terminal still answers; a hung-up one fails every ioctl with EIO."""
    try:
        termios.tcgetattr(fileno)
    except termios.error:
        return False
    return True


class _GuardedOutput:
    """The driver's output file: an I/O error on a write is the terminal gone, not a crash.

    Textual's writer thread dies on an exception, after which its bounded queue fills and
    the app blocks on its next write. Here the error is reported once and every later
    write is dropped, so the writer thread keeps draining its queue.
    """

    def __init__(self, file: IO[str], driver: WatchfulDriver) -> None:
        self._file = file
        self._driver = driver

    def write(self, text: str) -> int:
        if self._driver.gone:
            return len(text)
        try:
            return self._file.write(text)
        except (OSError, ValueError):
            self._driver.terminal_gone("a write to the terminal failed")
            return len(text)

    def flush(self) -> None:
        if self._driver.gone:
            return
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._driver.terminal_gone("a write to the terminal failed")

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return not self._driver.gone and self._file.isatty()


class WatchfulDriver(LinuxDriver):
    """LinuxDriver whose input loop ends, and whose app hangs up, when the terminal goes."""

    #: set once the terminal is found gone; from then on nothing is written or read
    gone = False
    #: why the terminal was taken as gone (for the log)
    gone_reason = ""

    def __init__(self, app: App, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._file = _GuardedOutput(cast("IO[str]", self._file), self)  # type: ignore[assignment]
        self._gone_lock = threading.Lock()
        self._terminal_fds = terminal_fds(self.fileno)

    def write(self, data: str) -> None:
        if not self.gone:
            super().write(data)

    def run_input_thread(self) -> None:
        """Textual's input loop, ending when the terminal does instead of spinning."""
        fileno = self.fileno
        selector = selectors.SelectSelector()
        selector.register(fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        idle = 0.0
        try:
            while not self.exit_event.is_set():
                if selector.select(0.02 if self.input_kept else 0.1):
                    idle = 0.0
                    try:
                        data = os.read(fileno, 1024 * 4)
                    except OSError as exc:
                        if exc.errno in _TRY_AGAIN:
                            continue
                        self.terminal_gone(f"reading the terminal failed: {exc.strerror}")
                        return
                    if not data:
                        self.terminal_gone("end of input")
                        return
                    # an empty feed would be end of input to the parser
                    if text := self.filter_input(decode(data)):
                        for event in parser.feed(text):
                            self.process_message(event)
                elif self.input_kept:
                    if text := self.input_idle():
                        for event in parser.feed(text):
                            self.process_message(event)
                else:
                    idle += 0.1
                    if idle >= CHECK_EVERY:
                        idle = 0.0
                        if self.input_tty and not alive(fileno):
                            self.terminal_gone("the terminal no longer answers")
                            return
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass

    def filter_input(self, text: str) -> str:
        """What of the terminal's input is the user's (a subclass takes out answers)."""
        return text

    @property
    def input_kept(self) -> bool:
        """Whether :meth:`filter_input` keeps back a piece that may be cut off."""
        return False

    def input_idle(self) -> str:
        """The piece kept back, as input after all: nothing more came for a while."""
        return ""

    def terminal_gone(self, reason: str) -> None:
        """Called from the input or the writer thread: stop using the terminal, hang up."""
        with self._gone_lock:
            if self.gone:
                return
            self.gone = True
            self.gone_reason = reason
        self._detach()
        with contextlib.suppress(RuntimeError):  # the app's loop has already closed
            self._loop.call_soon_threadsafe(self._hang_up)

    def _detach(self) -> None:
        """Point the descriptors that were the dead terminal at /dev/null."""
        try:
            null = os.open(os.devnull, os.O_RDWR)
        except OSError:
            return
        try:
            for fd in self._terminal_fds:
                with contextlib.suppress(OSError):
                    os.dup2(null, fd)
        finally:
            os.close(null)

    def _hang_up(self) -> None:
        from xoro_tui.errorlog import logger

        app = self._app
        logger().info("terminal gone (%s): hanging up", self.gone_reason)
        if not app.is_running:
            return  # it was already ending (quit, or SIGHUP first)
        hang_up = getattr(app, "hang_up", None)  # XoroApp's: drafts first
        if callable(hang_up):
            hang_up()
        else:
            app.exit()
