"""The terminal: its mode settled before Textual loads, the driver that writes frames (paced
to the link, only the cells that changed, rows moved rather than resent), the key gate that
hands on typed-ahead keys in order, and noticing a terminal that has gone."""
