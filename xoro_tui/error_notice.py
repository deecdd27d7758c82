"""Never a traceback on the user's screen: an unexpected error is logged with its traceback
(:mod:`xoro_tui.errorlog`) and the user sees one line, and the app keeps going."""

from __future__ import annotations

from textual.app import App

from xoro_tui.errorlog import log_exception


class ShowsErrorsInOneLine(App[None]):
    """An app whose unhandled errors become a one-line notice instead of ending it."""

    def _handle_exception(self, error: Exception) -> None:
        if self.is_headless:
            super()._handle_exception(error)
            return
        message = log_exception(error, "unhandled error in the app")
        try:
            self.notify(message, severity="error", markup=False, timeout=10)
        except Exception:  # noqa: BLE001 - the app may be shutting down
            super()._handle_exception(error)
