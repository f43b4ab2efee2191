"""Putting tables and progress reports into a store, and taking them out: the library
behind ``load``, ``check``, ``remove`` and ``progress load|check``.

It sits above ``loaders`` (which only read) and ``graph`` (which stores): each
function reads every file in full before it writes anything, and each write is one
transaction of the store's.  The command line and the web app call these functions
and only print or render what they return.
"""

from respgraph.ingest.progress import ProgressMatch, load_progress, match_progress
from respgraph.ingest.removal import Removed, remove_documents
from respgraph.ingest.sample import sample_store
from respgraph.ingest.tables import Checked, Loaded, check_file, load_files, read_files, report_tables, write_tables

__all__ = [
    "sample_store",
    "read_files",
    "write_tables",
    "load_files",
    "Loaded",
    "check_file",
    "Checked",
    "report_tables",
    "remove_documents",
    "Removed",
    "match_progress",
    "ProgressMatch",
    "load_progress",
]
