"""The command line, one module per group of commands.

``main`` holds the ``respgraph`` group, its error handling and the entry point; ``store``
the commands on what is loaded (load, check, remove, doctor, info, documents, units,
leaders, cypher); ``questions`` the everyday questions and their pictures (items,
portfolio, workload, co, aliases, diff, viz); the others one group each (``analysis``,
``structure``, ``progress``, ``bulletin``, ``accounts``, ``report``, ``export``, ``fix``,
``carryover``, ``item``), loaded only when run.  ``options``, ``output``, ``years``,
``page_files`` and ``brief_files`` are what the commands share.
"""
