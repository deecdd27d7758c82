"""Sending a PDF to a printer (CUPS ``lp`` or a configured command), or telling the user
how to fetch it: the app often runs on a server over SSH, far from any printer.

Commands run without a shell (``shlex.split`` then ``subprocess.run``), so a file or
printer name can never inject anything.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
from pathlib import Path

from xoro_tui.data.store.clock import os_user
from xoro_tui.data.store.errors import DataError
from xoro_tui.settings_env import env_settings

PRINT_COMMAND_ENV = "XORO_TUI_PRINT_COMMAND"
TIMEOUT_S = 60


class PrintError(DataError):
    """The file could not be handed to the printer; the message says why and what to do."""


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )


def printers() -> list[str]:
    """The CUPS printers accepting jobs (``lpstat -a``); [] when there is no CUPS client."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return []
    try:
        result = _run([lpstat, "-a"], timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    if result.returncode != 0:
        return []
    names: list[str] = []
    for line in result.stdout.splitlines():
        words = line.split()
        if words and words[0] not in names:
            names.append(words[0])
    return names


def default_printer() -> str | None:
    """The CUPS default destination (``lpstat -d``), or None."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    try:
        result = _run([lpstat, "-d"], timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    text = result.stdout.strip()
    if result.returncode != 0 or ":" not in text:
        return None
    name = text.rsplit(":", 1)[1].strip()
    return name or None


def print_command(path: Path, printer: str | None, command: str | None = None) -> list[str]:
    """The argument list :func:`print_file` runs.

    ``command`` (else ``$XORO_TUI_PRINT_COMMAND``) is a template such as
    ``"lpr -P {printer} {file}"``; it is split like a shell would split it *before* the
    placeholders are filled, so a file name with spaces stays one argument. Without
    ``{file}`` the file is added as the last argument. Without a template: ``lp``.
    """
    template = command if command is not None else env_settings().print_command
    file = str(Path(path).resolve())
    if template.strip():
        try:
            words = shlex.split(template)
        except ValueError as exc:
            raise PrintError(f"the print command {template!r} is malformed: {exc}") from None
        if any("{printer}" in w for w in words) and not printer:
            raise PrintError(f"the print command {template!r} needs a printer; choose one")
        args = [w.replace("{file}", file).replace("{printer}", printer or "") for w in words]
        if not any("{file}" in w for w in words):
            args.append(file)
        return args
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError(
            "no lp command: install cups-client (Debian/Ubuntu) or set "
            f"{PRINT_COMMAND_ENV}; or fetch the file: {scp_line(path)}"
        )
    return [lp, *(["-d", printer] if printer else []), file]


def print_file(path: Path, printer: str | None, command: str | None = None) -> str:
    """Send the file to ``printer`` (None: the default one) and return one line to show.

    Raises :class:`PrintError` with a sentence for the user when it cannot.
    """
    path = Path(path)
    if not path.is_file():
        raise PrintError(f"{path} does not exist (was it moved?)")
    args = print_command(path, printer, command)
    try:
        result = _run(args, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise PrintError(f"cannot run {args[0]!r}: no such command") from None
    except PermissionError:
        raise PrintError(f"cannot run {args[0]!r}: permission denied") from None
    except subprocess.TimeoutExpired:
        raise PrintError(f"{Path(args[0]).name} did not finish in {TIMEOUT_S} s") from None
    except OSError as exc:
        raise PrintError(f"cannot run {args[0]!r}: {exc.strerror or exc}") from None
    if result.returncode != 0:
        reason = _first_line(result.stderr) or _first_line(result.stdout)
        reason = reason or f"exit status {result.returncode}"
        raise PrintError(f"printing {path.name} failed: {reason}")
    where = printer or "the default printer"
    answer = _first_line(result.stdout)
    return f"sent {path.name} to {where}" + (f" ({answer})" if answer else "")


def _first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def scp_line(path: Path) -> str:
    """What a user runs on their own machine to fetch ``path``: ``scp me@host:/abs/x.pdf .``"""
    remote = f"{os_user()}@{socket.getfqdn()}:{Path(path).resolve()}"
    return f"scp {shlex.quote(remote)} ."
