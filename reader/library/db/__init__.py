"""The library's database: the Store (one object, composed of per-domain query classes), its migrations, checks,
errors and snapshots. All of Reader's SQL lives here. May import: transcript, base (and library.anchors)."""
