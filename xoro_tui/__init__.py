"""xoro-tui: XoroERP's Customer Centre and Customer Refund Centre in the terminal."""

__version__ = "0.1.0"
