"""``respgraph serve``: the office's browser over the same library as the CLI."""
