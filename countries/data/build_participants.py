"""Build countries/data/participants.csv from the source copies in countries/data/sources/.

Run from the project root:  python countries/data/build_participants.py
Offline, standard library only. The output is deterministic (same inputs, same bytes).
Sources and their commits are described in countries/data/PROVENANCE.md.

Columns: iso3,un_name,region,sub_region,m49,un_member,aliases
* iso3       every ISO 3166-1 country in pycountry 26.2.16 (sources/iso3166-1.json),
             upper case, sorted.
* un_name    UNSD M49 "Country or Area" (sources/m49_overview.csv);
             blank if M49 has no row for the code.
* region     M49 "Region Name".
* sub_region M49 "Intermediate Region Name" where the row has one, else M49 "Sub-region Name".
* m49        M49 "M49 Code", zero-padded to 3 digits (the copy stores it as an integer).
* un_member  "yes" for the 193 Member States of the un.org list (sources/un_members.countries.json).
* aliases    ";"-separated: pycountry name, official_name, common_name; the `state` names of
             the three participation CSVs; the un.org member-states name
             (sources/un_members.countries.json). Names equal (case-insensitively) to the
             display name (un_name, else pycountry name) or to an earlier alias are dropped.
"""

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sources"
OUT = HERE / "participants.csv"
# The participation data the portal imports (a copy of ../shared/data/participation/).
PARTICIPATION_DIR = HERE.parent.parent / "fixtures" / "participation"
PARTICIPATION = ("untoc.csv", "tip_protocol.csv", "memberships.csv")
NON_ISO_PARTICIPANTS = {"European Union"}  # blank iso3 in the participation CSVs, on purpose


def load_iso():
    with open(SRC / "iso3166-1.json", encoding="utf-8") as f:
        return {c["alpha_3"]: c for c in json.load(f)["3166-1"]}


def load_m49():
    with open(SRC / "m49_overview.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_iso = {r["ISO-alpha3 Code"]: r for r in rows if r["ISO-alpha3 Code"]}
    assert len(by_iso) == len(rows), "M49 row without ISO-alpha3 code or duplicate code"
    return by_iso


def load_participation():
    """(file, state, iso3) for every row; the EU (blank iso3) is skipped."""
    out = []
    for name in PARTICIPATION:
        with open(PARTICIPATION_DIR / name, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if not r["iso3"]:
                    assert r["state"] in NON_ISO_PARTICIPANTS, r
                    continue
                out.append((name, r["state"], r["iso3"]))
    return out


def load_un_members(iso, m49):
    """Map each un.org member-state name to iso3: exact M49 name, else a pycountry name
    (case-insensitive), else the same two tests on OWID's harmonised name (the JSON value)."""
    with open(SRC / "un_members.countries.json", encoding="utf-8") as f:
        owid = json.load(f)
    by_m49_name = {r["Country or Area"]: code for code, r in m49.items()}
    by_py_name = {}
    for code, c in iso.items():
        for key in ("name", "official_name", "common_name"):
            if key in c:
                by_py_name.setdefault(c[key].casefold(), code)

    def resolve(name):
        return by_m49_name.get(name) or by_py_name.get(name.casefold())

    members = {}
    for un_org_name, owid_name in owid.items():
        code = resolve(un_org_name) or resolve(owid_name)
        assert code, f"un.org name not resolved: {un_org_name!r}"
        assert code not in members, f"two un.org names for {code}"
        members[code] = un_org_name
    assert len(members) == 193, len(members)
    return members


def main():
    iso = load_iso()
    m49 = load_m49()
    part = load_participation()
    members = load_un_members(iso, m49)

    missing = sorted(set(m49) - set(iso))
    assert not missing, f"M49 codes unknown to pycountry: {missing}"

    part_names = {}
    for _file, state, code in part:
        assert code in iso, f"participation iso3 not in pycountry: {code}"
        part_names.setdefault(code, set()).add(state)

    rows = []
    for code in sorted(iso):
        c = iso[code]
        r = m49.get(code)
        un_name = r["Country or Area"] if r else ""
        region = r["Region Name"] if r else ""
        sub_region = (r["Intermediate Region Name"] or r["Sub-region Name"]) if r else ""
        m49_code = r["M49 Code"].zfill(3) if r else ""
        display = un_name or c["name"]
        candidates = [c.get(k) for k in ("name", "official_name", "common_name")]
        candidates += sorted(part_names.get(code, ()))
        candidates.append(members.get(code))
        seen = {display.casefold()}
        aliases = []
        for name in candidates:
            if name and name.casefold() not in seen:
                assert ";" not in name, name
                seen.add(name.casefold())
                aliases.append(name)
        member = "yes" if code in members else ""
        rows.append([code, un_name, region, sub_region, m49_code, member, ";".join(aliases)])

    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso3", "un_name", "region", "sub_region", "m49", "un_member", "aliases"])
        w.writerows(rows)

    # ---- checks and report (they do not change the output) ----
    by_code = {row[0]: row for row in rows}
    need_region = sorted(part_names)
    no_region = [c for c in need_region if not by_code[c][2]]
    assert not no_region, f"participants without region: {no_region}"
    need_name = sorted(set(members) | {"VAT", "PSE"})
    no_name = [c for c in need_name if not by_code[c][1]]
    assert not no_name, f"UN members/observers without un_name: {no_name}"
    print(f"wrote {OUT.name}: {len(rows)} rows; participants {len(need_region)};", end=" ")
    print(f"UN members {len(members)}")
    for i, col in enumerate(["un_name", "region", "sub_region", "m49", "aliases"], start=1):
        blank = [row[0] for row in rows if not row[i]]
        print(f"  blank {col}: {len(blank)} {' '.join(blank)}")
    diff_num = [
        (k, row[4], iso[k]["numeric"]) for k, row in by_code.items() if row[4] != iso[k]["numeric"]
    ]
    print(f"  m49 != pycountry numeric: {diff_num}")
    diff_un = [(k, by_code[k][1], v) for k, v in sorted(members.items()) if v != by_code[k][1]]
    print(f"  un.org member-state name != M49 name ({len(diff_un)}):")
    for k, a, b in diff_un:
        print(f"    {k}: M49 {a!r} / un.org {b!r}")
    # Cross-check against lukes/ISO-3166-Countries-with-Regional-Codes all/all.csv (M49-derived).
    with open(SRC / "all.csv", encoding="utf-8", newline="") as f:
        lukes = {r["alpha-3"]: r for r in csv.DictReader(f)}
    diffs = []
    for k, row in by_code.items():
        lr = lukes.get(k)
        if lr is None:
            diffs.append((k, "absent from all.csv"))
            continue
        l_sub = lr["intermediate-region"] or lr["sub-region"]
        if (row[2], row[3], row[4]) != (lr["region"], l_sub, lr["country-code"]):
            diffs.append((k, (row[2], row[3], row[4]), (lr["region"], l_sub, lr["country-code"])))
    print(f"  differences from lukes all.csv (region, sub_region, m49): {diffs}")
    try:
        import pycountry
    except ImportError:
        print("  (pycountry not installed: installed-version check skipped)")
    else:
        live = {c.alpha_3 for c in pycountry.countries}
        if live != set(iso):
            extra, gone = sorted(live - set(iso)), sorted(set(iso) - live)
            print(f"  WARNING: installed pycountry differs: +{extra} -{gone}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
