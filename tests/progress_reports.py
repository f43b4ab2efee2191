"""Hand-made progress reports on the sample table, written at test time as xlsx, docx and csv.

Every expected status was worked out by hand from ``loaders/samples/zhanjiang-2023.txt``
(the quarter's target, the deadline) and is written next to the row.
"""

from __future__ import annotations

import csv
from pathlib import Path

HEADER_A = ["序号", "事项", "牵头单位", "进展情况", "完成情况", "存在问题", "下一步措施"]

# Report A, 截至2023年6月30日 (second quarter).  (row, expected status of the item)
A_KEY = [
    (
        [
            "1",
            "推进 542 个重点项目建设，年度计划投资约 1028 亿元",
            "市发展改革局",
            "完成年度投资计划的 47%",
            "",
            "部分项目融资未到位",
            "加快资金拨付",
        ],
        "behind",
    ),  # Q2 target 50 %, reported 47 %
    (
        ["3", "加快乌石油田群开发项目建设", "市发展改革局", "累计完成投资 2.8 亿元", "", "", ""],
        "on_track",
    ),  # Q1 0.6 + Q2 2 = 2.6 亿元 by Q2; 2.8 reported; Q3 needs 6.6
    (["20", "制定“制造业当家”五年行动计划", "市工业和信息化局", "已正式印发", "已办结", "", ""], "done"),
    (
        [
            "24",
            "出台制造业数字化转型行动计划",
            "市工业和信息化局",
            "已报市政府待印发",
            "慢序时",
            "审议未排期",
            "争取7月印发",
        ],
        "behind",
    ),
    (["29", "建成巴斯夫项目大件码头", "市交通运输局", "项目已完工", "已完成", "", ""], "done"),
    (["32", "开工建设廉江核电项目配套码头工程", "市交通运输局", "施工合同未签订", "未启动", "", ""], "not_started"),
    (
        ["23", "完成220家工业企业技术改造", "市工业和信息化局", "累计推动 160 家企业技术改造", "", "", ""],
        "on_track",
    ),  # Q2 target 累计 150 家; Q3 needs 180
    (
        ["74", "盘活批而未供土地 8000亩以上", "市自然资源局", "累计完成批而未供土地 3500 亩", "", "", ""],
        "behind",
    ),  # Q2 target 累计 4000 亩
    (
        ["79-3", "调顺东二路新建工程（一期）", "市住房和城乡建设局", "受征拆影响进展缓慢", "", "征拆难", "加大协调"],
        "behind",
    ),  # a sub-item row; no status word in the status column, the text says 进展缓慢
    (["53", "建成“雪亮工程”二期", "市公安局", "按初验意见完善中", "序时推进", "", ""], "on_track"),
    (["99", "组建现代农业集团", "市国资委", "组建方案已上报", "按序时", "", ""], "on_track"),
    (
        [
            "100",
            "加快建设市区公共停车场，增加公共停车位 8307 个",
            "市交通投资集团有限公司",
            "完成新增公共停车位 1300 个",
            "",
            "",
            "",
        ],
        "on_track",
    ),  # Q2 target 1250 个; Q3 needs 5467
    (["42", "建成环城高速南三岛大桥工程", "市交通运输局", "路基工程完成 85%", "超进度", "", ""], "ahead"),
    (
        [
            "58",
            "推动地表水国考断面水质稳定达标、县级及以上集中式饮用水水源地水质达标率100%",
            "市生态环境局",
            "上半年平均值达标",
            "正在办理",
            "",
            "",
        ],
        "on_track",
    ),
]
# Rows that match no item of 附件1: not loaded, each a `check` note of this kind.
A_ODD = [
    (["101", "推进滨海新区综合开发", "市发展改革局", "前期工作", "序时推进", "", ""], "unmatched"),
    (["5", "开展食品药品安全监督专项行动", "市市场监管局", "快检完成", "达进度", "", ""], "other_document"),
    (
        ["12", "完成通用机场布局规划，支持徐闻通用机场加快推进", "市发展改革局", "选址报告编制中", "序时推进", "", ""],
        "wrong_number",
    ),
]
A_LIVELIHOOD = [
    (
        ["1", "深入推进危旧桥梁改造整治，提升群众安全出行水平", "市交通运输局", "已开工建设 4 座", "", "", ""],
        "behind",
    ),  # Q2 target 开工建设 6 座
    (["10", "新增城镇公办中小学学位 2.2万个", "市教育局", "施工进度完成 40%", "欠进度", "", ""], "behind"),
    (["7", "提高 2023 年城乡居民医保保障水平", "市医保局", "政策文件已公布", "已办结", "", ""], "done"),
    (
        ["2", "提高低保、特困人员、孤儿、残疾人基本生活补贴和两项补贴水平", "市民政局", "标准已出台", "达进度", "", ""],
        "on_track",
    ),
]

HEADER_B = ["序号", "工作任务", "责任单位", "落实情况", "进度", "存在问题", "下一步措施"]
# Report B, 2023年1-9月 (third quarter), 附件1 only.
B_KEY = [
    (["1", "推进542个重点项目建设", "市发展改革局", "完成年度投资计划的 72%", "", "", ""], "behind"),  # Q3 75 %
    (["24", "出台制造业数字化转型行动计划", "市工业和信息化局", "仍未印发", "欠进度", "", ""], "behind"),
    (
        ["74", "盘活批而未供土地8000亩以上", "市自然资源局", "累计完成批而未供土地 7200 亩", "", "", ""],
        "on_track",
    ),  # Q3 累计 7000 亩; Q4 needs 8000
    (["79（3）", "调顺东二路新建工程(一期)", "市住房和城乡建设局", "路基施工", "滞后", "", ""], "behind"),
    (
        ["3", "加快乌石油田群开发项目建设", "市发展改革局", "累计完成投资 6 亿元", "", "", ""],
        "behind",
    ),  # 0.6 + 2 + 4 = 6.6 亿元 by Q3
    (["32", "开工建设廉江核电项目配套码头工程", "市交通运输局", "已开工", "已办结", "", ""], "done"),
    (["53", "建成“雪亮工程”二期", "市公安局", "终验准备中", "序时推进", "", ""], "on_track"),
    (["99", "组建现代农业集团", "市国资委", "方案待审定", "进展缓慢", "", ""], "behind"),
    (["42", "建成环城高速南三岛大桥工程", "市交通运输局", "路基工程完成 100%", "超进度", "", ""], "ahead"),
    (["66", "新增博士工作站 4 家", "市人力资源社会保障局", "已新增 2 家", "序时推进", "", ""], "on_track"),  # part 66.2
]
B_ODD = [
    (["200", "某项并不存在的工作", "市发展改革局", "", "序时推进", "", ""], "unmatched"),
]

TITLE_A = "湛江市2023年《政府工作报告》重点督办事项第二季度进展情况表"
TITLE_A2 = "湛江市2023年10件民生实事第二季度进展情况表"
DATE_A = "（截至2023年6月30日）"
TITLE_B = "湛江市2023年重点督办事项1-9月落实情况表"


def report_a() -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) per table of report A."""
    return [
        (TITLE_A, HEADER_A, [r for r, _ in A_KEY + A_ODD]),
        (TITLE_A2, HEADER_A, [r for r, _ in A_LIVELIHOOD]),
    ]


def report_b() -> list[tuple[str, list[str], list[list[str]]]]:
    return [(TITLE_B, HEADER_B, [r for r, _ in B_KEY + B_ODD])]


def write_xlsx(path: Path, tables, date_line: str = "") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for n, (title, header, rows) in enumerate(tables, start=1):
        ws = book.create_sheet(f"附件{n}")
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        if date_line:
            ws.append([date_line])
        ws.append(header)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def write_docx(path: Path, tables, date_line: str = "") -> Path:
    import docx

    document = docx.Document()
    for n, (title, header, rows) in enumerate(tables, start=1):
        if len(tables) > 1:
            document.add_paragraph(f"附件{n}")
        document.add_paragraph(title)
        if date_line:
            document.add_paragraph(date_line)
        table = document.add_table(rows=1, cols=len(header))
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    document.save(str(path))
    return path


def write_csv(path: Path, tables, date_line: str = "") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        for n, (title, header, rows) in enumerate(tables, start=1):
            if len(tables) > 1:
                writer.writerow([f"附件{n}"])
            writer.writerow([title])
            if date_line:
                writer.writerow([date_line])
            writer.writerow(header)
            writer.writerows(rows)
    return path
