"""Understand: the ONE place that reads practitioners' words.

- ``inputs``: a question is usable (length, characters);
- ``normalise``: the one normaliser and question sentence splitter;
- ``rules`` (with ``required_text``) and ``route_rules``: data/routing.yaml checked and compiled;
- ``urgency``, ``intent`` (decision intent), ``follow_up``: the routing readers;
- ``facts``: the decision facts a question states; ``asked_figures``: the numbers it asks for;
- ``negation``: the one negation reader; ``claim_language`` and ``claim_reader``: a question's
  form and polarity, for myth verdicts.

May import: ``assistant.decision.models`` (the fact names), ``assistant.scope`` (scope.yaml's
path), ``assistant.retrieve``-free top-level modules (datafiles, errors, stemming). Never
``assistant.myths``, ``assistant.answer``, ``assistant.cli`` or ``assistant.ui``.
"""
