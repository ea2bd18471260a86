"""The library on disk: its database (db/: the one owner of the SQL, connection, transactions and migrations),
imports and downloads, media files, anchors, snapshots, search, and opening it. May import: transcript, base."""
