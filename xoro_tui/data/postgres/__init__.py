"""PostgreSQL behind the one set of repositories: the URL (password never shown), the
connection that translates SQLite's SQL at the seam, the schema written from SQLite's and
made by ``init``, and ``copy`` between the two engines."""
