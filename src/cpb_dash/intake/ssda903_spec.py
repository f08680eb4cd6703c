"""The SSDA903 (children looked after) return's tables, declared once: columns, kinds and codes.

Pure data, read by the reader (ssda903.py) and the synthetic generator alike. Each table's columns are as the DfE's
SSDA903 technical specification and "Children looked after return: guide to submitting data" define them (one CSV
file per table, dates as dd/mm/yyyy); a later year of the return that adds a column changes only this file, as in
Social Finance's liia-tools, which keeps one spec per return.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DATE_FORMAT = "%d/%m/%Y"  # the DfE's dd/mm/yyyy
DATE_FORMAT_TEXT = "dd/mm/yyyy"

ID, DATE, CODE, TEXT, POSTCODE = "id", "date", "code", "text", "postcode"

# Codes, from the SSDA903 guide.
# Sex: 1 male, 2 female until 2023-24; M, F and U (unknown, which the DfE queries: its rule 232) from 2024-25
# (the DfE's 903 validator, lac2024_25 rule 101). A return holds children recorded in either year's codes.
SEX = ("1", "2", "M", "F", "U")
ETHNIC = (
    "WBRI",
    "WIRI",
    "WOTH",
    "WIRT",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
)
RNE = ("S", "L", "P", "B", "T", "U")  # reason for new episode
LS = ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4")  # legal status
CIN = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")  # category of need
# Placement types, every collection year's (the DfE's code list as its 903 validator checks it, rule 146 per year,
# data-to-insight/csc-validator-be-903): K3 (supported accommodation) from 2024-25; H5 and P2 retired by 2025-26
# (P2 invalid from 28 October 2023); Z1 split into Z11-Z14 from 2025-26. A return holds years of episodes, so
# the codes of every year are accepted. (There is no placement code P4: P4 is a care leaver's activity.)
PLACE = (
    "A3",
    "A4",
    "A5",
    "A6",
    "H5",
    "K1",
    "K2",
    "K3",
    "P1",
    "P2",
    "P3",
    "R1",
    "R2",
    "R3",
    "R5",
    "S1",
    "T0",
    "T1",
    "T2",
    "T3",
    "T4",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "Z1",
    "Z11",
    "Z12",
    "Z13",
    "Z14",
)
PLACE_PROVIDER = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
REC = (  # every year's codes: earlier returns used E43 and E44 where later ones use E45 to E48
    "E11",
    "E12",
    "E13",
    "E14",
    "E15",
    "E16",
    "E17",
    "E2",
    "E3",
    "E41",
    "E43",
    "E44",
    "E45",
    "E46",
    "E47",
    "E48",
    "E4A",
    "E4B",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
    "X1",
)
REASON_PLACE_CHANGE = (
    "CARPL",
    "CLOSE",
    "ALLEG",
    "STAND",
    "APPRR",
    "CREQB",
    "CREQO",
    "CHILD",
    "LAREQ",
    "PLACE",
    "CUSTOD",
    "OTHER",
)
MISSING = ("M", "A")  # M missing from placement, A away from placement without authorisation
IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
# Care leavers' activity: F3/P3 until 2021-22, then F4/P4 and F5/P5 (full/part time); G4-G6 not in EET; 0 unknown.
ACTIV = ("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0")
ACCOM = tuple(f"{letter}{n}" for letter in "BCDEGHKRSTUVWXYZ" for n in "12") + ("0",)
YES_NO = ("0", "1")
# OC2: the SDQ total difficulties score (0 to 40) or the reason there is none (SDQ1-SDQ5); Reviews: how the child
# took part (PN0-PN7).
SDQ_SCORES = tuple(str(n) for n in range(41))
SDQ_REASON = ("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5")
REVIEW_CODES = tuple(f"PN{n}" for n in range(8))


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # ID, DATE, CODE, TEXT or POSTCODE
    required: bool = True  # False: the cell may be empty
    codes: tuple[str, ...] = ()  # for CODE: the values the DfE allows (compared without case)
    personal: bool = False  # never quoted in a message (identifiers, dates of birth, postcodes)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    needed: bool = False  # the derivation cannot run without it
    uses: str = ""  # what the dashboard derives from it, for the report
    optional_columns: tuple[str, ...] = field(default_factory=tuple)  # may be absent from the file

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _child() -> Column:
    return Column("CHILD", ID, personal=True)


def _dob() -> Column:
    return Column("DOB", DATE, personal=True)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "Header",
            (
                _child(),
                Column("SEX", CODE, codes=SEX),
                _dob(),
                Column("ETHNIC", CODE, codes=ETHNIC),
                Column("UPN", TEXT, required=False, personal=True),
                Column("MOTHER", CODE, required=False, codes=YES_NO),
                Column("MC_DOB", DATE, required=False, personal=True),
            ),
            needed=True,
            uses="age, sex and ethnicity",
            optional_columns=("UPN", "MOTHER", "MC_DOB"),
        ),
        Table(
            "Episodes",
            (
                _child(),
                Column("DECOM", DATE),
                Column("RNE", CODE, codes=RNE),
                Column("LS", CODE, codes=LS),
                Column("CIN", CODE, codes=CIN),
                Column("PLACE", CODE, codes=PLACE),
                Column("PLACE_PROVIDER", CODE, required=False, codes=PLACE_PROVIDER),
                Column("DEC", DATE, required=False),
                Column("REC", CODE, required=False, codes=REC),
                Column("REASON_PLACE_CHANGE", CODE, required=False, codes=REASON_PLACE_CHANGE),
                Column("HOME_POST", POSTCODE, required=False, personal=True),
                Column("PL_POST", POSTCODE, required=False, personal=True),
                Column("URN", TEXT, required=False),
            ),
            needed=True,
            uses="who is looked after, starts, ceased, legal status, placements, distance",
            # Older extracts lack the later columns; without the postcodes the distance is not known.
            optional_columns=("PLACE_PROVIDER", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
        ),
        Table(
            "UASC",
            (
                _child(),
                Column("SEX", CODE, codes=SEX),
                _dob(),
                Column("DUC", DATE, required=False),
            ),
            uses="unaccompanied asylum-seeking children",
        ),
        Table(
            "Reviews",
            (
                _child(),
                _dob(),
                Column("REVIEW", DATE),
                Column("REVIEW_CODE", CODE, required=False, codes=REVIEW_CODES),
            ),
            uses="looked-after reviews: held, on time, and how children took part",
        ),
        Table(
            "OC2",
            (
                _child(),
                _dob(),
                Column("SDQ_SCORE", CODE, required=False, codes=SDQ_SCORES),
                Column("SDQ_REASON", CODE, required=False, codes=SDQ_REASON),
                Column("CONVICTED", CODE, required=False, codes=YES_NO),
                Column("HEALTH_CHECK", CODE, required=False, codes=YES_NO),
                Column("IMMUNISATIONS", CODE, required=False, codes=YES_NO),
                Column("TEETH_CHECK", CODE, required=False, codes=YES_NO),
                Column("HEALTH_ASSESSMENT", CODE, required=False, codes=YES_NO),
                Column("SUBSTANCE_MISUSE", CODE, required=False, codes=YES_NO),
                Column("INTERVENTION_RECEIVED", CODE, required=False, codes=YES_NO),
                Column("INTERVENTION_OFFERED", CODE, required=False, codes=YES_NO),
            ),
            uses="health outcomes of children looked after for 12 months (at 31 March)",
        ),
        Table(
            "OC3",
            (
                _child(),
                _dob(),
                Column("IN_TOUCH", CODE, codes=IN_TOUCH),
                Column("ACTIV", CODE, required=False, codes=ACTIV),
                Column("ACCOM", CODE, required=False, codes=ACCOM),
            ),
            uses="care leavers aged 17 to 21 and staying put (at 31 March)",
        ),
        Table(
            "AD1",
            (
                _child(),
                _dob(),
                Column("DATE_INT", DATE, required=False),
                Column("DATE_MATCH", DATE, required=False),
                Column("FOSTER_CARE", TEXT, required=False),
                Column("NB_ADOPTR", TEXT, required=False),
                Column("SEX_ADOPTR", TEXT, required=False),
                Column("LS_ADOPTR", TEXT, required=False),
            ),
            uses="days from placement order to match with adopters",
        ),
        Table(
            "PlacedAdoption",
            (
                _child(),
                _dob(),
                Column("DATE_PLACED", DATE, required=False),
                Column("DATE_PLACED_CEASED", DATE, required=False),
                Column("REASON_PLACED_CEASED", TEXT, required=False),
            ),
            uses="nothing yet (adoption)",
        ),
        Table(
            "PrevPerm",
            (
                _child(),
                _dob(),
                Column("PREV_PERM", TEXT, required=False),
                Column("LA_PERM", TEXT, required=False),
                Column("DATE_PERM", TEXT, required=False),
            ),
            uses="nothing yet (previous permanence)",
        ),
        Table(
            "Missing",
            (
                _child(),
                _dob(),
                Column("MISSING", CODE, codes=MISSING),
                Column("MIS_START", DATE),
                Column("MIS_END", DATE, required=False),
            ),
            uses="missing from care episodes and children who went missing",
        ),
        Table(
            "SWEpisodes",
            (
                _child(),
                Column("DOB", DATE, required=False, personal=True),
                Column("SW_ID", TEXT, personal=True),
                Column("SW_DECOM", DATE),
                Column("SW_DEC", DATE, required=False),
                Column("SW_REASON", TEXT, required=False),
            ),
            uses="the number of social workers each child had in the year",
            optional_columns=("DOB",),
        ),
        # [GUIDE 2026-27] Deprivation of liberty orders (DoLOs): one row for each order a child looked after was
        # subject to, collected from the 2026 to 2027 return (the DfE's 903 validator adds the table and its rules
        # 700 to 710 for that year: data-to-insight/csc-validator-be-903, lac_validator/rules/lac2026_27).
        Table(
            "DoLo",
            (
                _child(),
                Column("DOB", DATE, required=False, personal=True),
                Column("DOLO_START", DATE),
                Column("DOLO_END", DATE, required=False),
            ),
            uses="children looked after subject to a deprivation of liberty order (from 2026-27)",
            optional_columns=("DOB",),
        ),
    )
}


# ---------------------------------------------------------------------------------------------------------------
# The DfE's XML for the same return (root EXPSSDA903, "Expanded SSDA903 Return"; the layout Social Finance's 903
# validator reads): one CHILD element per child holding a HEADER and the child's EPISODE elements. The HEADER holds
# the Header table's items, the UASC flag and date (UASC, DUC), the care leaver items (OC3) and the adoption
# decision items (AD1), and the repeated groups below. Element names are the CSV headings, but for two.
# ---------------------------------------------------------------------------------------------------------------

XML_ROOT = "EXPSSDA903"
XML_CHILD = "CHILD"
XML_HEADER = "HEADER"
XML_RENAMED = {"CHILDID": "CHILD", "PL": "PLACE"}  # element -> the CSV heading it carries
# Repeated groups (inside CHILD or its HEADER): each one is a row of a table, its CHILD and DOB those of the child.
XML_GROUPS = {
    "EPISODE": "Episodes",
    "AREVIEW": "Reviews",
    "AMISSING": "Missing",
    "OC2": "OC2",
    "PERMANENCE": "PrevPerm",
    "AD_PLACED": "PlacedAdoption",
}
# Tables whose XML layout the DfE has not published: the social worker episodes (collected since 2023-24) and the
# DoLOs (from 2026-27); the DfE's 903 validator reads both from CSV only. A group of items anywhere in a CHILD, in
# any element, alone or in a list element holding several, is read as a row of one of these tables when its items
# (named, as every other group's are, by the CSV headings) include the ones named here; any other unknown group is
# skipped and named in a warning, as before.
XML_GROUPS_BY_ITEMS = {"SWEpisodes": ("SW_ID", "SW_DECOM"), "DoLo": ("DOLO_START",)}
# Tables whose items sit in the HEADER itself: a child has a row when the item named here is given.
XML_HEADER_TABLES = {"OC3": "IN_TOUCH", "AD1": "DATE_INT"}
# UASC: the HEADER's flag (1 was an unaccompanied asylum-seeking child, 0 was not) and DUC, the date it ceased.
XML_UASC_FLAG = "UASC"
XML_UASC_FLAG_CODES = ("0", "1")
