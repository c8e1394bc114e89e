"""``python -m bench`` (``make bench``): this assistant against the naive llama-index baseline.

A script, not a test: it measures, writes ``bench/results.json`` and ``bench/results.md``, and stops
by itself. Every measurement runs in a fresh child process (``bench.child``) so imports, peak memory
and start-up are those of a real process, not of this one.
"""
