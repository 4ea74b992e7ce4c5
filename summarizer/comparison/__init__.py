"""Comparing how several sources report one story (``summarizer compare``).

Flow, map then reduce::

    paths ──run.load_articles──▶ articles ──pipeline.Summarizer (or the store)──▶ summaries
          ──wire.find_wire_groups──▶ wire groups
          ──Comparator (offline.compare_offline, or llm.compare.LLMComparator)──▶ Comparison
          ──run──▶ ComparisonReport (model) ──render──▶ markdown / html / json

Modules: ``schema`` (the model-facing ``Comparison`` and its per-source
grounding), ``model`` (report, sources, wire groups, provenance), ``wire``
(near-duplicate texts), ``group`` (stories in a mixed folder), ``units``
(what a comparator reads per source, and how sentences are measured),
``offline`` (the rule-based comparator), ``run`` (orchestration and
accounting), ``render`` (output). Importing the package loads nothing else;
the library entry points are ``run.compare_paths`` and ``run.group_paths``.
"""
