"""Which column of a table means what: header text -> field."""

from __future__ import annotations

from respgraph.loaders.names import clean_name

#: The fields a row can have; ``number`` and ``title`` are required.
FIELDS = ("number", "title", "content", "targets", "deadline", "leader", "lead", "implement", "assist")
UNIT_FIELDS = ("lead", "implement", "assist")

#: Header texts (cleaned: NFKC, no spaces, full-width brackets) and their field.
HEADERS = {
    "序号": "number",
    "事项": "title",
    "项目名称": "title",
    "主要内容": "content",
    "季度工作目标": "targets",
    "完成时限": "deadline",
    "市政府分管领导": "leader",
    "分管领导": "leader",
    "牵头单位": "lead",
    "实施单位（承办单位）": "implement",
    "实施单位": "implement",
    "承办单位": "implement",
    "协办单位": "assist",
}

#: The header as printed in messages, one per field.
FIELD_ZH = {
    "number": "序号", "title": "事项", "content": "主要内容", "targets": "季度工作目标",
    "deadline": "完成时限", "leader": "分管领导", "lead": "牵头单位",
    "implement": "实施单位", "assist": "协办单位",
}


def is_header(cells: list[str]) -> bool:
    return bool(cells) and clean_name(cells[0]) == "序号"


def map_header(cells: list[str]) -> tuple[list[str | None], list[str]]:
    """The field of each header cell (None when unknown) and the unknown headers."""
    fields: list[str | None] = []
    unknown = []
    for cell in cells:
        field = HEADERS.get(clean_name(cell))
        fields.append(field)
        if field is None:
            unknown.append(cell)
    return fields, unknown
