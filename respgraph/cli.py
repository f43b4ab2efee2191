"""The ``respgraph`` command's entry point, kept at its old name: the commands live in
:mod:`respgraph.commands` (one module per group of commands)."""

from respgraph.commands.main import cli, main, one_line

__all__ = ["cli", "main", "one_line"]

if __name__ == "__main__":
    main()
