"""Campaigns, candidates and titles of a generated database.

Part of the builder of :mod:`bench.generate_records`: the 2023 and running-term campaigns of
every level, titles of past terms in every state of their lifecycle (with their re-reviews,
events and plaques), the candidates each campaign named or failed, and those of the running
term.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from bench.generate_base import (
    CURRENT_TERM,
    DAY,
    FIRE_REASON,
    PAST_TERMS,
    BuilderBase,
    UnitInfo,
)
from wqg_desktop.db import models as m
from wqg_desktop.domain.chinese import Term
from wqg_desktop.services import demo_data as data

TITLE_STATUSES = (("valid", 86), ("rectifying", 4), ("cancelled", 3), ("deregistered", 4),
                  ("revoked", 3))


class TitlesPart(BuilderBase):
    """Builds the campaigns, their candidates and the titles of past terms."""

    # -- campaigns -------------------------------------------------------------------------

    def _campaign_offices(self, level: int) -> dict[int, tuple[str, tuple[int, ...], list]]:
        """owner office → (region name, naming bodies, places) of the campaigns at ``level``."""
        out: dict[int, tuple[str, tuple[int, ...], list]] = {}
        for p in self.places:
            if level == 1 and not p.direct:
                out.setdefault(p.office_id, (p.name, p.naming_body_ids, []))[2].append(p)
            elif level == 2 and self.office.level >= 2:
                out.setdefault(p.city_office_id, (p.city, p.city_naming_body_ids, []))[2].append(p)
            elif level == 3 and self.office.level >= 3:
                out.setdefault(p.province_office_id, ("江苏省", p.province_body_ids, []))[2].append(p)
        return out

    def _campaigns(self) -> None:
        rng, camps = self.rng, self.t(m.Campaign)
        self.campaigns: dict[tuple[int, int, int], dict[str, Any]] = {}
        for level in (1, 2, 3):
            for owner, (region, bodies, places) in self._campaign_offices(level).items():
                for term in (2023, CURRENT_TERM):
                    info: dict[str, Any] = {"owner": owner, "level": level, "term": term,
                                            "places": places, "named": 0}
                    info["creation_start"] = dt.date(term, 5, 1)
                    if term == 2023:
                        stage, info["creation_end"] = "closed", dt.date(2024, 10, 31)
                        info["naming_date"] = dt.date(2024, 12, rng.randint(10, 28))
                    elif level == 3 or (level == 1 and rng.random() < 0.5):
                        stage, info["creation_end"] = "creation", dt.date(2026, 12, 20)
                        info["naming_date"] = None
                    else:
                        stage, info["creation_end"] = "review", dt.date(2026, 10, 31)
                        info["naming_date"] = None
                    info["stage"] = stage
                    ce = info["creation_end"]
                    info["id"] = camps.add(
                        owner_office=owner, level=level, term_start=term,
                        name=f"{Term(term).label}{region}公安系统“青少年维权岗”创建活动", stage=stage,
                        application_start=dt.date(term, 3, 1),
                        application_end=dt.date(term, 4, 15),
                        creation_start=info["creation_start"], creation_end=ce,
                        review_planned=ce + 15 * DAY,
                        publicity_start=dt.date(2024, 11, 25) if term == 2023 else None,
                        publicity_end=dt.date(2024, 12, 3) if term == 2023 else None,
                        naming_planned=ce + 45 * DAY, naming_date=info["naming_date"],
                        document_no=f"{region[0]}团联〔{term}〕{rng.randint(5, 60)}号",
                        quota=8 if level == 3 else None, min_inspections=2 if level > 1 else 1)
                    for order, body in enumerate(bodies):
                        self.t(m.CampaignNamingBody).add(owner_office=owner, campaign=info["id"],
                                                         naming_body=body, sort_order=order)
                    if level > 1:
                        senders = sorted({p.office_id if level == 2 else p.city_office_id
                                          for p in places if not p.direct})
                        for sender in senders:
                            self.t(m.CampaignQuota).add(owner_office=owner, campaign=info["id"],
                                                        office=sender, quota=8 if level == 3 else 3)
                    self.campaigns[(level, term, owner)] = info
        self.candidates: list[tuple[int, UnitInfo, dict[str, Any], str]] = []

    def _candidate(self, unit: UnitInfo, info: dict[str, Any], status: str,
                   sender: int | None) -> int:
        cs, ce = info["creation_start"], info["creation_end"]
        applied = self.day(dt.date(info["term"], 3, 5), dt.date(info["term"], 4, 15))
        ident = self.t(m.Candidate).add(owner_office=info["owner"], campaign=info["id"],
                                        unit=unit.id, status=status, recommended_by=sender,
                                        applied_on=applied)
        first = "recommended" if sender else "applied"
        steps = [("", first, applied), (first, "creating", cs)]
        if status != "creating":
            steps.append(("creating", "reviewing", ce + DAY))
        if status in ("named", "failed"):
            steps.append(("reviewing", status, info["naming_date"] if status == "named"
                          else ce + 20 * DAY))
        for frm, to, on in steps:
            self.t(m.CandidateEvent).add(owner_office=info["owner"], candidate=ident,
                                         from_status=frm, to_status=to, on=on,
                                         actor=unit.head if to == "applied" else "创建活动领导小组办公室")
        self.candidates.append((ident, unit, info, status))
        return ident

    # -- titles ----------------------------------------------------------------------------

    def _titles(self) -> None:
        rng = self.rng
        terms_after = {t: [x for x in PAST_TERMS if x > t] for t in PAST_TERMS}
        weights = [w for _s, w in TITLE_STATUSES]
        statuses = [s for s, _w in TITLE_STATUSES]

        def status() -> str:
            return rng.choices(statuses, weights)[0]

        for u in self.units:
            if not u.youth:
                if rng.random() < 0.4:
                    u.county_title = (rng.choice((2013, 2015)), "deregistered")
                    self._title(u, 1, *u.county_title)
                continue
            if u.place.direct:
                lower_ok, lower_term = True, 2011
            else:
                if rng.random() < 0.45:
                    u.county_title = (rng.choice(PAST_TERMS), status())
                    self._title(u, 1, *u.county_title)
                lower_ok = bool(u.county_title and u.county_title[1] == "valid")
                lower_term = u.county_title[0] if u.county_title else 9999
            chance = 0.45 if u.place.direct else 0.33
            later = [t for t in PAST_TERMS if t > lower_term]
            if lower_ok and later and rng.random() < chance:
                u.city_title = (rng.choice(later), status())
                self._title(u, 2, *u.city_title)
                if u.city_title[1] == "valid" and rng.random() < 0.05:
                    self._title(u, 2, u.city_title[0], "valid", kind="demonstration")
                later = terms_after[u.city_title[0]]
                if u.city_title[1] == "valid" and later and rng.random() < 0.25:
                    u.province_title = (rng.choice(later), status())
                    self._title(u, 3, *u.province_title)

    def _title(self, u: UnitInfo, level: int, term: int, status: str, kind: str = "post") -> None:
        rng, p, today = self.rng, u.place, self.today
        if level == 1:
            owner, bodies, text = p.office_id, p.naming_body_ids, f"{p.league}、{p.bureau}"
            cert, doc = f"{p.name[:2]}维权", f"{p.name[0]}团联"
        elif level == 2:
            owner, bodies, text = (p.city_office_id, p.city_naming_body_ids,
                                   f"共青团{p.city}委、{p.city}公安局")
            cert, doc = f"{p.city[:2]}维权", f"{p.city[0]}团联"
        else:
            owner, bodies, text = p.province_office_id, p.province_body_ids, "共青团江苏省委、江苏省公安厅"
            cert, doc = "苏维权", "团苏委联"
        info = self.campaigns.get((level, term, owner))
        candidate = None
        if info is not None:
            named_on = info["naming_date"]
            if kind == "post":
                info["named"] += 1
                candidate = self._candidate(u, info, "named", None)
        else:
            named_on = dt.date(term + 1, rng.randint(8, 12), rng.randint(1, 28))
        if status == "cancelled" and named_on + 3 * 365 * DAY > today:
            status = "rectifying"  # too recent to have failed a re-check already
        fire = not u.youth
        fields: dict[str, Any] = {"status_changed_on": named_on}
        events = [("named" if info else "recorded", named_on, f"{text}命名", "", "valid", {})]
        plaque, rereviews = "issued", []
        if status == "valid":
            due = today + rng.randint(-45, 700) * DAY
            fields["next_rereview_due"] = due
            if named_on + 400 * DAY < due - 730 * DAY < today:
                rereviews.append({"on": due - 730 * DAY, "passed": True,
                                  "score": round(rng.uniform(85, 97), 1)})
                events.append(("rereview_passed", due - 730 * DAY, "定期复核合格，继续保留称号",
                               "valid", "valid", {}))
        elif status in ("rectifying", "cancelled"):
            failed = (today - rng.randint(30, 330) * DAY if status == "rectifying"
                      else named_on + 2 * 365 * DAY)
            deadline = failed + 365 * DAY
            cancelled = status == "cancelled"
            rereviews.append({"on": failed, "passed": False, "score": round(rng.uniform(55, 69), 1),
                              "rectification_deadline": deadline,
                              "recheck_on": deadline if cancelled else None,
                              "recheck_passed": False if cancelled else None})
            events.append(("rereview_failed", failed, "复核不合格，实行为期一年的整改", "valid",
                           "rectifying", {}))
            fields.update(status_changed_on=failed, rectification_deadline=deadline)
            if status == "cancelled":
                events.append(("recheck_failed", deadline, "整改期满考核不合格，取消称号并摘牌",
                               "rectifying", "cancelled", {}))
                fields["status_changed_on"], plaque = deadline, "removed"
        elif status == "deregistered":
            on = data.FIRE_LEFT if fire else self.day(named_on + 100 * DAY, today - 30 * DAY)
            events.append(("deregistered", on, FIRE_REASON if fire else "工作性质改变，不再涉及青少年",
                           "valid", "deregistered", {}))
            fields["status_changed_on"], plaque = on, "souvenir"
        elif status == "revoked":
            on = self.day(named_on + 100 * DAY, today - 30 * DAY)
            events.append(("revoked", on, "经查属实，撤销称号", "valid", "revoked",
                            {"ground": rng.choice(("law", "major_error", "fraud")),
                             "finding": "经调查核实，情况属实", "evidence": "调查报告一份"}))
            fields["status_changed_on"], plaque = on, "reclaimed"
        unit_name = ("海安县" + u.name[3:] if u.name.startswith("海安市")
                     and named_on < data.HAIAN_RENAMED else u.name)
        docs = self.counters.setdefault(("doc", owner, named_on), rng.randint(5, 90))
        ident = self.t(m.Title).add(
            owner_office=owner, unit=u.id, level=level, term_start=term, kind=kind, status=status,
            unit_name=unit_name, named_on=named_on, document_no=f"{doc}〔{named_on.year}〕{docs}号",
            certificate_no=f"{cert}〔{named_on.year}〕第{self.seq(cert, named_on.year):03d}号",
            naming_bodies_text=text, campaign=info["id"] if info else None, candidate=candidate,
            **fields)
        for rr in rereviews:
            self.t(m.ReReview).add(owner_office=owner, title=ident, regular=True, **rr)
        for order, body in enumerate(bodies):
            self.t(m.TitleNamingBody).add(owner_office=owner, title=ident, naming_body=body,
                                          sort_order=order)
        for k, on, reason, frm, to, extra in events:
            self.t(m.TitleEvent).add(owner_office=owner, title=ident, kind=k, on=on, actor=text,
                                     reason=reason, from_status=frm, to_status=to, **extra)
        self.t(m.Plaque).add(owner_office=owner, title=ident, state=plaque,
                             issued_on=named_on + 20 * DAY,
                             state_changed_on=fields["status_changed_on"])

    # -- candidates that were not named, and the running term ------------------------------

    def _pool(self, level: int, info: dict[str, Any], taken: set[int]) -> list[UnitInfo]:
        """Units of the campaign's area that may enter it (the ladder of DOMAIN rule 1)."""
        if not hasattr(self, "_by_place"):
            self._by_place: dict[int, list[UnitInfo]] = {}
            for u in self.units:
                self._by_place.setdefault(id(u.place), []).append(u)
        return [u for p in info["places"] for u in self._by_place.get(id(p), [])
                if u.youth and u.id not in taken and _eligible(u, level)]

    def _past_failures(self) -> None:
        """The 2023 campaigns reviewed more than they named (the 20 % differential)."""
        rng = self.rng
        for (level, term, owner), info in self.campaigns.items():
            if term != 2023:
                continue
            named = info["named"]
            failed = math.ceil(named / 5) + (1 if rng.random() < 0.3 else 0)
            taken = {c[1].id for c in self.candidates if c[2] is info}
            pool = self._pool(level, info, taken)
            chosen = rng.sample(pool, min(failed, len(pool)))
            for u in chosen:
                self._candidate(u, info, "failed", None)
            reviewed = named + len(chosen)
            max_pass = 5 * reviewed // 6
            self.t(m.ReviewDecision).add(
                owner_office=owner, campaign=info["id"], decided_on=info["creation_end"] + 20 * DAY,
                reviewed=reviewed, passed=named, convention="election", max_pass=max_pass,
                override=named > max_pass,
                override_reason="候选单位不足，经领导小组研究同意全部达标单位予以命名"
                if named > max_pass else "", actor="创建活动领导小组")

    def _current_candidates(self) -> None:
        """The 2025—2026 term: county campaigns take about a tenth of the units without a title;
        the city and the province take a few recommended by each office below."""
        rng = self.rng
        for (level, term, _owner), info in self.campaigns.items():
            if term != CURRENT_TERM:
                continue
            status = "creating" if info["stage"] == "creation" else "reviewing"
            pool = self._pool(level, info, set())
            if level == 1:
                picks = [(u, None) for u in rng.sample(pool, max(1, len(pool) // 10))] if pool else []
            else:
                by_sender: dict[int | None, list[UnitInfo]] = {}
                for u in pool:
                    sender = (None if u.place.direct else u.place.office_id) if level == 2 \
                        else u.place.city_office_id
                    by_sender.setdefault(sender, []).append(u)
                picks = []
                for sender, units in by_sender.items():
                    quota = 8 if level == 3 else max(2, len(units) // 12)
                    picks += [(u, sender) for u in rng.sample(units, min(quota, len(units)))]
            for u, sender in picks:
                self._candidate(u, info, status, sender)


def _valid(title: tuple[int, str] | None) -> bool:
    return bool(title and title[1] == "valid")


def _eligible(u: UnitInfo, level: int) -> bool:
    """No title at ``level`` yet and a valid one a level down (市直 units start at the city)."""
    if level == 1:
        return not u.place.direct and u.county_title is None
    if level == 2:
        return u.city_title is None and (u.place.direct or _valid(u.county_title))
    return u.province_title is None and _valid(u.city_title)
