"""The catalogue: every dataset, measure, breakdown, indicator and action-plan priority, with its DfE definition.

Pure data. Pages, About the data, the board pack and the validator all read this module; a second copy of a
definition anywhere else is a bug.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------------------------

# In the order the Overview, the board pack and the navigation show them: the children first, then the workforce.
COUNT_DATASETS: tuple[str, ...] = (
    "care_population",
    "placement_stability",
    "health_wellbeing",
    "leaving_care",
    "childrens_voice",
    "workforce",
)
ACTION_PLAN = "action_plan"
BENCHMARKS = "benchmarks"
TARGETS = "targets"  # officers' targets per indicator (board_notes.py)
COMMENTARY = "commentary"  # officers' commentary per area per quarter (board_notes.py)
UPLOADABLE_DATASETS: tuple[str, ...] = (*COUNT_DATASETS, ACTION_PLAN, TARGETS, COMMENTARY)

DATASET_LABELS: dict[str, str] = {
    "care_population": "Care population",
    "placement_stability": "Placement stability",
    "workforce": "Workforce stability",
    "health_wellbeing": "Health and wellbeing",
    "leaving_care": "Leaving care and permanence",
    "childrens_voice": "Children's voice",
    "action_plan": "Children's Action Plan",
    "targets": "Targets",
    "commentary": "Commentary",
    "benchmarks": "Published benchmarks (DfE)",
}

DATASET_OWNERS: dict[str, str] = {
    "care_population": "Performance and Business Intelligence team",
    "placement_stability": "Performance and Business Intelligence team",
    "workforce": "HR and Workforce Development",
    "health_wellbeing": "Performance and Business Intelligence team",
    "leaving_care": "Performance and Business Intelligence team",
    "childrens_voice": "Performance and Business Intelligence team",
    "action_plan": "Children's Action Plan programme team",
    "targets": "Head of Corporate Parenting (agreed with the Corporate Parenting Board)",
    "commentary": "Each area's lead officer",
}

# GSS symbols (Government Statistical Service standard) accepted in the `symbol` column.
SYMBOLS: dict[str, str] = {
    "c": "Confidential: suppressed to protect a small number of children",
    "x": "Not available",
    "z": "Not applicable",
    "low": "Rounds to zero, but is not zero",
    "u": "Low reliability",
}
# Symbols that appear only in published DfE tables (benchmarks), never in an upload.
PUBLISHED_SYMBOLS: dict[str, str] = {**SYMBOLS, "k": "Below 0.5%"}
# Placeholders officers sometimes type for "no figure": refused, because each means something different.
REFUSED_SYMBOLS: tuple[str, ...] = ("N/A", "NA", "n/a", "-", ":", "~", "NULL", "null", "..", "*")

TOTAL = "Total"

# ---------------------------------------------------------------------------------------------------------------
# Breakdown topics and their allowed values (DfE categories, as published in EES)
# ---------------------------------------------------------------------------------------------------------------

AGE_GROUPS = ("Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over")
SEXES = ("Male", "Female")
ETHNICITIES = (
    "White",
    "Mixed or Multiple ethnic groups",
    "Asian or Asian British",
    "Black, African, Caribbean or Black British",
    "Other ethnic group",
    "Refused or information not yet available",
)
# The population (ONS / Census) has no "refused" group.
POPULATION_ETHNICITIES = ETHNICITIES[:-1]
LEGAL_STATUSES = (
    "Interim care order",
    "Full care order",
    "Placement order granted",
    "Voluntary agreements under S20 CA 1989",
    "Detained for child protection",
    "Youth justice legal statuses",
)
PLACEMENT_TYPES = (
    "Foster placements",
    "Placed for adoption",
    "Placed with parents or other person with parental responsibility",
    "Independent and semi-independent living arrangements/supported accommodation",
    "Secure homes and children's homes",
    "Other residential settings",
    "Residential schools",
    "Other placements",
)
# Children looked after at 31 March by placement provider, as the DfE publishes them (cla_group "Place providers"
# in the children looked after statistics); the SSDA903's PLACE_PROVIDER codes PR1 to PR5 and PR0, in that order,
# then episodes with no provider recorded.
PLACEMENT_PROVIDERS = (
    "Own provision (by the LA)",
    "Other LA provision",
    "Other public provision (e.g. by a PCT etc)",
    "Private provision",
    "Voluntary/third sector provision",
    "Parents or other person with parental responsibility",
    "Placement provider not reported",
)
PLACEMENT_LOCATIONS = (
    "Placed inside the local authority boundary",
    "Placed outside the local authority boundary",
)
# Breakdowns whose groups may not cover every child: a placement postcode the directory cannot place is in neither
# location group (the DfE publishes no "not known" locality), so the topic may add up to less than its Total.
TOPICS_THAT_MAY_FALL_SHORT = ("Placement location",)
SERVICE_AREAS = (
    "Access and Assessment",
    "Children in Need and Child Protection",
    "Looked After Children and Leaving Care",
    "Disabled Children's Service",
    "Fostering and Adoption",
)
ROLES = ("Practitioner", "Senior practitioner", "Manager")
# How a child took part in their looked-after review: the PN codes of the SSDA903 Reviews table (DfE, Children
# looked after return guide, REVIEW_CODE). PN0 is a child under 4, for whom participation is not counted. The
# breakdown values are short, to fit beside a bar on a phone; the glossary gives each code's full meaning.
REVIEW_PARTICIPATION: dict[str, str] = {
    "PN0": "PN0 Under 4",
    "PN1": "PN1 Came and spoke",
    "PN2": "PN2 Came, advocate spoke",
    "PN3": "PN3 Came, views non-verbal",
    "PN4": "PN4 Came, views not given",
    "PN5": "PN5 Briefed an advocate",
    "PN6": "PN6 Sent views another way",
    "PN7": "PN7 Views not conveyed",
}
REVIEW_PARTICIPATION_MEANING: dict[str, str] = {
    "PN0": "the child was under 4 at the time of the review",
    "PN1": "the child attended and spoke for themselves",
    "PN2": "the child attended and an advocate spoke for them",
    "PN3": "the child attended and conveyed their views non-verbally",
    "PN4": "the child attended but did not speak or convey their views, and asked no advocate to",
    "PN5": "the child did not attend but briefed an advocate to speak for them",
    "PN6": "the child did not attend but conveyed their views another way",
    "PN7": "the child did not attend and their views were not conveyed",
}
PARTICIPATED_CODES: tuple[str, ...] = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")
SOCIAL_WORKER_COUNTS = ("1 social worker", "2 social workers", "3 or more social workers")

BREAKDOWN_TOPICS: dict[str, tuple[str, ...]] = {
    "Age group": AGE_GROUPS,
    "Sex": SEXES,
    "Ethnicity": ETHNICITIES,
    "Legal status": LEGAL_STATUSES,
    "Placement type": PLACEMENT_TYPES,
    "Placement provider": PLACEMENT_PROVIDERS,
    "Placement location": PLACEMENT_LOCATIONS,
    "Service area": SERVICE_AREAS,
    "Role": ROLES,
    "Review participation": tuple(REVIEW_PARTICIPATION.values()),
    "Social workers in the year": SOCIAL_WORKER_COUNTS,
    # Workforce ethnicity by role: "Practitioner: White" and so on, one topic so that each role sums to its total.
    "Role and ethnicity": tuple(f"{role}: {eth}" for role in ROLES for eth in ETHNICITIES),
}

# ---------------------------------------------------------------------------------------------------------------
# Measures: raw counts, uploaded by officers
# ---------------------------------------------------------------------------------------------------------------

# Reference rules: how a figure relates to its period.
AT_PERIOD_END = "at period end"
IN_QUARTER = "in the quarter"
TWELVE_MONTHS = "in the 12 months to period end"
# Annual measures (the DfE's OC2 outcomes): counted once a year, at 31 March, and uploaded in the 31 March
# quarter's file only; pages show the latest 31 March on or before the quarter chosen.
ANNUAL_31_MARCH = "at 31 March (annual)"
THREE_YEARS = "in the 3 years to period end"  # the adoption scorecard's three-year averages

EES_CLA = "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions"
EES_OUTCOMES = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/outcomes-for-children-in-need-including"
    "-children-looked-after-by-local-authorities-in-england"
)
ADOPTION_SCORECARD = "https://www.gov.uk/government/collections/adoption-scorecards"
SSDA903_GUIDE = "https://www.gov.uk/government/publications/children-looked-after-return-2024-to-2025-guide"
# Deprivation of liberty orders are recorded in the SSDA903 from 1 April 2026: the first quarter end with a figure.
DOLO_FIRST_QUARTER_END = dt.date(2026, 6, 30)
# The DoLo table and its rules (700 to 710) for the 2026 to 2027 return, as the DfE's 903 validator implements them.
SSDA903_DOLO_RULES = "https://github.com/data-to-insight/csc-validator-be-903/tree/main/lac_validator/rules/lac2026_27"
# Sources whose address does not say what they are (views.about.source_title reads the others from the address).
SOURCE_TITLES = {
    SSDA903_DOLO_RULES: "The SSDA903's deprivation of liberty orders, 2026 to 2027 rules (the DfE's 903 validator)",
}
EES_CSWW = "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce"
ONS_POP = "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates"


@dataclass(frozen=True)
class Measure:
    id: str
    dataset: str
    label: str
    unit: str  # "children", "young people", "FTE", "people", "cases", "days", "episodes", "moves"
    reference: str  # AT_PERIOD_END, IN_QUARTER or TWELVE_MONTHS
    definition: str
    source: str
    topics: tuple[str, ...] = ()  # breakdown topics allowed besides Total
    is_fte: bool = False
    first_period: dt.date | None = None  # the first quarter end it is recorded for (no figure before it)
    recorded_from: str = ""  # where and since when, for the note shown before first_period

    def recorded_by(self, day: dt.date | None) -> bool:
        """Whether it is recorded by that quarter end (always, unless it has a first_period; None: not known)."""
        return self.first_period is None or day is None or day >= self.first_period


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        # care_population -----------------------------------------------------------------------------------
        Measure(
            "cla",
            "care_population",
            "Children looked after",
            "children",
            AT_PERIOD_END,
            "Children looked after by Hackney at the end of the period, excluding those looked after under a series of"
            " short-term placements (short breaks). DfE SSDA903 definition.",
            EES_CLA,
            (
                "Age group",
                "Sex",
                "Ethnicity",
                "Legal status",
                "Placement type",
                "Placement provider",
                "Placement location",
            ),
        ),
        Measure(
            "cla_started",
            "care_population",
            "Children starting to be looked after",
            "children",
            IN_QUARTER,
            "Children who started an episode of care during the quarter (each child counted once).",
            EES_CLA,
            ("Age group", "Sex"),
        ),
        Measure(
            "cla_ceased",
            "care_population",
            "Children ceasing to be looked after",
            "children",
            IN_QUARTER,
            "Children whose period of care ended during the quarter (each child counted once).",
            EES_CLA,
        ),
        Measure(
            "uasc",
            "care_population",
            "Unaccompanied asylum-seeking children looked after",
            "children",
            AT_PERIOD_END,
            "Children looked after at the end of the period who are unaccompanied asylum-seeking children (UASC):"
            " under 18, seeking asylum in their own right, with no parent or carer in the UK.",
            EES_CLA,
        ),
        Measure(
            "cla_dolo",
            "care_population",
            "Children looked after deprived of their liberty by a court order",
            "children",
            AT_PERIOD_END,
            "Children looked after at the end of the period who are subject to a deprivation of liberty order (DoLO):"
            " a court's authority (the High Court's inherent jurisdiction) to restrict a child's liberty outside"
            " secure accommodation. Recorded in the SSDA903 from 1 April 2026 (its DoLo table), so there is no figure"
            " for earlier quarters.",
            SSDA903_DOLO_RULES,
            first_period=DOLO_FIRST_QUARTER_END,
            recorded_from="in the children looked after return from 1 April 2026",
        ),
        Measure(
            "population_0_17",
            "care_population",
            "Children aged 0 to 17 living in Hackney",
            "children",
            AT_PERIOD_END,
            "ONS mid-year population estimate of children aged 0 to 17 in Hackney, as used by the DfE for rates per"
            " 10,000; by ethnicity, Census 2021 shares applied to it.",
            ONS_POP,
            ("Ethnicity",),
        ),
        Measure(
            "cl_19_21_total",
            "care_population",
            "Care leavers aged 19 to 21",
            "young people",
            AT_PERIOD_END,
            "Young people aged 19, 20 or 21 who were looked after for at least 13 weeks after their 14th birthday,"
            " including some time after their 16th birthday, whose birthday fell in the 12 months to period end.",
            EES_CLA,
        ),
        Measure(
            "cl_19_21_eet",
            "care_population",
            "Care leavers aged 19 to 21 in education, employment or training",
            "young people",
            AT_PERIOD_END,
            "Care leavers aged 19 to 21 who were in education, employment or training (EET) around their birthday.",
            EES_CLA,
        ),
        Measure(
            "cl_19_21_suitable_accom",
            "care_population",
            "Care leavers aged 19 to 21 in suitable accommodation",
            "young people",
            AT_PERIOD_END,
            "Care leavers aged 19 to 21 whose accommodation around their birthday was considered suitable.",
            EES_CLA,
        ),
        Measure(
            "cl_19_21_accom_total",
            "care_population",
            "Care leavers aged 19 to 21 in the accommodation count",
            "young people",
            AT_PERIOD_END,
            "Care leavers aged 19 to 21 whose accommodation around their birthday was counted: considered suitable,"
            ' not suitable, or no information (the DfE\'s "Suitability total"). The denominator of the suitable'
            " accommodation percentage; it can differ from the care leavers counted for activity by a few young"
            " people (Hackney, 2022: 283 against 287).",
            EES_CLA,
        ),
        Measure(
            "missing_episodes",
            "care_population",
            "Missing from care episodes",
            "episodes",
            IN_QUARTER,
            "Episodes in the quarter in which a looked-after child was missing from their placement.",
            EES_CLA,
        ),
        Measure(
            "rhi_offered",
            "care_population",
            "Return home interviews offered",
            "episodes",
            IN_QUARTER,
            "Missing episodes after which the child was offered a return home interview.",
            EES_CLA,
        ),
        Measure(
            "rhi_accepted",
            "care_population",
            "Return home interviews accepted",
            "episodes",
            IN_QUARTER,
            "Return home interviews offered in the quarter that the child accepted.",
            EES_CLA,
        ),
        # placement_stability -------------------------------------------------------------------------------
        Measure(
            "stab_cla_total",
            "placement_stability",
            "Children looked after (stability cohort)",
            "children",
            AT_PERIOD_END,
            "Children looked after at period end, the denominator of the 3+ placements measure (DfE: CLA on 31 March).",
            EES_CLA,
            ("Age group",),
        ),
        Measure(
            "stab_3plus_placements",
            "placement_stability",
            "Children with 3 or more placements in 12 months",
            "children",
            TWELVE_MONTHS,
            "Children looked after at period end who had three or more separate placements in the previous 12"
            " months. DfE placement stability measure.",
            EES_CLA,
            ("Age group",),
        ),
        Measure(
            "ltstab_cohort",
            "placement_stability",
            "Long-term stability cohort",
            "children",
            AT_PERIOD_END,
            "Children under 16 at period end who had been looked after continuously for at least 2.5 years.",
            EES_CLA,
        ),
        Measure(
            "ltstab_same_carer_2y",
            "placement_stability",
            "Children in the long-term cohort living with the same carer for 2+ years",
            "children",
            AT_PERIOD_END,
            "Children in the long-term stability cohort who had been living in the same placement (or placed for"
            " adoption with the same carers) for at least 2 years.",
            EES_CLA,
        ),
        Measure(
            "placed_over_20_miles_outside_la",
            "placement_stability",
            "Children placed more than 20 miles from home and outside Hackney",
            "children",
            AT_PERIOD_END,
            "Children looked after at period end placed outside the local authority boundary and more than 20 miles"
            " from their home address.",
            EES_CLA,
            ("Placement type",),
        ),
        Measure(
            "placement_moves_in_quarter",
            "placement_stability",
            "Placement moves in the quarter",
            "moves",
            IN_QUARTER,
            "Changes of placement for looked-after children during the quarter (each move counted).",
            EES_CLA,
            ("Age group",),
        ),
        # workforce -----------------------------------------------------------------------------------------
        Measure(
            "inpost_fte",
            "workforce",
            "Social workers in post (FTE)",
            "FTE",
            AT_PERIOD_END,
            "Full-time equivalent children and family social workers directly employed by Hackney at period end"
            " (DfE children's social work workforce census).",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "inpost_headcount",
            "workforce",
            "Social workers in post (headcount)",
            "people",
            AT_PERIOD_END,
            "Children and family social workers directly employed at period end, counted as people.",
            EES_CSWW,
            ("Service area", "Role", "Role and ethnicity"),
        ),
        Measure(
            "agency_fte",
            "workforce",
            "Agency social workers (FTE)",
            "FTE",
            AT_PERIOD_END,
            "Full-time equivalent agency (locum) children and family social workers at period end.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "vacancy_fte",
            "workforce",
            "Social worker vacancies (FTE)",
            "FTE",
            AT_PERIOD_END,
            "Vacant children and family social worker posts at period end (FTE), whether or not covered by agency"
            " staff.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "leavers_fte_12m",
            "workforce",
            "Social workers leaving (FTE, 12 months)",
            "FTE",
            TWELVE_MONTHS,
            "Full-time equivalent directly employed social workers who left in the 12 months to period end.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "starters_fte_12m",
            "workforce",
            "Social workers starting (FTE, 12 months)",
            "FTE",
            TWELVE_MONTHS,
            "Full-time equivalent directly employed social workers who started in the 12 months to period end.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "cases",
            "workforce",
            "Cases held by social workers",
            "cases",
            AT_PERIOD_END,
            "Cases (children in need, on a child protection plan or looked after) held by case-holding social"
            " workers at period end.",
            EES_CSWW,
            ("Service area",),
        ),
        Measure(
            "case_holders_fte",
            "workforce",
            "Case-holding social workers (FTE)",
            "FTE",
            AT_PERIOD_END,
            "Full-time equivalent social workers holding one or more cases at period end.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "working_days_lost_12m",
            "workforce",
            "Working days lost to sickness (12 months)",
            "days",
            TWELVE_MONTHS,
            "Working days lost to sickness absence by directly employed social workers in the 12 months to period"
            " end (FTE days).",
            EES_CSWW,
            ("Service area",),
        ),
        # health_wellbeing: the DfE's OC2 outcomes (annual, 31 March) -------------------------------------
        Measure(
            "oc2_cohort",
            "health_wellbeing",
            "Children looked after for 12 months or more",
            "children",
            ANNUAL_31_MARCH,
            "Children looked after at 31 March who had been looked after continuously for at least 12 months,"
            " excluding those looked after under a series of short breaks (the DfE's OC2 cohort).",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_health_assessment",
            "health_wellbeing",
            "Children with an up-to-date health assessment",
            "children",
            ANNUAL_31_MARCH,
            "Children in the OC2 cohort whose annual health assessment was up to date (twice a year for children"
            " under 5).",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_dental_check",
            "health_wellbeing",
            "Children who had a dental check",
            "children",
            ANNUAL_31_MARCH,
            "Children in the OC2 cohort who had their teeth checked by a dentist in the year to 31 March.",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_immunised",
            "health_wellbeing",
            "Children whose immunisations were up to date",
            "children",
            ANNUAL_31_MARCH,
            "Children in the OC2 cohort who had had all the immunisations a child of their age should have had.",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_sdq_cohort",
            "health_wellbeing",
            "Children aged 5 to 16 looked after for 12 months or more",
            "children",
            ANNUAL_31_MARCH,
            "Children in the OC2 cohort aged 5 to 16 at 31 March: those for whom a Strengths and Difficulties"
            " Questionnaire (SDQ) should be completed.",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_sdq_completed",
            "health_wellbeing",
            "Children with an SDQ score",
            "children",
            ANNUAL_31_MARCH,
            "Children aged 5 to 16 in the OC2 cohort for whom an SDQ score was received.",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_sdq_score_total",
            "health_wellbeing",
            "SDQ scores added together",
            "points",
            ANNUAL_31_MARCH,
            "The sum of the SDQ total difficulties scores (0 to 40 each) of the children with a score: divided by"
            " the number of children with a score, it gives the average score the DfE publishes.",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_sdq_concern",
            "health_wellbeing",
            "Children whose SDQ score is a cause for concern",
            "children",
            ANNUAL_31_MARCH,
            "Children with an SDQ score of 17 or more (0 to 13 is considered normal, 14 to 16 borderline, 17 to 40"
            " a cause for concern).",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_substance_misuse",
            "health_wellbeing",
            "Children identified with a substance misuse problem",
            "children",
            ANNUAL_31_MARCH,
            "Children in the OC2 cohort identified as having a substance misuse problem during the year (drugs, or"
            " alcohol with other substances; not tobacco).",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_aged_10_plus",
            "health_wellbeing",
            "Children aged 10 or over looked after for 12 months or more",
            "children",
            ANNUAL_31_MARCH,
            "Children in the OC2 cohort aged 10 or over at 31 March: the age of criminal responsibility.",
            EES_OUTCOMES,
        ),
        Measure(
            "oc2_convicted",
            "health_wellbeing",
            "Children convicted or given a youth caution",
            "children",
            ANNUAL_31_MARCH,
            "Children aged 10 or over in the OC2 cohort convicted, or subject to a youth caution or youth"
            " conditional caution, during the year.",
            EES_OUTCOMES,
        ),
        # health_wellbeing: children who went missing (12 months to period end) ----------------------------
        Measure(
            "cla_during_12m",
            "health_wellbeing",
            "Children looked after at any time in the 12 months",
            "children",
            TWELVE_MONTHS,
            "Children looked after at any time in the 12 months to period end, each counted once, excluding short"
            " breaks: the denominator of the DfE's missing measures.",
            EES_CLA,
        ),
        Measure(
            "children_missing_12m",
            "health_wellbeing",
            "Children who went missing",
            "children",
            TWELVE_MONTHS,
            "Children looked after who had at least one missing incident in the 12 months to period end (missing:"
            " not at their placement or where they are expected to be, and their whereabouts not known).",
            EES_CLA,
        ),
        Measure(
            "children_away_12m",
            "health_wellbeing",
            "Children who were away without authorisation",
            "children",
            TWELVE_MONTHS,
            "Children looked after who were away from placement without authorisation at least once in the 12"
            " months to period end (whereabouts known, but not where they should be, and the carer concerned).",
            EES_CLA,
        ),
        # leaving_care: care leavers (OC3), birthdays in the 12 months to period end -------------------------
        Measure(
            "cl_17_18_total",
            "leaving_care",
            "Care leavers aged 17 to 18",
            "young people",
            AT_PERIOD_END,
            "Young people aged 17 or 18 who were looked after for at least 13 weeks after their 14th birthday,"
            " including some time after their 16th birthday, whose birthday fell in the 12 months to period end"
            " (OC3).",
            EES_CLA,
        ),
        *(
            Measure(
                f"cl_{ages}_{what}",
                "leaving_care",
                f"Care leavers aged {label_ages} {text}",
                "young people",
                AT_PERIOD_END,
                f"Care leavers aged {label_ages} {definition}",
                EES_CLA,
            )
            for ages, label_ages in (("17_18", "17 to 18"), ("19_21", "19 to 21"))
            for what, text, definition in (
                (
                    "in_touch",
                    "the council was in touch with",
                    "with whom the council was in touch around their birthday (OC3 IN_TOUCH 'yes').",
                ),
                (
                    "neet",
                    "not in education, employment or training",
                    "not in education, employment or training (NEET) around their birthday, for any reason"
                    " (illness, disability, pregnancy, parenting or other).",
                ),
                ("he", "in higher education", "in higher education (studies beyond A level) around their birthday."),
            )
        ),
        Measure(
            "cl_17_18_eet",
            "leaving_care",
            "Care leavers aged 17 to 18 in education, employment or training",
            "young people",
            AT_PERIOD_END,
            "Care leavers aged 17 to 18 in education, employment or training (EET) around their birthday.",
            EES_CLA,
        ),
        Measure(
            "cl_17_18_suitable_accom",
            "leaving_care",
            "Care leavers aged 17 to 18 in suitable accommodation",
            "young people",
            AT_PERIOD_END,
            "Care leavers aged 17 to 18 whose accommodation around their birthday was considered suitable.",
            EES_CLA,
        ),
        Measure(
            "staying_put_cohort",
            "leaving_care",
            "Care leavers aged 18 to 20 who left foster care on their 18th birthday",
            "young people",
            AT_PERIOD_END,
            "Young people aged 18, 19 or 20 whose birthday fell in the 12 months to period end, who ceased to be"
            " looked after in a foster placement on their 18th birthday and are eligible for care leavers' support.",
            EES_CLA,
        ),
        Measure(
            "staying_put",
            "leaving_care",
            "Care leavers staying put with their former foster carers",
            "young people",
            AT_PERIOD_END,
            "Young people in the staying put cohort who were living with their former foster carers around their"
            " birthday ('staying put').",
            EES_CLA,
        ),
        # leaving_care: permanence ---------------------------------------------------------------------------
        Measure(
            "ceased_12m",
            "leaving_care",
            "Children who ceased to be looked after in the 12 months",
            "children",
            TWELVE_MONTHS,
            "Children who ceased to be looked after in the 12 months to period end (the last time each child left"
            " care in the period).",
            EES_CLA,
        ),
        Measure(
            "ceased_adoption_12m",
            "leaving_care",
            "Children who left care because they were adopted",
            "children",
            TWELVE_MONTHS,
            "Children who ceased to be looked after in the 12 months to period end because they were adopted"
            " (SSDA903 reason episode ceased E11 or E12).",
            EES_CLA,
        ),
        Measure(
            "ceased_sgo_12m",
            "leaving_care",
            "Children who left care on a special guardianship order",
            "children",
            TWELVE_MONTHS,
            "Children who ceased to be looked after in the 12 months to period end because a special guardianship"
            " order was made (SSDA903 reason episode ceased E43 or E44).",
            EES_CLA,
        ),
        Measure(
            "adopted_3y",
            "leaving_care",
            "Children adopted in the 3 years",
            "children",
            THREE_YEARS,
            "Children adopted in the 3 years to period end (the adoption scorecard's cohort for its A1 measure).",
            ADOPTION_SCORECARD,
        ),
        Measure(
            "adopted_3y_days_to_move_in",
            "leaving_care",
            "Days from entering care to moving in with the adoptive family, added together",
            "days",
            THREE_YEARS,
            "For each child adopted in the 3 years to period end, the days from entering care to moving in with"
            " their adoptive family (adoption scorecard A1), added together.",
            ADOPTION_SCORECARD,
        ),
        Measure(
            "matched_3y",
            "leaving_care",
            "Children matched with adopters in the 3 years",
            "children",
            THREE_YEARS,
            "Children matched with an adoptive family in the 3 years to period end who had a placement order"
            " (the adoption scorecard's cohort for its A2 measure).",
            ADOPTION_SCORECARD,
        ),
        Measure(
            "matched_3y_days_order_to_match",
            "leaving_care",
            "Days from placement order to match, added together",
            "days",
            THREE_YEARS,
            "For each child matched in the 3 years to period end, the days from the court's placement order to"
            " the decision to match them with an adoptive family (adoption scorecard A2), added together.",
            ADOPTION_SCORECARD,
        ),
        # childrens_voice ---------------------------------------------------------------------------------------
        Measure(
            "reviews_due",
            "childrens_voice",
            "Looked-after reviews due",
            "reviews",
            IN_QUARTER,
            "Statutory reviews of looked-after children's care plans that fell due in the quarter (within 20"
            " working days of coming into care, 3 months later, then every 6 months).",
            SSDA903_GUIDE,
        ),
        Measure(
            "reviews_on_time",
            "childrens_voice",
            "Looked-after reviews held on time",
            "reviews",
            IN_QUARTER,
            "Reviews due in the quarter that were held within the statutory timescale.",
            SSDA903_GUIDE,
        ),
        Measure(
            "reviews_held",
            "childrens_voice",
            "Looked-after reviews held",
            "reviews",
            IN_QUARTER,
            "Reviews held in the quarter, by how the child took part (SSDA903 Reviews table, participation code"
            " PN0 to PN7).",
            SSDA903_GUIDE,
            ("Review participation",),
        ),
        Measure(
            "reviews_held_aged_4_plus",
            "childrens_voice",
            "Reviews of children aged 4 or over",
            "reviews",
            IN_QUARTER,
            "Reviews held in the quarter of children aged 4 or over (codes PN1 to PN7): those where taking part"
            " is counted.",
            SSDA903_GUIDE,
        ),
        Measure(
            "reviews_participated",
            "childrens_voice",
            "Reviews in which the child took part",
            "reviews",
            IN_QUARTER,
            "Reviews of children aged 4 or over in which the child took part, in person, through an advocate or"
            " by conveying their views (codes PN1 to PN6).",
            SSDA903_GUIDE,
        ),
        Measure(
            "sw_cohort",
            "childrens_voice",
            "Children in care",
            "children",
            AT_PERIOD_END,
            "Children looked after at period end, by the number of different social workers they had in the 12"
            " months to period end (SSDA903 social worker episodes; a worker who returns counts once).",
            SSDA903_GUIDE,
            ("Social workers in the year",),
        ),
        Measure(
            "sw_3plus_12m",
            "childrens_voice",
            "Children who had 3 or more social workers in the year",
            "children",
            TWELVE_MONTHS,
            "Children looked after at period end who had 3 or more different social workers in the 12 months to"
            " period end, including any while they were not looked after.",
            SSDA903_GUIDE,
        ),
    )
}


def measures_for(dataset: str) -> list[Measure]:
    return [m for m in MEASURES.values() if m.dataset == dataset]


# ---------------------------------------------------------------------------------------------------------------
# Indicators: derived from measures by the DfE formula, never uploaded
# ---------------------------------------------------------------------------------------------------------------

HIGH = "high"  # a higher figure is better
LOW = "low"  # a lower figure is better
NEUTRAL = "neutral"  # neither: context, not performance


@dataclass(frozen=True)
class Indicator:
    id: str
    area: str  # the count dataset it belongs to (its page)
    label: str
    short_label: str
    numerator: str
    denominator: tuple[str, ...] = ()  # measures summed; empty for a plain count
    scale: float = 1.0  # x100 for %, x10,000 for rates
    denominator_factor: float = 1.0  # absence: FTE x 253 working days (indicators.working_days)
    leap_year_factor: float | None = None  # absence: 254 when the 12 months to period end hold 29 February
    polarity: str = NEUTRAL
    unit: str = ""  # "%", "per 10,000", "cases per social worker", or a measure unit
    dps: int = 0
    reference_date: str = "31 March"  # the published (annual) reference date
    definition: str = ""
    source: str = ""
    published: bool = True  # a DfE annual benchmark exists
    headline: bool = True  # shown on the overview
    is_fte: bool = False

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)

    @property
    def measure(self) -> Measure:
        """Its numerator's measure: what is recorded, and since when."""
        return MEASURES[self.numerator]

    @property
    def reference(self) -> str:
        """AT_PERIOD_END, IN_QUARTER or TWELVE_MONTHS: taken from the numerator's measure."""
        return MEASURES[self.numerator].reference


CARE_LEAVER_AGES: dict[str, str] = {"17_18": "17 to 18", "19_21": "19 to 21"}
# outcome -> (label words, short label, polarity, words in the definition); polarity from LAIT's data dictionary
CARE_LEAVER_OUTCOMES: dict[str, tuple[str, str, str, str]] = {
    "eet": (
        "in education, employment or training",
        "Care leavers in EET",
        HIGH,
        "in education, employment or training",
    ),
    "neet": (
        "not in education, employment or training",
        "Care leavers NEET",
        LOW,
        "not in education, employment or training",
    ),
    "he": ("in higher education", "Care leavers in higher education", HIGH, "in higher education"),
    "in_touch": ("the council was in touch with", "Care leavers in touch", HIGH, "the council was in touch with"),
    "suitable_accom": (
        "in suitable accommodation",
        "Care leavers suitably housed",
        HIGH,
        "in accommodation considered suitable",
    ),
}
# The DfE publishes the share a council was NOT in touch with, which is not 100 minus 'in touch' (it leaves out
# young people who refused contact or no longer need support): 'in touch' has no comparator.
NOT_IN_TOUCH_NOTE = (
    " The DfE publishes the share it was not in touch with, which also leaves out those who refused"
    " contact or no longer need support: no comparator."
)


def _care_leaver_indicator(ages: str, what: str) -> Indicator:
    """Care leavers of one age band with one outcome, as a percentage of the band's care leavers (OC3)."""
    label_ages = CARE_LEAVER_AGES[ages]
    text, short, polarity, words = CARE_LEAVER_OUTCOMES[what]
    return Indicator(
        f"cl_{ages}_{what}_pct",
        "leaving_care",
        f"Care leavers aged {label_ages} {text}",
        f"{short} ({label_ages})",
        f"cl_{ages}_{what}",
        (f"cl_{ages}_total",),
        scale=100,
        unit="%",
        polarity=polarity,
        reference_date="year to 31 March",
        published=what != "in_touch",
        headline=(ages, what) in (("17_18", "eet"), ("19_21", "neet")),
        definition=f"Care leavers aged {label_ages} {words}, as a percentage of all care leavers of that age"
        " (including those whose activity is not known)." + (NOT_IN_TOUCH_NOTE if what == "in_touch" else ""),
        source=EES_CLA,
    )


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        # care population
        Indicator(
            "cla_count",
            "care_population",
            "Children looked after",
            "Children in care",
            "cla",
            unit="children",
            polarity=NEUTRAL,
            definition=MEASURES["cla"].definition,
            source=EES_CLA,
        ),
        Indicator(
            "cla_rate_per_10k",
            "care_population",
            "Children looked after per 10,000 children aged 0 to 17",
            "Rate per 10,000",
            "cla",
            ("population_0_17",),
            scale=10_000,
            unit="per 10,000",
            dps=0,
            polarity=NEUTRAL,
            definition="Children looked after at period end divided by the ONS estimate of children aged 0 to 17,"
            " times 10,000. Lets councils of different sizes be compared.",
            source=EES_CLA,
        ),
        Indicator(
            "cla_started_count",
            "care_population",
            "Children starting to be looked after",
            "Started care",
            "cla_started",
            unit="children",
            polarity=NEUTRAL,
            headline=False,
            reference_date="year to 31 March",
            definition=MEASURES["cla_started"].definition + " Published figures cover the year to 31 March.",
            source=EES_CLA,
        ),
        Indicator(
            "cla_ceased_count",
            "care_population",
            "Children ceasing to be looked after",
            "Left care",
            "cla_ceased",
            unit="children",
            polarity=NEUTRAL,
            headline=False,
            reference_date="year to 31 March",
            definition=MEASURES["cla_ceased"].definition + " Published figures cover the year to 31 March.",
            source=EES_CLA,
        ),
        Indicator(
            "uasc_count",
            "care_population",
            "Unaccompanied asylum-seeking children looked after",
            "UASC",
            "uasc",
            unit="children",
            polarity=NEUTRAL,
            headline=False,
            definition=MEASURES["uasc"].definition,
            source=EES_CLA,
        ),
        Indicator(
            "cl_19_21_eet_pct",
            "care_population",
            "Care leavers aged 19 to 21 in education, employment or training",
            # the ages in the short label, as the 17 to 18 and 19 to 21 outcomes beside it on Leaving care and in
            # the Overview's glance say theirs: "Care leavers in EET" alone read as every care leaver
            "Care leavers in EET (19 to 21)",
            "cl_19_21_eet",
            ("cl_19_21_total",),
            scale=100,
            unit="%",
            dps=0,
            polarity=HIGH,
            reference_date="year to 31 March",
            definition="Care leavers aged 19 to 21 in education, employment or training as a percentage of all care"
            " leavers of that age the council was in touch with or not.",
            source=EES_CLA,
        ),
        Indicator(
            "cl_19_21_suitable_accom_pct",
            "care_population",
            "Care leavers aged 19 to 21 in suitable accommodation",
            "Care leavers suitably housed (19 to 21)",
            "cl_19_21_suitable_accom",
            ("cl_19_21_accom_total",),
            scale=100,
            unit="%",
            dps=0,
            polarity=HIGH,
            reference_date="year to 31 March",
            headline=False,
            definition="Care leavers aged 19 to 21 in accommodation considered suitable, as a percentage of those"
            " whose accommodation was counted (suitable, not suitable or no information), as the DfE works it out.",
            source=EES_CLA,
        ),
        Indicator(
            "dolo_count",
            "care_population",
            "Children looked after deprived of their liberty by a court order",
            "Deprived of liberty",
            "cla_dolo",
            unit="children",
            polarity=NEUTRAL,
            published=False,
            headline=False,
            reference_date="",
            definition=MEASURES["cla_dolo"].definition + " Not yet published by the DfE: no comparison with other"
            " councils.",
            source=SSDA903_DOLO_RULES,
        ),
        Indicator(
            "rhi_offered_pct",
            "care_population",
            "Return home interviews offered after a missing episode",
            "Return interviews offered",
            "rhi_offered",
            ("missing_episodes",),
            scale=100,
            unit="%",
            dps=0,
            polarity=HIGH,
            published=False,
            headline=False,
            reference_date="",
            definition="Missing-from-care episodes after which the child was offered a return home interview, as a"
            " percentage of all missing episodes in the quarter. Local measure: no DfE benchmark.",
        ),
        Indicator(
            "rhi_accepted_pct",
            "care_population",
            "Return home interviews accepted after a missing episode",
            "Return interviews accepted",
            "rhi_accepted",
            ("missing_episodes",),
            scale=100,
            unit="%",
            dps=0,
            polarity=HIGH,
            published=False,
            headline=False,
            reference_date="",
            definition="Missing-from-care episodes after which the child accepted a return home interview, as a"
            " percentage of all missing episodes in the quarter. Local measure: no DfE benchmark.",
        ),
        # placement stability
        Indicator(
            "stab_3plus_pct",
            "placement_stability",
            "Children looked after with 3 or more placements in 12 months",
            "3+ placements in a year",
            "stab_3plus_placements",
            ("stab_cla_total",),
            scale=100,
            unit="%",
            dps=0,
            polarity=LOW,
            definition="Children looked after at period end who had three or more placements in the previous 12"
            " months, as a percentage of all children looked after at period end. Lower is better: each move can"
            " disrupt school, friendships and trusted relationships.",
            source=EES_CLA,
        ),
        Indicator(
            "ltstab_pct",
            "placement_stability",
            "Long-term placement stability",
            "Long-term stability",
            "ltstab_same_carer_2y",
            ("ltstab_cohort",),
            scale=100,
            unit="%",
            dps=0,
            polarity=HIGH,
            definition="Of children under 16 looked after continuously for at least 2.5 years, the percentage who"
            " had lived with the same carer for at least 2 years. Higher is better.",
            source=EES_CLA,
        ),
        Indicator(
            "placed_20_miles_outside_pct",
            "placement_stability",
            "Children placed more than 20 miles from home and outside Hackney",
            "Placed 20+ miles away",
            "placed_over_20_miles_outside_la",
            ("cla",),
            scale=100,
            unit="%",
            dps=0,
            polarity=LOW,
            definition="Children looked after at period end placed outside the council's boundary and more than 20"
            " miles from home, as a percentage of all children looked after. Lower is better.",
            source=EES_CLA,
        ),
        Indicator(
            "placement_moves_count",
            "placement_stability",
            "Placement moves in the quarter",
            "Placement moves",
            "placement_moves_in_quarter",
            unit="moves",
            polarity=LOW,
            published=False,
            headline=False,
            reference_date="",
            definition=MEASURES["placement_moves_in_quarter"].definition + " Local measure: no DfE benchmark.",
        ),
        # workforce
        Indicator(
            "inpost_fte",
            "workforce",
            "Children and family social workers in post (FTE)",
            "Social workers (FTE)",
            "inpost_fte",
            unit="FTE",
            dps=1,
            polarity=NEUTRAL,
            reference_date="30 September",
            is_fte=True,
            headline=False,
            definition=MEASURES["inpost_fte"].definition,
            source=EES_CSWW,
        ),
        Indicator(
            "turnover_pct",
            "workforce",
            "Social worker turnover rate",
            "Turnover",
            "leavers_fte_12m",
            ("inpost_fte",),
            scale=100,
            unit="%",
            dps=1,
            polarity=LOW,
            reference_date="30 September",
            definition="Full-time equivalent social workers who left in the 12 months to period end, as a"
            " percentage of those in post at period end (DfE turnover rate, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "agency_pct",
            "workforce",
            "Agency social worker rate",
            "Agency workers",
            "agency_fte",
            ("agency_fte", "inpost_fte"),
            scale=100,
            unit="%",
            dps=1,
            polarity=LOW,
            reference_date="30 September",
            definition="Agency social workers (FTE) as a percentage of all social workers, agency and directly"
            " employed (DfE agency worker rate, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "vacancy_pct",
            "workforce",
            "Social worker vacancy rate",
            "Vacancies",
            "vacancy_fte",
            ("vacancy_fte", "inpost_fte"),
            scale=100,
            unit="%",
            dps=1,
            polarity=LOW,
            reference_date="30 September",
            definition="Vacant posts (FTE) as a percentage of vacancies plus social workers in post (DfE vacancy"
            " rate, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "caseload_avg",
            "workforce",
            "Average caseload per case-holding social worker",
            "Caseload",
            "cases",
            ("case_holders_fte",),
            unit="cases per social worker",
            dps=1,
            polarity=LOW,
            reference_date="30 September",
            definition="Cases held divided by the full-time equivalent case-holding social workers (DfE average"
            " caseload, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "absence_pct",
            "workforce",
            "Social worker sickness absence rate",
            "Sickness absence",
            "working_days_lost_12m",
            ("inpost_fte",),
            scale=100,
            denominator_factor=253,
            leap_year_factor=254,
            unit="%",
            dps=1,
            polarity=LOW,
            reference_date="30 September",
            headline=False,
            definition="Working days lost to sickness in the 12 months to period end as a percentage of the working"
            " days available (FTE in post x 253 working days, or 254 when the 12 months include 29 February)."
            " DfE absence rate.",
            source=EES_CSWW,
        ),
        # health and wellbeing: OC2 (annual, 31 March). Polarity and decimals from LAIT's data dictionary
        # (lait_data_dictionary.csv: Polarity, dps; a blank dps is a whole-number percentage).
        Indicator(
            "health_assessment_pct",
            "health_wellbeing",
            "Children looked after with an up-to-date health assessment",
            "Health assessments",
            "oc2_health_assessment",
            ("oc2_cohort",),
            scale=100,
            unit="%",
            polarity=HIGH,
            definition="Of children looked after continuously for at least 12 months at 31 March, the percentage"
            " whose annual health assessment was up to date (LAIT: Percentage of CLA having Health Checks).",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "dental_check_pct",
            "health_wellbeing",
            "Children looked after who had a dental check",
            "Dental checks",
            "oc2_dental_check",
            ("oc2_cohort",),
            scale=100,
            unit="%",
            polarity=HIGH,
            definition="Of children looked after continuously for at least 12 months at 31 March, the percentage"
            " who had their teeth checked by a dentist in the year (LAIT: Percentage of CLA having Dental Checks).",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "immunisations_pct",
            "health_wellbeing",
            "Children looked after whose immunisations were up to date",
            "Immunisations",
            "oc2_immunised",
            ("oc2_cohort",),
            scale=100,
            unit="%",
            polarity=HIGH,
            definition="Of children looked after continuously for at least 12 months at 31 March, the percentage"
            " who had had every immunisation a child of their age should have had (LAIT: Percentage of CLA Had"
            " their immunisations up to date).",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "sdq_completed_pct",
            "health_wellbeing",
            "Children aged 5 to 16 with an SDQ score",
            "SDQ completed",
            "oc2_sdq_completed",
            ("oc2_sdq_cohort",),
            scale=100,
            unit="%",
            polarity=HIGH,
            published=False,
            headline=False,
            definition="Of children aged 5 to 16 looked after continuously for at least 12 months at 31 March, the"
            " percentage for whom a Strengths and Difficulties Questionnaire (SDQ) score was received. The DfE"
            " publishes it in its outcomes release, not in the files the dashboard's comparators come from.",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "sdq_average_score",
            "health_wellbeing",
            "Average SDQ score of children looked after",
            "Average SDQ score",
            "oc2_sdq_score_total",
            ("oc2_sdq_completed",),
            unit="average score",
            dps=1,
            polarity=LOW,
            headline=False,
            definition="The average Strengths and Difficulties Questionnaire score (0 to 40, completed by the main"
            " carer) of children aged 5 to 16 looked after for 12 months or more with a score. 0 to 13 is"
            " considered normal, 14 to 16 borderline, 17 or more a cause for concern. Lower is better (LAIT:"
            " Emotional and behavioural health of looked after children).",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "sdq_concern_pct",
            "health_wellbeing",
            "Children whose SDQ score is a cause for concern",
            "SDQ a cause for concern",
            "oc2_sdq_concern",
            ("oc2_sdq_completed",),
            scale=100,
            unit="%",
            polarity=LOW,
            published=False,
            headline=False,
            definition="Of children aged 5 to 16 with an SDQ score, the percentage scoring 17 or more, a cause for"
            " concern. The DfE publishes it in its outcomes release, not in the files the dashboard's comparators"
            " come from.",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "substance_misuse_pct",
            "health_wellbeing",
            "Children looked after with a substance misuse problem",
            "Substance misuse",
            "oc2_substance_misuse",
            ("oc2_cohort",),
            scale=100,
            unit="%",
            polarity=LOW,
            headline=False,
            definition="Of children looked after continuously for at least 12 months at 31 March, the percentage"
            " identified as having a substance misuse problem in the year (LAIT: % of CLA Substance misuse).",
            source=EES_OUTCOMES,
        ),
        Indicator(
            "convictions_pct",
            "health_wellbeing",
            "Children looked after convicted or given a youth caution",
            "Convictions or cautions",
            "oc2_convicted",
            ("oc2_aged_10_plus",),
            scale=100,
            unit="%",
            polarity=LOW,
            headline=False,
            definition="Of children aged 10 or over looked after continuously for at least 12 months at 31 March,"
            " the percentage convicted or subject to a youth caution or youth conditional caution in the year"
            " (LAIT: Children looked after who are convicted or subject to a youth caution).",
            source=EES_OUTCOMES,
        ),
        # health and wellbeing: missing (12 months to period end; published for the year to 31 March)
        Indicator(
            "children_missing_pct",
            "health_wellbeing",
            "Children looked after who went missing",
            "Children who went missing",
            "children_missing_12m",
            ("cla_during_12m",),
            scale=100,
            unit="%",
            polarity=NEUTRAL,
            reference_date="year to 31 March",
            definition="Children who went missing at least once in the 12 months, as a percentage of all children"
            " looked after at any time in those 12 months. Neither higher nor lower is better in itself: a"
            " council that records every absence as 'missing' shows more (LAIT: % Children looked after who were"
            " missing; no polarity).",
            source=EES_CLA,
        ),
        Indicator(
            "children_away_pct",
            "health_wellbeing",
            "Children looked after who were away without authorisation",
            "Away without authorisation",
            "children_away_12m",
            ("cla_during_12m",),
            scale=100,
            unit="%",
            polarity=NEUTRAL,
            reference_date="year to 31 March",
            headline=False,
            definition="Children who were away from placement without authorisation at least once in the 12"
            " months, as a percentage of all children looked after at any time in those 12 months. Many councils"
            " record such absences as 'missing' instead (LAIT: % Children looked after who were away from"
            " placement without authorisation; no polarity).",
            source=EES_CLA,
        ),
        # leaving care (OC3) and permanence; 19 to 21 EET and suitable accommodation are the care population's
        *(
            _care_leaver_indicator(ages, what)
            for ages in CARE_LEAVER_AGES
            for what in CARE_LEAVER_OUTCOMES
            if (ages, what) not in (("19_21", "eet"), ("19_21", "suitable_accom"))
        ),
        Indicator(
            "staying_put_pct",
            "leaving_care",
            "Care leavers staying put with their former foster carers",
            "Staying put",
            "staying_put",
            ("staying_put_cohort",),
            scale=100,
            unit="%",
            polarity=HIGH,
            reference_date="year to 31 March",
            definition="Of young people aged 18 to 20 who left a foster placement on their 18th birthday and are"
            " eligible for care leavers' support, the percentage still living with their former foster carers"
            " (LAIT: Care Leavers - Staying with their former foster carers).",
            source=EES_CLA,
        ),
        Indicator(
            "adopted_pct",
            "leaving_care",
            "Children leaving care who were adopted",
            "Left care by adoption",
            "ceased_adoption_12m",
            ("ceased_12m",),
            scale=100,
            unit="%",
            polarity=HIGH,
            reference_date="year to 31 March",
            definition="Children who left care because they were adopted, as a percentage of all children who left"
            " care in the 12 months (LAIT: Percentage of CLA adopted in year; higher is better, but it should never"
            " reach 100%).",
            source=EES_CLA,
        ),
        Indicator(
            "sgo_pct",
            "leaving_care",
            "Children leaving care on a special guardianship order",
            "Left care by SGO",
            "ceased_sgo_12m",
            ("ceased_12m",),
            scale=100,
            unit="%",
            polarity=HIGH,
            reference_date="year to 31 March",
            headline=False,
            definition="Children who left care because a special guardianship order (SGO) was made, as a"
            " percentage of all children who left care in the 12 months (LAIT: CLA ceased because of a Special"
            " Guardianship Order; the methodology counts a higher percentage as good, short of 100%).",
            source=EES_CLA,
        ),
        Indicator(
            "adoption_care_to_move_in_days",
            "leaving_care",
            "Average days from entering care to moving in with the adoptive family",
            "Care to adoptive home",
            "adopted_3y_days_to_move_in",
            ("adopted_3y",),
            unit="days",
            polarity=LOW,
            published=False,
            headline=False,
            reference_date="",
            definition="For children adopted in the 3 years to period end, the average number of days between"
            " entering care and moving in with their adoptive family (adoption scorecard A1). The DfE publishes it"
            " in the adoption scorecards, not in the files the dashboard's comparators come from.",
            source=ADOPTION_SCORECARD,
        ),
        Indicator(
            "adoption_order_to_match_days",
            "leaving_care",
            "Average days from placement order to match with an adoptive family",
            "Placement order to match",
            "matched_3y_days_order_to_match",
            ("matched_3y",),
            unit="days",
            polarity=LOW,
            published=False,
            headline=False,
            reference_date="",
            definition="For children matched in the 3 years to period end, the average number of days between the"
            " court's placement order and the decision to match them with an adoptive family (adoption scorecard"
            " A2). Published in the adoption scorecards, not in the dashboard's comparator files.",
            source=ADOPTION_SCORECARD,
        ),
        # children's voice
        Indicator(
            "reviews_on_time_pct",
            "childrens_voice",
            "Looked-after reviews held on time",
            "Reviews on time",
            "reviews_on_time",
            ("reviews_due",),
            scale=100,
            unit="%",
            polarity=HIGH,
            published=False,
            reference_date="",
            definition="Reviews of looked-after children's care plans held within the statutory timescale, as a"
            " percentage of those due in the quarter. Local measure: no DfE benchmark.",
            source=SSDA903_GUIDE,
        ),
        Indicator(
            "review_participation_pct",
            "childrens_voice",
            "Children aged 4 or over who took part in their review",
            "Took part in their review",
            "reviews_participated",
            ("reviews_held_aged_4_plus",),
            scale=100,
            unit="%",
            polarity=HIGH,
            published=False,
            reference_date="",
            definition="Reviews of children aged 4 or over in which the child took part, in person, through an"
            " advocate or by conveying their views another way (codes PN1 to PN6), as a percentage of all their"
            " reviews in the quarter. Local measure: no DfE benchmark.",
            source=SSDA903_GUIDE,
        ),
        Indicator(
            "sw_3plus_pct",
            "childrens_voice",
            "Children looked after who had 3 or more social workers in the year",
            "3+ social workers in a year",
            "sw_3plus_12m",
            ("sw_cohort",),
            scale=100,
            unit="%",
            polarity=LOW,
            definition="Children looked after at period end who had 3 or more different social workers in the 12"
            " months, as a percentage of all children looked after at period end (LAIT: Social Worker instability;"
            " first published for the year to 31 March 2024). Lower is better: each change means a new adult to"
            " trust.",
            source=EES_CLA,
        ),
    )
}

HEADLINE_ORDER: dict[str, tuple[str, ...]] = {
    area: tuple(i.id for i in INDICATORS.values() if i.area == area and i.headline) for area in COUNT_DATASETS
}


def indicators_for(area: str) -> list[Indicator]:
    return [i for i in INDICATORS.values() if i.area == area]


# ---------------------------------------------------------------------------------------------------------------
# Children's Action Plan (refresh 2024): five priorities and their commitments
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Priority:
    number: int
    title: str
    objectives: tuple[str, ...] = field(default_factory=tuple)


PRIORITIES: dict[int, Priority] = {
    p.number: p
    for p in (
        Priority(
            1,
            "Proud to uphold STAR principles: Systemic, Trauma Informed and Anti-Racist",
            (
                "Embed anti-racist practice in every assessment, plan and review",
                "Reduce the over-representation of Black and mixed-heritage children in care",
                "Make trauma-informed, systemic practice the way we work with every family",
            ),
        ),
        Priority(
            2,
            "Proud to listen to children and families",
            (
                "Children in care and care leavers shape the services they receive",
                "Families understand their plans and can challenge decisions",
                "Learn from complaints, compliments and feedback",
            ),
        ),
        Priority(
            3,
            "Proud to work with partner agencies",
            (
                "Partners share responsibility as corporate parents",
                "Improve education, health and employment outcomes for children in care and care leavers",
                "Increase local, stable homes for children in care",
            ),
        ),
        Priority(
            4,
            "Proud to work together to keep children safe",
            (
                "Respond to extra-familial harm and exploitation together",
                "Reduce the time children spend missing from care",
                "Strengthen quality assurance and management oversight",
            ),
        ),
        Priority(
            5,
            "Proud to support our workforce to flourish",
            (
                "Recruit and retain permanent social workers and reduce agency reliance",
                "A workforce that reflects the community it serves at every level",
                "Manageable caseloads and good supervision",
            ),
        ),
    )
}

# Which action-plan commitments (objectives, as the plan names them) each indicator is meant to move. An action is
# linked to an indicator through its `objective` column, which the action plan file already carries: adding an
# action under one of these objectives links it, with no new column to fill in. Change this mapping here.
_OUTCOMES = "Improve education, health and employment outcomes for children in care and care leavers"
_HOMES = "Increase local, stable homes for children in care"
_MISSING = "Reduce the time children spend missing from care"
_RETAIN = "Recruit and retain permanent social workers and reduce agency reliance"
_VOICE = "Children in care and care leavers shape the services they receive"
INDICATOR_OBJECTIVES: dict[str, tuple[str, ...]] = {
    "cla_rate_per_10k": ("Reduce the over-representation of Black and mixed-heritage children in care",),
    "cl_19_21_eet_pct": (_OUTCOMES,),
    "cl_17_18_eet_pct": (_OUTCOMES,),
    "cl_19_21_neet_pct": (_OUTCOMES,),
    "cl_17_18_neet_pct": (_OUTCOMES,),
    "cl_19_21_suitable_accom_pct": (_OUTCOMES,),
    "health_assessment_pct": (_OUTCOMES,),
    "dental_check_pct": (_OUTCOMES,),
    "immunisations_pct": (_OUTCOMES,),
    "sdq_completed_pct": (_OUTCOMES,),
    "staying_put_pct": (_HOMES,),
    "stab_3plus_pct": (_HOMES,),
    "ltstab_pct": (_HOMES,),
    "placed_20_miles_outside_pct": (_HOMES,),
    "placement_moves_count": (_HOMES,),
    "children_missing_pct": (_MISSING,),
    "children_away_pct": (_MISSING,),
    "rhi_offered_pct": (_MISSING,),
    "rhi_accepted_pct": (_MISSING,),
    "reviews_on_time_pct": (_VOICE,),
    "review_participation_pct": (_VOICE,),
    "sw_3plus_pct": (_RETAIN,),
    "turnover_pct": (_RETAIN,),
    "agency_pct": (_RETAIN,),
    "vacancy_pct": (_RETAIN,),
    "caseload_avg": ("Manageable caseloads and good supervision",),
}

ACTION_STATUSES: tuple[str, ...] = ("Not started", "On track", "At risk", "Off track", "Complete")
# Status polarity for colouring: the order of concern, worst first.
STATUS_CONCERN: tuple[str, ...] = ("Off track", "At risk", "Not started", "On track", "Complete")
ACTION_TEXT_MAX = 500
UPDATE_TEXT_MAX = 2000

# ---------------------------------------------------------------------------------------------------------------
# Comparators and disclosure control
# ---------------------------------------------------------------------------------------------------------------

LA_NAME = "Hackney"
LA_CODE = "E09000012"
LA_OLD_CODE = 204
REGION_NAME = "London"
SUBREGION_NAME = "Inner London"
SN_MODEL_YEAR = 2025
STATISTICAL_NEIGHBOURS: tuple[str, ...] = (
    "Southwark",
    "Islington",
    "Haringey",
    "Lambeth",
    "Tower Hamlets",
    "Lewisham",
    "Camden",
    "Manchester",
    "Waltham Forest",
    "Westminster",
)
COMPARATORS: dict[str, str] = {
    "England": "England",
    "London": "London",
    "Inner London": "Inner London",
    "Statistical neighbours": "Statistical neighbours (median of 10)",
}
DEFAULT_COMPARATOR = "England"

SUPPRESSION_THRESHOLD = 5  # counts from 1 to this are shown as `c` in breakdowns
SUPPRESSION_RULE = (
    "To protect children's privacy, any count from 1 to {threshold} in a breakdown is shown as 'c', and where a"
    " total would let a reader work out a hidden figure, the next smallest figure is hidden too. Headline totals"
    " are not suppressed, except a count from 1 to {threshold} of children with a sensitive outcome (substance"
    " misuse, a conviction or caution, an SDQ score of concern, going missing or away, a care leaver not in"
    " education, employment or training or in higher education). Percentages and rates built from a hidden count"
    " are hidden as well."
)

# ---------------------------------------------------------------------------------------------------------------
# Population comparator for the workforce's ethnicity, and the glossary
# ---------------------------------------------------------------------------------------------------------------

# Hackney's residents of all ages by ethnic group (%), Census 2021, as the DfE publishes it beside the social work
# workforce (csww_ethnicity_vs_population.csv, population_percentage). All ages, not working age: the published
# comparator, so a working-age population would differ (younger groups are a larger share of children).
CENSUS_2021_ETHNICITY_PCT: dict[str, float] = {
    "White": 53.1,
    "Mixed or Multiple ethnic groups": 6.7,
    "Asian or Asian British": 10.4,
    "Black, African, Caribbean or Black British": 21.1,
    "Other ethnic group": 8.7,
}
CENSUS_2021_SOURCE = EES_CSWW

# Abbreviations a page spells out inline where it first uses them (views.spell_out); the glossary says more.
ABBREVIATIONS: dict[str, str] = {
    "CLA": "children looked after (children in care)",
    "UASC": "unaccompanied asylum-seeking children",
    "EET": "in education, employment or training",
    "NEET": "not in education, employment or training",
    "FTE": "full-time equivalent",
    "RAG": "red, amber, green",
    "SGO": "special guardianship order",
    "SDQ": "Strengths and Difficulties Questionnaire (children's emotional wellbeing)",
    "DfE": "Department for Education",
    "ONS": "Office for National Statistics",
    "LAIT": "Local Authority Interactive Tool (the DfE's tables comparing councils)",
    "SSDA903": "children looked after return (the record every council sends the DfE each year)",
}

# Terms a councillor meets on the dashboard, in plain English (About the data shows them in this order).
GLOSSARY: dict[str, str] = {
    "Adoption scorecard": "The DfE's yearly tables of how quickly each council moves children to adoption: the"
    " average days from entering care to moving in with the adoptive family (A1) and from the court's placement"
    " order to a match (A2), over three years.",
    "Agency social worker": "A social worker supplied by an agency (a locum) rather than employed by the council."
    " Agency staff cost more and stay for shorter periods, so a lower agency rate usually means more stable"
    " relationships for children.",
    "Anti-racist action plan": "The commitments in the Children's Action Plan to tackle racism and racial"
    " disproportionality in Hackney's services and workforce; actions that carry them are flagged on the"
    " Action plan page.",
    "Care leaver": "A young person aged 16 to 25 who was looked after by the council for at least 13 weeks after"
    " their 14th birthday. The council stays their corporate parent.",
    "Caseload": "The number of children's cases a social worker holds. The average caseload divides all cases"
    " held by the full-time equivalent of social workers holding cases.",
    "Children looked after (CLA)": "Children in the council's care: under a care order, or accommodated by"
    " agreement with their parents (section 20), or on remand. Also called children in care.",
    "Corporate parent": "The council, its councillors and officers, acting for the children in its care as a good"
    " parent would.",
    "Disproportionality ratio": "A group's share of one population divided by its share of another: 1.0 means the"
    " group is represented in proportion; 2.0 means twice its share; 0.5 half.",
    "Education, employment or training (EET)": "Care leavers who are at school, college or university, in a job"
    " or an apprenticeship, or in training.",
    "FTE (full-time equivalent)": "Posts counted by hours worked: two people each working half time count as one FTE.",
    "Health assessment": "A check of a child in care's physical and emotional health by a doctor or nurse, once a"
    " year (twice a year under 5). With dental checks and immunisations it is counted for children looked after"
    " for 12 months or more at 31 March (the DfE's 'OC2' cohort).",
    "Headcount": "People counted once each, whatever their hours.",
    "Participation codes (PN0 to PN7)": "How a child took part in their looked-after review, as recorded for the"
    " DfE: "
    + "; ".join(f"{code}, {meaning}" for code, meaning in REVIEW_PARTICIPATION_MEANING.items())
    + ". A child took part with codes PN1 to PN6; PN0 is not counted.",
    "Placement": "Where a child in care lives: with foster carers, in a children's home, placed for adoption, with"
    " parents, or in supported accommodation.",
    "Return home interview": "A conversation offered to a child after they have been missing, with someone"
    " independent, to understand why they went missing and keep them safe.",
    "Review (looked-after review)": "A regular meeting, chaired by an Independent Reviewing Officer, that checks a"
    " child in care's plan: within 20 working days of coming into care, 3 months later, then every 6 months.",
    "Quartile band": "Where Hackney sits among all councils in England: A is the best quarter, D the worst (by the"
    " indicator's direction of good). A measure where neither direction is better has no band and no rank.",
    "RAG status": "Red, amber, green: how an action's lead rates its progress. On this dashboard in words: On"
    " track, At risk (may miss its goal), Off track (will miss it without help), Not started, Complete.",
    "Missing, and away without authorisation": "A child in care is missing when they are not where they should"
    " be and nobody knows where they are; away without authorisation when their whereabouts are known but they"
    " are not where they should be. The dashboard counts children, not episodes.",
    "NEET": "Not in education, employment or training.",
    "Overdue": "An action past its due date that is not complete.",
    "SDQ (Strengths and Difficulties Questionnaire)": "A short questionnaire a carer fills in each year for a"
    " child in care aged 5 to 16, scoring emotional and behavioural difficulties from 0 to 40: 17 or more is a"
    " cause for concern.",
    "Special guardianship order (SGO)": "A court order that makes someone, often a relative, a child's special"
    " guardian until they are 18: a permanent home outside care without ending the legal tie to the birth parents.",
    "Section 20 (s20)": "A child accommodated by the council with the agreement of those with parental"
    " responsibility (section 20 of the Children Act 1989), rather than under a court order.",
    "Statistical neighbours": "The ten councils most like Hackney in the DfE's model (deprivation, population,"
    " and other factors), used as a fair yardstick.",
    "Staying put": "A care leaver staying on with their former foster carers after their 18th birthday.",
    "Suppressed figure (c)": "A figure hidden because it is a small number that could identify a child or a member"
    " of staff.",
    "Turnover": "Social workers who left in the last 12 months as a share of those in post.",
    "UASC": "Unaccompanied asylum-seeking children: under 18, seeking asylum in their own right, with no parent or"
    " carer in the UK.",
    "Vacancy": "A funded social worker post with no permanent employee in it, whether or not an agency worker"
    " covers it.",
}
