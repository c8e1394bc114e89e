"""The command line (thin): ``python -m assistant``. ``main`` parses and dispatches, ``ask``,
``decide`` and ``documents`` (add-document, remove-document) run their commands, ``io`` reads batches and writes results. Errors are printed as one
line with exit code 2.

May import: anything in ``assistant`` except ``assistant.ui``.
"""
