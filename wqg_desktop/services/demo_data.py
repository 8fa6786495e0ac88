"""Data tables of the demo database (see :mod:`wqg_desktop.services.demo`).

Unit names come from attachments 2 and 3 of the 2012 notice (the seed allows them), plus
invented but realistic units so that 海安市 has a full register. Every person, telephone
number, house number and case below is invented; the real names and the telephone number of
the notice are never used (:data:`FORBIDDEN_NAMES` keeps the generator away from them).
"""

from __future__ import annotations

import datetime as dt

# ---------------------------------------------------------------------------------------------
# History (DOMAIN: 海安县 → 海安市 2018; 港闸区 merged into 崇川区 and 海门市 → 海门区 2020)
# ---------------------------------------------------------------------------------------------

HAIAN_RENAMED = dt.date(2018, 2, 12)
HAIMEN_RENAMED = dt.date(2020, 7, 1)
GANGZHA_MERGED = dt.date(2020, 7, 1)
FIRE_LEFT = dt.date(2018, 10, 9)

#: key: (region, code, sort, bureau, youth league committee, certificate prefix, doc prefix,
#: streets). The bureau of each county is also a lightweight Office that sends packages.
COUNTIES: dict[str, tuple[str, str, int, str, str, str, str, tuple[str, ...]]] = {
    "chongchuan": ("崇川区", "320602", 1, "南通市公安局崇川分局", "共青团南通市崇川区委", "崇维权",
                   "崇团联", ("工农路", "人民中路", "青年中路", "濠西路", "虹桥路", "钟秀中路")),
    "tongzhou": ("通州区", "320612", 3, "通州区公安局", "共青团南通市通州区委", "通州维权",
                 "通州团联", ("世纪大道", "金沙镇新金路", "建设路", "银河路")),
    "haimen": ("海门区", "320614", 4, "海门区公安局", "共青团南通市海门区委", "海门维权",
               "门团联", ("北京中路", "长江路", "解放中路", "人民西路")),
    "rudong": ("如东县", "320623", 5, "如东县公安局", "共青团如东县委", "东维权",
               "东团联", ("青园北路", "人民路", "江海中路", "友谊路")),
    "qidong": ("启东市", "320681", 6, "启东市公安局", "共青团启东市委", "启维权",
               "启团联", ("人民中路", "和平中路", "公园北路", "紫薇中路")),
    "rugao": ("如皋市", "320682", 7, "如皋市公安局", "共青团如皋市委", "皋维权",
              "皋团联", ("海阳南路", "福寿西路", "宁海路", "益寿中路")),
    "haian": ("海安市", "320685", 8, "海安市公安局", "共青团海安市委", "安维权",
              "海团联", ("长江中路", "中坝南路", "宁海南路", "黄海大道", "通榆路")),
    "kaifaqu": ("南通经济技术开发区", "", 9, "南通市公安局开发区分局", "南通经济技术开发区团工委",
                "开维权", "开团联", ("通盛大道", "星湖大道", "新开南路", "东方大道")),
}
SHIZHI_STREETS = ("世纪大道", "崇川路", "工农南路", "青年东路", "跃龙南路")

#: Names the naming bodies of a county carried before its rename or merger.
OLD_COUNTY_BODIES = {
    "haian": "共青团海安县委、海安县公安局",
    "haimen": "共青团海门市委、海门市公安局",
    "gangzha": "共青团南通市港闸区委、南通市公安局港闸分局",
}
#: The naming bodies of the city, the province and 海安市 (the county campaign), in order.
CITY_BODIES = ("共青团南通市委", "南通市公安局")
PROVINCE_BODIES = ("共青团江苏省委", "江苏省公安厅")
HAIAN_BODIES = ("共青团海安市委", "海安市公安局")

# ---------------------------------------------------------------------------------------------
# Units: (current name, county key or "shizhi", police type, unit kind, town/street, flags)
# flags: A2 / A3 = attachment of the notice; GZ = was under 港闸分局; PROV = holds a 2011—2012
# provincial title; FAIL = was a 2011—2012 city-level creation unit but not named (the 20%
# differential: 21 reviewed → at most 17 named); CAND = 2025—2026 city candidate;
# CTY = 2025—2026 county (海安) candidate; OLDHEAD = its head changed this year.
# ---------------------------------------------------------------------------------------------

UNITS: list[tuple[str, str, str, str, str, str]] = [
    # 附件2
    ("如东县公安局掘港派出所第一警务区", "rudong", "治安", "警务区", "掘港镇", "A2 PROV"),
    ("南通市公安局崇川分局学田派出所", "chongchuan", "治安", "派出所", "学田街道", "A2 PROV"),
    ("南通市公安局崇川分局永兴派出所", "chongchuan", "治安", "派出所", "永兴街道", "A2 PROV GZ"),
    ("南通市公安局交通巡逻警察支队一大队", "shizhi", "交巡警", "大队", "", "A2 PROV"),
    ("南通市公安局开发区分局刑警大队", "kaifaqu", "刑侦", "大队", "", "A2"),
    ("南通市公安局禁毒处(支队)", "shizhi", "禁毒", "支队", "", "A2"),
    ("海安市公安局指挥中心信息网络安全监察科", "haian", "网安", "科", "海安街道", "A2"),
    ("南通市拘留所", "shizhi", "监管", "拘留所", "", "A2 PROV"),
    # 附件3
    ("海安市公安局城北中心派出所", "haian", "治安", "派出所", "海安街道", "A3"),
    ("海安市公安局白甸派出所", "haian", "治安", "派出所", "白甸镇", "A3 FAIL CAND"),
    ("如皋市公安局刑警大队如城责任区刑侦中队", "rugao", "刑侦", "中队", "如城街道", "A3"),
    ("如皋市公安局交巡警大队城东交巡警中队", "rugao", "交巡警", "中队", "城东街道", "A3"),
    ("通州区公安局经文保大队", "tongzhou", "经文保", "大队", "", "A3"),
    ("海门区公安局三阳派出所", "haimen", "治安", "派出所", "三阳镇", "A3"),
    ("海门区公安局三和派出所", "haimen", "治安", "派出所", "三和镇", "A3 FAIL CAND"),
    ("海门区公安局执法监督大队", "haimen", "执法监督", "大队", "", "A3"),
    ("启东市公安局交巡警大队城区一中队", "qidong", "交巡警", "中队", "汇龙镇", "A3"),
    ("启东市公安局刑警大队汇龙中队", "qidong", "刑侦", "中队", "汇龙镇", "A3 FAIL CAND"),
    ("南通市公安局崇川分局和平桥派出所", "chongchuan", "治安", "派出所", "和平桥街道", "A3"),
    ("南通市公安局崇川分局唐闸派出所", "chongchuan", "治安", "派出所", "唐闸镇街道", "A3 GZ"),
    ("南通市公安局刑警支队一大队", "shizhi", "刑侦", "大队", "", "A3"),
    ("南通市公安局交巡警支队二大队", "shizhi", "交巡警", "大队", "", "A3"),
    ("南通市公安局交巡警支队三大队", "shizhi", "交巡警", "大队", "", "A3"),
    ("南通市公安局交巡警支队四大队", "shizhi", "交巡警", "大队", "", "A3"),
    ("南通市公安局交巡警支队五大队", "shizhi", "交巡警", "大队", "", "A3"),
    ("南通市公安局交巡警支队九大队", "shizhi", "交巡警", "大队", "", "A3"),
    ("南通市公安局水警支队长江治安管理大队一中队", "shizhi", "水警", "中队", "", "A3"),
    ("南通市公安消防支队特勤中队", "shizhi", "消防", "中队", "", "A3"),
    ("南通市公安消防支队港闸大队唐闸中队", "shizhi", "消防", "中队", "", "A3 FAIL"),
    # Invented units of other counties (each holds a recent county-level title)
    ("如皋市公安局如城派出所", "rugao", "治安", "派出所", "如城街道", "CAND"),
    ("如皋市公安局长江派出所", "rugao", "治安", "派出所", "长江镇", "CAND"),
    ("通州区公安局金沙派出所", "tongzhou", "治安", "派出所", "金沙街道", "CAND"),
    ("海门区公安局海门街道派出所", "haimen", "治安", "派出所", "海门街道", "CAND"),
    ("启东市公安局吕四派出所", "qidong", "治安", "派出所", "吕四港镇", "CAND"),
    ("如东县公安局掘港派出所", "rudong", "治安", "派出所", "掘港镇", "CAND"),
    ("南通市公安局崇川分局任港派出所", "chongchuan", "治安", "派出所", "任港街道", "CAND"),
    ("南通市公安局开发区分局竹行派出所", "kaifaqu", "治安", "派出所", "竹行街道", ""),
    # Invented units of 海安市, so that the county has a real register
    ("海安市公安局城东派出所", "haian", "治安", "派出所", "城东镇", "CAND"),
    ("海安市公安局城南派出所", "haian", "治安", "派出所", "海安街道", ""),
    ("海安市公安局西场派出所", "haian", "治安", "派出所", "西场街道", "CTY"),
    ("海安市公安局曲塘派出所", "haian", "治安", "派出所", "曲塘镇", "CAND OLDHEAD"),
    ("海安市公安局李堡派出所", "haian", "治安", "派出所", "李堡镇", "CAND"),
    ("海安市公安局角斜派出所", "haian", "治安", "派出所", "角斜镇", ""),
    ("海安市公安局墩头派出所", "haian", "治安", "派出所", "墩头镇", "CTY"),
    ("海安市公安局雅周派出所", "haian", "治安", "派出所", "雅周镇", "CTY"),
    ("海安市公安局南莫派出所", "haian", "治安", "派出所", "南莫镇", "CTY"),
    ("海安市公安局大公派出所", "haian", "治安", "派出所", "大公镇", "CTY"),
    ("海安市公安局孙庄派出所", "haian", "治安", "派出所", "孙庄街道", "CTY"),
    ("海安市公安局老坝港派出所", "haian", "治安", "派出所", "老坝港", ""),
    ("海安市公安局城东派出所韩洋警务区", "haian", "治安", "警务区", "城东镇", "CTY"),
    ("海安市公安局曲塘派出所双楼警务区", "haian", "治安", "警务区", "曲塘镇", ""),
    ("海安市公安局交巡警大队城区中队", "haian", "交巡警", "中队", "海安街道", "CAND"),
    ("海安市公安局交巡警大队曲塘中队", "haian", "交巡警", "中队", "曲塘镇", "CTY"),
    ("海安市公安局交巡警大队李堡中队", "haian", "交巡警", "中队", "李堡镇", ""),
    ("海安市公安局刑警大队城区中队", "haian", "刑侦", "中队", "海安街道", ""),
    ("海安市公安局刑警大队李堡中队", "haian", "刑侦", "中队", "李堡镇", "CTY"),
    ("海安市公安局治安大队", "haian", "治安", "大队", "海安街道", ""),
    ("海安市公安局禁毒大队", "haian", "禁毒", "大队", "海安街道", "CTY"),
    ("海安市公安局看守所", "haian", "监管", "看守所", "海安街道", ""),
    ("海安市公安局拘留所", "haian", "监管", "拘留所", "海安街道", "CTY"),
    ("海安市公安局网络安全保卫大队", "haian", "网安", "大队", "海安街道", "CTY"),
    ("海安市公安局经文保大队", "haian", "经文保", "大队", "海安街道", ""),
    ("海安市公安消防大队", "haian", "消防", "大队", "海安街道", ""),
]

HEAD_POSTS = {"派出所": "所长", "警务区": "警务区长", "中队": "中队长", "大队": "大队长",
              "科": "科长", "拘留所": "所长", "看守所": "所长", "支队": "支队长"}

#: Titles of the 海安 units beyond the ladder every notice unit gets:
#: (unit, level, term start or None for the latest term, named on or None, kind, status)
HAIAN_TITLES: list[tuple[str, int, int | None, dt.date | None, str, str]] = [
    ("海安市公安局城东派出所", 1, None, None, "post", "valid"),
    ("海安市公安局曲塘派出所", 1, None, None, "post", "valid"),
    ("海安市公安局李堡派出所", 1, None, None, "post", "valid"),
    ("海安市公安局交巡警大队城区中队", 1, None, None, "post", "valid"),
    ("海安市公安局城北中心派出所", 2, 2013, dt.date(2014, 5, 4), "demonstration", "valid"),
    ("海安市公安局城南派出所", 1, 2019, dt.date(2020, 12, 18), "post", "valid"),
    ("海安市公安局城南派出所", 2, 2021, dt.date(2022, 12, 16), "post", "rectifying"),
    ("海安市公安局西场派出所", 1, 2017, dt.date(2018, 12, 20), "post", "cancelled"),
    ("海安市公安局角斜派出所", 1, 2021, dt.date(2022, 12, 20), "post", "revoked"),
    ("海安市公安消防大队", 1, 2015, dt.date(2016, 12, 16), "post", "deregistered"),
    ("海安市公安局治安大队", 1, 2013, dt.date(2014, 5, 4), "post", "valid"),
    ("海安市公安局治安大队", 2, 2015, dt.date(2016, 12, 16), "post", "valid"),
    ("海安市公安局看守所", 1, 2019, dt.date(2020, 12, 18), "post", "valid"),
    ("海安市公安局刑警大队城区中队", 1, 2017, dt.date(2018, 12, 20), "post", "valid"),
    ("海安市公安局刑警大队城区中队", 2, 2019, dt.date(2020, 12, 18), "post", "valid"),
]

#: Valid titles whose next re-review falls due soon or is overdue: (unit, level) → days.
REREVIEW_DUE = {
    ("海安市公安局刑警大队城区中队", 2): 12,
    ("南通市公安局交巡警支队二大队", 2): 25,
    ("海安市公安局看守所", 1): -20,
}

#: Renamed counties: (key, old region name, old bureau name, date, note of the region rename)
RENAMES = (
    ("haian", "海安县", "海安县公安局", HAIAN_RENAMED, "撤销海安县，设立县级海安市（原区划代码320621）"),
    ("haimen", "海门市", "海门市公安局", HAIMEN_RENAMED, "撤销县级海门市，设立南通市海门区（原区划代码320684）"),
)


def old_name(name: str, county: str, flags: set[str]) -> tuple[str | None, dt.date | None, str]:
    """The name a unit carried before its county was renamed or merged: (name, until, why)."""
    if county == "haian" and name.startswith("海安市"):
        return "海安县" + name[3:], HAIAN_RENAMED, "海安撤县设市，单位随之更名"
    if county == "haimen":
        return name.replace("海门区", "海门市", 1), HAIMEN_RENAMED, "海门撤市设区，单位随之更名"
    if "GZ" in flags:
        # Demo choice: when 港闸区 merged into 崇川区 (2020-07-01) the 港闸分局's stations went
        # to the 崇川分局 under their own names; the old name is kept as history.
        return (name.replace("崇川分局", "港闸分局", 1), GANGZHA_MERGED,
                "港闸区并入崇川区，原港闸分局所属派出所划归崇川分局")
    return None, None, ""


TitleSpec = tuple[str, int, int | None, dt.date | None, str, str]


def title_specs() -> list[TitleSpec]:
    """(unit, level, term start or None for the latest term, named on or None, kind, status):
    the ladder of every notice unit, the invented units' latest county title, and 海安's."""
    specs: list[TitleSpec] = []
    for name, county, ptype, _k, _t, flag_text in UNITS:
        flags = set(flag_text.split())
        if "A2" in flags:  # chosen from past city-level titles (section 五 of the notice)
            if county != "shizhi":
                specs.append((name, 1, 2007, dt.date(2008, 5, 4), "post", "valid"))
            specs.append((name, 2, 2009, dt.date(2010, 6, 18), "post", "valid"))
            if "PROV" in flags:
                specs.append((name, 3, 2011, dt.date(2013, 5, 4), "post", "valid"))
        elif "A3" in flags:  # 市直 units have no county level: their ladder starts at 市级
            if county != "shizhi":
                specs.append((name, 1, 2009, dt.date(2010, 5, 4), "post", "valid"))
            if "FAIL" not in flags:
                status = "deregistered" if ptype == "消防" else "valid"
                specs.append((name, 2, 2011, dt.date(2012, 8, 8), "post", status))
        elif county != "haian":
            specs.append((name, 1, None, None, "post", "valid"))
    return specs + HAIAN_TITLES


REVOCATION = (
    "fraud",
    "经查，该所在2021—2022年度创建申报材料中，将未实际开展的3次“法制进校园”活动"
    "补写入工作台账并附拼接照片，所报志愿者人数与实际不符，属在创建命名过程中弄虚作假。",
    "海安市公安局督察大队调查报告；活动台账与学校来访登记比对记录；当事民警谈话笔录",
)

#: How the titles that ended did so: status → (re-reviews, title events (kind, on, reason,
#: from, to, extra fields), plaque state, plaque changed on, plaque note).
TITLE_ENDINGS: dict[str, tuple[list[dict], list[tuple], str, dt.date, str]] = {
    "cancelled": (
        [{"on": dt.date(2022, 11, 15), "passed": False, "score": 64.0,
          "rectification_deadline": dt.date(2023, 11, 15), "recheck_on": dt.date(2023, 11, 20),
          "recheck_passed": False, "note": "整改期满考核仍不合格"}],
        [("rereview_failed", dt.date(2022, 11, 15), "复核不合格，实行为期一年的整改", "valid",
          "rectifying", {}),
         ("recheck_failed", dt.date(2023, 11, 20), "整改期满考核仍不合格，取消称号并摘牌",
          "rectifying", "cancelled", {})],
        "removed", dt.date(2023, 11, 20), "已摘牌"),
    "revoked": (
        [],
        [("revoked", dt.date(2024, 6, 12), "经查属实，由原命名单位直接撤销称号", "valid", "revoked",
          dict(zip(("ground", "finding", "evidence"), REVOCATION, strict=True)))],
        "reclaimed", dt.date(2024, 6, 18), "牌匾已摘除并收归命名单位"),
    "deregistered": (
        [],
        [("deregistered", FIRE_LEFT, "工作性质变更（消防部队改制转隶），不再从事公安系统青少年维权"
          "工作，称号自动取消", "valid", "deregistered", {})],
        "souvenir", FIRE_LEFT, "牌匾留作纪念，不得在公共场所悬挂"),
}

# ---------------------------------------------------------------------------------------------
# People (invented). Surnames common in 南通; given names plain and common.
# ---------------------------------------------------------------------------------------------

SURNAMES = ("陈", "张", "顾", "朱", "施", "季", "缪", "沈", "徐", "黄", "吴", "钱", "邵", "瞿",
            "范", "丁", "蔡", "周", "刘", "杨", "孙", "陆", "葛", "管", "姜", "冒", "严", "仇",
            "樊", "袁", "于", "郁", "成", "花", "卢", "储")
GIVEN = ("建国", "志强", "卫东", "海峰", "晓东", "红梅", "建华", "春华", "国平", "丽娟", "新民",
         "永刚", "晓燕", "俊杰", "海燕", "立新", "文斌", "振宇", "明亮", "宏伟", "晓峰", "云飞",
         "雪梅", "学军", "金林", "德明", "家兴", "桂林", "勤华", "爱民", "锦华", "正东", "海军",
         "卫星", "海涛", "美华", "玉兰", "建新", "志刚", "小平", "亚东", "春燕", "国庆", "剑锋")
#: The people the notice names: demo data never produces these.
FORBIDDEN_NAMES = frozenset({"王鸣昊", "陆玲玲", "李荣伟", "曹端峰", "葛志祥", "程沛华", "胡文瑞",
                             "许庆民", "朱亚权", "张建", "郑先波"})
FORBIDDEN_PHONES = frozenset({"85020355", "0513-85020355"})

#: 附件1: (role, post, employer); the last member is also the office director (兼).
LEADING_GROUP = [
    ("leader", "共青团南通市委副书记", "共青团南通市委"),
    ("leader", "南通市公安局党委委员、政治部主任", "南通市公安局"),
    ("member", "共青团南通市委权益部部长", "共青团南通市委"),
    ("member", "南通市公安局治安警察支队政委", "南通市公安局"),
    ("member", "南通市公安局交通巡逻警察支队政委", "南通市公安局"),
    ("member", "南通市公安局刑事警察支队政委", "南通市公安局"),
    ("member", "南通市公安局禁毒支队政委", "南通市公安局"),
    ("member", "南通市公安局监所管理支队支队长", "南通市公安局"),
    ("member", "南通市公安局网络安全监察支队支队长", "南通市公安局"),
    ("member", "南通市公安消防支队政委", "南通市公安消防支队"),
    ("member", "南通市公安局团委副书记", "南通市公安局"),
]

SUPERVISORS = [
    ("npc", "南通市人大代表", "崇川区某社区党委书记"),
    ("npc", "海安市人大代表", "海安市某初级中学校长"),
    ("cppcc", "南通市政协委员", "律师事务所主任，长期从事未成年人法律援助"),
    ("official", "南通市教育局", "安全稳定工作负责同志"),
    ("journalist", "南通日报社", "政法新闻记者"),
    ("youth_worker", "南通市青少年宫", "青少年社会工作者"),
    ("public_figure", "南通市关心下一代工作委员会", "退休教师，法治宣讲志愿者"),
    ("served", "南通大学", "在校大学生，曾受维权岗帮助"),
]

# ---------------------------------------------------------------------------------------------
# Standard (section 二.5 (1)–(6) and 二.6), survey questionnaire
# ---------------------------------------------------------------------------------------------

STANDARD_ITEMS = [
    ("二.5(1)", "办理未成年人刑事案件优先适用非羁押性强制措施，确定专门人员办理，尊重未成年人人格尊严", 10),
    ("二.5(2)", "办理未成年人案(事)件和交通事故不使用械具，不在新闻媒体上公开未成年当事人身份", 10),
    ("二.5(3)", "及时发现、解救被拐卖儿童，开展“护蕾行动”，救助流浪乞讨儿童，关心帮助农村留守儿童", 10),
    ("二.5(4)", "与辖区中小学建立警校共建关系，派员担任法制副校长或法制辅导员，开展“护学行动”", 15),
    ("二.5(5)", "强化校园周边环境治理，规范网吧管理，学校周边200米内无营业性娱乐场所", 10),
    ("二.5(6)", "审前羁押未成年人与成年人分别看管，做好帮教和定期回访", 10),
    ("二.6", "服务承诺在显著位置公布，公开维权内容、维权电话、单位地址和负责人", 10),
    ("二.6", "针对突出问题开展专项整治或专题维权活动，活动中亮明“青少年维权岗”创建单位身份", 10),
    ("二.6", "组建青少年维权服务志愿者队伍，经常深入学校、社区、企业开展宣传和服务", 8),
    ("二.6", "及时处理和答复涉及青少年的咨询或投诉", 7),
]
SCORING_RULE = "对照检查：完全符合得满分；部分符合酌情扣分；未开展不得分。"

KNOW = ["知道", "不知道"]
SATISFY = ["满意", "基本满意", "不满意"]
SURVEY_QUESTIONS = [
    ("awareness", "您知道本单位是“青少年维权岗”(创建)单位吗？", KNOW),
    ("awareness", "您知道本单位的维权电话吗？", KNOW),
    ("awareness", "您知道“12355”青少年维权监督热线吗？", KNOW),
    ("awareness", "您或身边的青少年得到过本单位的帮助吗？", ["得到过", "没有得到过"]),
    ("satisfaction", "您对本单位民警的服务态度是否满意？", SATISFY),
    ("satisfaction", "您对本单位办事效率是否满意？", SATISFY),
    ("satisfaction", "您对本单位开展的法制宣传和维权知识宣传是否满意？", SATISFY),
    ("satisfaction", "您对学校及周边治安秩序是否满意？", SATISFY),
    ("satisfaction", "您对本单位处理青少年咨询、投诉的情况是否满意？", SATISFY),
    ("satisfaction", "总体而言，您对本单位维护青少年权益的工作是否满意？", SATISFY),
]
AGE_BANDS = ("6-13岁", "14-17岁", "14-17岁", "14-17岁", "18-25岁", "18-25岁")

# ---------------------------------------------------------------------------------------------
# Texts of the work records
# ---------------------------------------------------------------------------------------------

COMMITMENTS = {
    "治安": ("对涉及青少年的报警求助做到快速出警、优先处置；办理未成年人案件依法保护其隐私，不使用械具；"
           "每学期到辖区中小学上法治课不少于两次；对校园周边200米内的网吧、娱乐场所每月至少检查一次。",
           "青少年报警求助、校园及周边治安、未成年人被侵害案件、留守儿童关爱帮扶"),
    "交巡警": ("上下学高峰在辖区学校门口设置护学岗；每学期开展交通安全进校园活动；"
            "处理涉及未成年人的交通事故依法保护其身份信息，优先救治、优先调解。",
            "校园交通安全、校车安全、涉未成年人交通事故处理"),
    "刑侦": ("办理未成年人刑事案件确定专人、优先适用非羁押性强制措施；对被拐卖、被侵害儿童做到及时发现、"
           "及时解救、及时救助；询问未成年人通知法定代理人到场。",
           "未成年人被侵害案件侦办、被拐卖儿童解救、未成年人刑事案件依法办理"),
    "禁毒": ("每年为辖区中小学上好“禁毒教育第一课”；对涉毒青少年落实帮教措施；加强娱乐场所涉毒检查。",
           "青少年禁毒宣传教育、涉毒青少年帮教"),
    "监管": ("对未成年在押人员与成年人分别关押、分别管理；落实亲情会见和心理疏导；出所后协同做好帮教回访。",
           "未成年在押人员合法权益保障、帮教回访"),
    "网安": ("开展文明上网、安全上网宣传；依法查处侵害未成年人的网络违法信息；配合规范网吧管理。",
           "未成年人网络保护、网络安全教育"),
}
COMMITMENT_DEFAULT = ("立足本职维护青少年合法权益，及时受理青少年求助、咨询和投诉，5个工作日内答复。",
                      "青少年求助、咨询、投诉的受理与答复")

FINDINGS = (
    "服务承诺牌悬挂在接处警大厅显著位置，维权电话、负责人信息齐全",
    "建立了青少年维权工作台账，咨询投诉登记、答复、回访记录完整",
    "与辖区中小学签订警校共建协议，法制副校长按计划授课",
    "志愿者队伍组建到位，本学期已开展进校园宣传活动",
    "上下学高峰护学岗设置规范，民警在岗在位",
    "未成年人案件询问时通知法定代理人到场，笔录规范",
    "校园周边网吧、娱乐场所检查记录齐全",
)
PROBLEMS = (
    ("部分咨询登记缺少答复日期，个别投诉回访记录不全", "补全咨询投诉台账答复与回访记录"),
    ("服务承诺牌中负责人信息未随人员调整及时更新", "一周内更新服务承诺牌负责人及联系电话"),
    ("志愿者活动记录偏少，活动照片与台账未对应", "完善志愿者活动台账，每月至少开展一次活动"),
    ("校园周边网吧检查记录未按月留存", "建立校园周边巡查月报制度，补齐检查记录"),
    ("未成年人案件卷宗中法定代理人到场记录不规范", "组织办案民警学习未成年人案件办理规范，逐卷整改"),
)

#: (kind, content, result) of consultations and complaints; content names no real person.
CONSULTATIONS = (
    ("consultation", "初二学生家长咨询：孩子在校外被高年级学生索要零花钱，应如何处理", "告知报警和证据保全方法，联系学校法制副校长跟进，已回访家长"),
    ("consultation", "高中生咨询：暑期打工被拖欠工资能否求助", "告知劳动保障监察投诉渠道，协助联系用人单位，工资已结清"),
    ("complaint", "群众反映学校门口某网吧有未成年人出入", "会同文化执法部门检查，依法处罚并责令整改，后续每周巡查"),
    ("consultation", "学生咨询：网上被人以“刷单返利”骗走压岁钱怎么办", "指导保存聊天记录和转账凭证，已受理立案"),
    ("complaint", "家长投诉放学时段校门口车辆乱停、接送秩序混乱", "增设护学岗，协调学校错峰放学，秩序好转"),
    ("consultation", "留守儿童的祖父咨询孩子户口迁移和办理身份证事宜", "现场指导办理，开通绿色通道当日受理"),
    ("consultation", "中学生咨询：同学在网上散布自己的照片和隐私，应如何维权", "指导固定证据，联系平台删除，约谈相关学生及家长"),
    ("complaint", "反映小区附近有人向未成年人出售香烟", "会同市场监管部门检查，责令商户整改并张贴提示"),
    ("consultation", "家长咨询孩子沉迷网络游戏、夜不归宿，希望民警帮助教育", "会同社区、学校开展家访，落实心理疏导"),
    ("complaint", "学生反映上学途经路段路灯损坏，夜间不安全", "转交市政部门修复，增加夜间巡逻"),
)
#: Obviously invented minors for the masking demo: name and the first 17 digits of a fake
#: identity number (320685 = 海安市, born 2010; the check digit is computed).
MINORS = (("王小明", "32068520100315013"), ("李小红", "32068520100722024"),
          ("张小华", "32068520101108031"), ("陈小军", "32068520100519017"))

#: (kind, title, place, place kind, description)
ACTIVITIES = (
    ("special_campaign", "校园周边环境专项整治", "辖区中小学周边", "学校",
     "集中清查学校周边200米内娱乐场所、网吧和无证摊点"),
    ("themed", "“护学行动”专题维权活动", "辖区中小学", "学校", "上下学高峰护学岗全覆盖，开展安全防范知识讲座"),
    ("volunteer", "法治进校园志愿宣讲", "辖区初级中学", "学校", "志愿者讲授防校园欺凌、防电信诈骗课程"),
    ("volunteer", "青少年维权知识进社区", "辖区社区青少年之家", "社区", "发放维权联系卡，现场解答咨询"),
    ("action_month", "“青少年维权岗行动月”集中活动", "全市各创建单位辖区", "其他",
     "各创建单位同步开展法治宣传、校园周边整治和帮扶走访"),
    ("action_day", "“6·26”国际禁毒日青少年维权岗行动日", "南通市青少年宫广场", "其他", "禁毒知识展板、互动问答"),
    ("joint", "网吧违规接纳未成年人联合治理", "城区网吧集中区域", "其他", "公安、文化执法部门联合检查"),
    ("volunteer", "新生代农民工法律服务进企业", "工业园区企业", "企业", "讲解劳动权益保护和反诈知识"),
    ("themed", "“护蕾行动”留守儿童关爱走访", "农村留守儿童之家", "社区", "走访留守儿童家庭，落实结对帮扶"),
)

PROJECTS = {
    "治安": ("中小学“一校一警”护学岗全覆盖", "校园周边治安乱点“清零”行动"),
    "交巡警": ("“交通安全第一课”巡回宣讲",),
    "刑侦": ("未成年被害人“一站式”询问救助室建设",),
    "禁毒": ("“禁毒教育第一课”进中小学",),
    "监管": ("未成年在押人员亲情帮教会见日",),
}

COBUILDINGS = (  # (unit, township, village)
    ("海安市公安局城东派出所", "城东镇", "韩洋村"),
    ("海安市公安局白甸派出所", "白甸镇", "白甸社区"),
    ("如皋市公安局长江派出所", "长江镇", "永平村"),
)
HELPS = (
    ("解疑释惑", "留守儿童因父母外出务工长期情绪低落，民警与志愿者结对谈心"),
    ("困难帮扶", "为家庭困难的服刑人员未成年子女联系助学金"),
    ("纠偏帮教", "对多次逃学、夜不归宿的青少年落实“一对一”帮教"),
    ("法律援助", "协助新生代农民工讨要被拖欠工资，联系法律援助中心"),
    ("心理疏导", "联系心理咨询师为遭受校园欺凌的学生疏导"),
)

#: 分配名额 of the city campaign per county office.
QUOTAS = {"haian": 5, "rugao": 3, "tongzhou": 2, "haimen": 3, "qidong": 3, "rudong": 2,
          "chongchuan": 3, "kaifaqu": 2}

#: (kind, subject, unit, received days ago, due days ago, closed days ago or None, result)
REFERRALS = (
    ("transfer", "12355热线转来：反映某初级中学学生多次遭受校外人员索要财物", "海安市公安局白甸派出所",
     60, 50, 52, "已查处违法人员2名，学校落实护学措施，已回复来电人"),
    ("assign", "市局交办：校园周边娱乐场所违规接纳未成年人情况排查", "海安市公安局交巡警大队城区中队",
     30, 3, None, ""),
    ("joint", "会办：离家出走未成年人查找及家庭教育指导", "海安市公安局城东派出所",
     120, 110, 115, "已找回，会同妇联、学校开展家庭教育指导"),
)

CONTACT_PLACES = (("中心小学", "学校"), ("初级中学", "学校"), ("社区青少年之家", "社区"),
                  ("村留守儿童之家", "社区"))
CARD_PLACES = ("中小学开学第一课", "社区宣传日", "企业青工之家")
