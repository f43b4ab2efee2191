"""Who may see and change what: accounts, roles, progress submitted online, and the audit log.

Above ``graph``, ``loaders`` and ``queries`` (it resolves names and reads items
through them), below the web application and the CLI.  Everything is stored in
the graph's own store: tables in the SQLite file, nodes on a Neo4j server.
"""
