"""Unexpected errors go to a log file with their traceback; the user sees one short line."""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

from xoro_tui.config import log_path

_logger: logging.Logger | None = None


def logger() -> logging.Logger:
    global _logger
    if _logger is None:
        _logger = logging.getLogger("xoro_tui")
        _logger.propagate = False
        try:
            path: Path = log_path()
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # owner-only: tracebacks may quote the data being worked on
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
            handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        _logger.addHandler(handler)
        _logger.setLevel(logging.INFO)
    return _logger


def log_exception(exc: BaseException, context: str = "") -> str:
    """Log with the traceback; return the short message a user is shown."""
    text = "".join(traceback.format_exception(exc))
    logger().error("%s\n%s", context or "unexpected error", text)
    return f"Something went wrong ({type(exc).__name__}); details are in {log_path()}"
