"""Turn user data into text that is always shown literally, on one line.

Every place that shows data typed by a user (customer names, notes, addresses, ...)
goes through :func:`safe_text` or :func:`plain`:

* nothing is ever markup-parsed: ``Smith [/] Ltd``, ``[bold]ACME[/]`` and
  ``[link=http://x]y[/link]`` come out exactly as typed (``rich.text.Text`` is built
  from the plain string, never from markup);
* control characters cannot reach the terminal. The placeholders are:

  - C0 controls U+0000-U+001F (including TAB, LF, CR and ESC) become the matching
    "Control Pictures" symbol U+2400-U+241F (``\\t`` -> ``␉``, ``\\n`` -> ``␊``,
    ESC -> ``␛``), so a value always stays on one line and the user can still see
    what was there;
  - DEL U+007F becomes ``␡`` (U+2421);
  - C1 controls U+0080-U+009F, the bidi embeddings / overrides / isolates
    U+202A-U+202E and U+2066-U+2069, the bidi marks U+200E, U+200F, U+061C, the
    line / paragraph separators U+2028, U+2029 and lone surrogates U+D800-U+DFFF
    (which cannot even be encoded for the terminal) become U+FFFD ``�``.

All placeholders are one cell wide, so column widths computed on the safe string hold.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from xoro_tui.visible_text import REPLACEMENT, plain

__all__ = ["REPLACEMENT", "plain", "safe_text"]


def safe_text(value: object, style: str | Style = "") -> Text:
    """Return ``value`` as a :class:`rich.text.Text` that displays literally.

    Pass the result (never a plain ``str``) to ``Static``, ``Label``, ``notify``,
    border titles and the like, since those parse markup in strings. A ``Text`` built
    by the program keeps its styles (every placeholder is one character, so the spans
    still line up); only its characters are cleaned.
    """
    if isinstance(value, Text):
        text = value.copy()
        text.plain = plain(value.plain)
        if style:
            text.stylize(style)
        return text
    return Text(plain(value), style=style, no_wrap=True, end="")
