"""Indexing: passages become an index (Chroma, embedded or on a server) that says what it is.

Holds the embedder (``embedder``), the Chroma store (``store``), the manifest of an index
(``manifest``), the collection records (``collections``), building and opening an index
(``index``), the server mode (``server``), and adding or removing a document with its rebuild, both
or neither (``changes``).

May import: ``assistant.ingest`` and the top-level modules (config, errors, datafiles, verbatim).
"""
