#!/usr/bin/env python3
"""Builds warwickshire-2017-q3-monthly.csv (the input of `monitor import-monthly`) from the force report's figures.

    python3 build_fixture.py ../../Shared/warwickshire-2017-q3.json > warwickshire-2017-q3-monthly.csv

Where the months come from (docs/reports.md says the same):
- Jul-Sep 2017: the reference's monthly series as they are. Where the reference gives only a quarter total (the
  district table, and the areas' crime types that have no monthly series) the total is split evenly over the three
  months, any remainder going to the earliest months. An empty district cell (business robbery) is 0.
  Robbery: the reference's monthly robbery series is the sum of the personal and business robbery measures; business
  robbery's months are its quarter total split evenly, personal robbery's months are the remainder of each month.
- Apr-Jun 2017: the previous quarter's total (reference, or the report text where the reference lacks it: shoplifting
  938, personal robbery 78 and so business robbery 99 - 78 = 21, CSE 165), split evenly over the months.
- Oct 2016-Mar 2017 (or Oct 2016-Jun 2017 where the previous quarter is not given): whatever makes the quarter average
  come out as the report's: 4 x quarter average - the quarters already placed, split evenly over the months. The
  quarter average is the mean of the report quarter and the three quarters before it (docs/reports.md).
- Calls: 999 and 101 calls offered, this quarter and the previous one, split evenly. Emergency incidents: the
  quarter's 7,834 split evenly; the previous quarter is not in the reference, only "+4%": 7,834 / 1.04 = 7,533.
- Nothing else is invented: a series the reference gives no earlier figures for starts in July 2017, so its previous
  quarter is unknown (missing person reports; the report gives no number for its "decrease").
"""
import csv
import json
import sys

FORCE = "warwickshire"
AREAS = {"Warwickshire": "warwickshire", "North Warwickshire": "north", "South Warwickshire": "south"}
DISTRICTS = {
    "North Warks District": ("north-warwickshire", "north"),
    "Nuntn & Bedwt District": ("nuneaton-bedworth", "north"),
    "Rugby District": ("rugby", "north"),
    "Stratford District": ("stratford", "south"),
    "Warwick District": ("warwick", "south"),
}
SERIES = {  # reference monthly series -> measure
    "hate-crime": "hate-crime", "missing-persons-reports": "missing-persons", "rape": "rape",
    "other-sexual-offences": "other-sexual-offences", "domestic-abuse": "domestic-abuse", "child-at-risk": "child-at-risk",
    "total-recorded-crime": "total-recorded-crime", "violence-with-injury": "violence-with-injury",
    "residential-burglary-dwelling": "residential-burglary", "vehicle-crime": "vehicle-offences",
    "criminal-damage": "criminal-damage-arson", "business-crime": "business-crime", "rural-crime": "rural-crime",
    "cyber-crime": "cyber-crime", "anti-social-behaviour": "anti-social-behaviour",
}
ROWS = {  # district table rows -> measure
    "Violence With Injury": "violence-with-injury", "Violence Without Injury": "violence-without-injury", "Rape": "rape",
    "Other Sexual Offences": "other-sexual-offences", "Personal Robbery": "personal-robbery",
    "Business Robbery": "business-robbery", "Residential Burg - Dwelling": "residential-burglary",
    "Burg Bus. Comm (inc. non dwell)": "business-burglary", "Vehicle Offences": "vehicle-offences",
    "Bicycle Theft": "bicycle-theft", "Theft from Person": "theft-from-person", "Shoplifting": "shoplifting",
    "All Other Theft Offences": "other-theft", "Criminal Damage & Arson": "criminal-damage-arson",
    "Other Crimes Against Society": "other-crimes-against-society", "Total Recorded Crime": "total-recorded-crime",
}
# Previous quarters the reference JSON lacks but the report's text states.
TEXT_PREVIOUS = {"shoplifting": 938, "personal-robbery": 78, "business-robbery": 99 - 78, "cse": 165}
Q3 = ["2017-07", "2017-08", "2017-09"]
Q2 = ["2017-04", "2017-05", "2017-06"]
EARLIER6 = ["2016-10", "2016-11", "2016-12", "2017-01", "2017-02", "2017-03"]
EARLIER9 = EARLIER6 + Q2


def split(total, months):
    total = int(round(total))
    assert total >= 0, f"negative total {total} for {months}"
    base, rest = divmod(total, len(months))
    return {m: base + (1 if i < rest else 0) for i, m in enumerate(months)}


class Series:
    def __init__(self):
        self.months = None  # Jul-Sep
        self.previous = None
        self.average = None

    def points(self):
        points = dict(self.months)
        q3 = sum(self.months.values())
        if self.previous is not None:
            points.update(split(self.previous, Q2))
        if self.average is not None:
            placed = q3 + (self.previous or 0)
            points.update(split(4 * self.average - placed, EARLIER6 if self.previous is not None else EARLIER9))
        return points


def main(path):
    ref = json.load(open(path, encoding="utf-8"))
    series = {}

    def at(area, measure):
        return series.setdefault((area, measure), Series())

    rows = ref["district_table_jul_sep_2017"]["rows"]
    for row, measure in ROWS.items():
        force_cell = rows[row]["Warwickshire"]
        s = at(FORCE, measure)
        s.months = split(force_cell["last_quarter"], Q3)
        s.average = force_cell["quarter_average"]
        for name, (district, area) in DISTRICTS.items():
            cell = rows[row][name]
            d = at(district, measure)
            d.months = split(cell["last_quarter"] or 0, Q3)
            d.average = cell["quarter_average"]
            a = at(area, measure)
            a.average = (a.average or 0) + cell["quarter_average"]
            a.q3 = getattr(a, "q3", 0) + (cell["last_quarter"] or 0)
    for area in ("north", "south"):
        for measure in ROWS.values():
            a = series[(area, measure)]
            a.months = split(a.q3, Q3)

    for name, data in ref["monthly_series"].items():
        if name == "robbery":
            for area_name, values in data["by_area"].items():
                area = AREAS[area_name]
                business = series[(area, "business-robbery")].months
                series[(area, "personal-robbery")].months = {m: v - business[m] for m, v in zip(Q3, values)}
            continue
        measure = SERIES.get(name)
        if measure is None:
            continue  # satisfaction, KSI casualties (no September), DVPNs: no such measure
        for area_name, values in data["by_area"].items():
            s = at(AREAS[area_name], measure)
            s.months = dict(zip(Q3, values))
            if AREAS[area_name] == FORCE:
                s.previous = data.get("previous_quarter")
                s.average = data.get("quarter_average", s.average)
    for measure, previous in TEXT_PREVIOUS.items():
        at(FORCE, measure).previous = previous
    cse = at(FORCE, "cse")
    cse.months, cse.average = split(164, Q3), 134

    calls = ref["call_handling_q3_2017"]
    for measure, q3, q2 in (("calls-999-offered", calls["calls_999_received"], calls["calls_999_previous_quarter"]),
                            ("calls-101-offered", calls["calls_101_received"], calls["calls_101_previous_quarter"])):
        s = at(FORCE, measure)
        s.months, s.previous = split(q3, Q3), q2
    response = ref["emergency_response_q3_2017"]
    s = at(FORCE, "emergency-incidents")
    s.months = split(response["emergency_incidents"], Q3)
    s.previous = round(response["emergency_incidents"] / (1 + response["change_vs_previous_quarter_pct"] / 100))

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["force", "area", "measure", "month", "value", "denominator"])
    for (area, measure), s in sorted(series.items()):
        for month, value in sorted(s.points().items()):
            out.writerow([FORCE, area, measure, month, value, ""])


if __name__ == "__main__":
    main(sys.argv[1])
