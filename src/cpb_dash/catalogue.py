"""The catalogue: every dataset, measure, breakdown, indicator and action-plan priority, with its DfE definition.

Pure data. Pages, About the data, the board pack and the validator all read this module; a second copy of a
definition anywhere else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------------------------

COUNT_DATASETS: tuple[str, ...] = ("care_population", "placement_stability", "workforce")
ACTION_PLAN = "action_plan"
BENCHMARKS = "benchmarks"
UPLOADABLE_DATASETS: tuple[str, ...] = (*COUNT_DATASETS, ACTION_PLAN)

DATASET_LABELS: dict[str, str] = {
    "care_population": "Care population",
    "placement_stability": "Placement stability",
    "workforce": "Workforce stability",
    "action_plan": "Children's Action Plan",
    "benchmarks": "Published benchmarks (DfE)",
}

DATASET_OWNERS: dict[str, str] = {
    "care_population": "Performance and Business Intelligence team",
    "placement_stability": "Performance and Business Intelligence team",
    "workforce": "HR and Workforce Development",
    "action_plan": "Children's Action Plan programme team",
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
PLACEMENT_LOCATIONS = (
    "Placed inside the local authority boundary",
    "Placed outside the local authority boundary",
)
SERVICE_AREAS = (
    "Access and Assessment",
    "Children in Need and Child Protection",
    "Looked After Children and Leaving Care",
    "Disabled Children's Service",
    "Fostering and Adoption",
)
ROLES = ("Practitioner", "Senior practitioner", "Manager")

BREAKDOWN_TOPICS: dict[str, tuple[str, ...]] = {
    "Age group": AGE_GROUPS,
    "Sex": SEXES,
    "Ethnicity": ETHNICITIES,
    "Legal status": LEGAL_STATUSES,
    "Placement type": PLACEMENT_TYPES,
    "Placement location": PLACEMENT_LOCATIONS,
    "Service area": SERVICE_AREAS,
    "Role": ROLES,
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

EES_CLA = "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions"
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


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        # care_population -----------------------------------------------------------------------------------
        Measure(
            "cla", "care_population", "Children looked after", "children", AT_PERIOD_END,
            "Children looked after by Hackney at the end of the period, excluding those looked after under a series of"
            " short-term placements (short breaks). DfE SSDA903 definition.",
            EES_CLA,
            ("Age group", "Sex", "Ethnicity", "Legal status", "Placement type", "Placement location"),
        ),
        Measure(
            "cla_started", "care_population", "Children starting to be looked after", "children", IN_QUARTER,
            "Children who started an episode of care during the quarter (each child counted once).", EES_CLA,
            ("Age group", "Sex"),
        ),
        Measure(
            "cla_ceased", "care_population", "Children ceasing to be looked after", "children", IN_QUARTER,
            "Children whose period of care ended during the quarter (each child counted once).", EES_CLA,
        ),
        Measure(
            "uasc", "care_population", "Unaccompanied asylum-seeking children looked after", "children",
            AT_PERIOD_END,
            "Children looked after at the end of the period who are unaccompanied asylum-seeking children (UASC):"
            " under 18, seeking asylum in their own right, with no parent or carer in the UK.",
            EES_CLA,
        ),
        Measure(
            "population_0_17", "care_population", "Children aged 0 to 17 living in Hackney", "children",
            AT_PERIOD_END,
            "ONS mid-year population estimate of children aged 0 to 17 in Hackney, as used by the DfE for rates per"
            " 10,000; by ethnicity, Census 2021 shares applied to it.",
            ONS_POP,
            ("Ethnicity",),
        ),
        Measure(
            "cl_19_21_total", "care_population", "Care leavers aged 19 to 21", "young people", AT_PERIOD_END,
            "Young people aged 19, 20 or 21 who were looked after for at least 13 weeks after their 14th birthday,"
            " including some time after their 16th birthday, whose birthday fell in the 12 months to period end.",
            EES_CLA,
        ),
        Measure(
            "cl_19_21_eet", "care_population", "Care leavers aged 19 to 21 in education, employment or training",
            "young people", AT_PERIOD_END,
            "Care leavers aged 19 to 21 who were in education, employment or training (EET) around their birthday.",
            EES_CLA,
        ),
        Measure(
            "cl_19_21_suitable_accom", "care_population",
            "Care leavers aged 19 to 21 in suitable accommodation", "young people", AT_PERIOD_END,
            "Care leavers aged 19 to 21 whose accommodation around their birthday was considered suitable.",
            EES_CLA,
        ),
        Measure(
            "cl_19_21_accom_total", "care_population",
            "Care leavers aged 19 to 21 in the accommodation count", "young people", AT_PERIOD_END,
            "Care leavers aged 19 to 21 whose accommodation around their birthday was counted: considered suitable,"
            " not suitable, or no information (the DfE's \"Suitability total\"). The denominator of the suitable"
            " accommodation percentage; it can differ from the care leavers counted for activity by a few young"
            " people (Hackney, 2022: 283 against 287).",
            EES_CLA,
        ),
        Measure(
            "missing_episodes", "care_population", "Missing from care episodes", "episodes", IN_QUARTER,
            "Episodes in the quarter in which a looked-after child was missing from their placement.", EES_CLA,
        ),
        Measure(
            "rhi_offered", "care_population", "Return home interviews offered", "episodes", IN_QUARTER,
            "Missing episodes after which the child was offered a return home interview.", EES_CLA,
        ),
        Measure(
            "rhi_accepted", "care_population", "Return home interviews accepted", "episodes", IN_QUARTER,
            "Return home interviews offered in the quarter that the child accepted.", EES_CLA,
        ),
        # placement_stability -------------------------------------------------------------------------------
        Measure(
            "stab_cla_total", "placement_stability", "Children looked after (stability cohort)", "children",
            AT_PERIOD_END,
            "Children looked after at period end, the denominator of the 3+ placements measure (DfE: CLA on 31"
            " March).",
            EES_CLA,
            ("Age group",),
        ),
        Measure(
            "stab_3plus_placements", "placement_stability", "Children with 3 or more placements in 12 months",
            "children", TWELVE_MONTHS,
            "Children looked after at period end who had three or more separate placements in the previous 12"
            " months. DfE placement stability measure.",
            EES_CLA,
            ("Age group",),
        ),
        Measure(
            "ltstab_cohort", "placement_stability", "Long-term stability cohort", "children", AT_PERIOD_END,
            "Children under 16 at period end who had been looked after continuously for at least 2.5 years.",
            EES_CLA,
        ),
        Measure(
            "ltstab_same_carer_2y", "placement_stability",
            "Children in the long-term cohort living with the same carer for 2+ years", "children", AT_PERIOD_END,
            "Children in the long-term stability cohort who had been living in the same placement (or placed for"
            " adoption with the same carers) for at least 2 years.",
            EES_CLA,
        ),
        Measure(
            "placed_over_20_miles_outside_la", "placement_stability",
            "Children placed more than 20 miles from home and outside Hackney", "children", AT_PERIOD_END,
            "Children looked after at period end placed outside the local authority boundary and more than 20 miles"
            " from their home address.",
            EES_CLA,
            ("Placement type",),
        ),
        Measure(
            "placement_moves_in_quarter", "placement_stability", "Placement moves in the quarter", "moves",
            IN_QUARTER,
            "Changes of placement for looked-after children during the quarter (each move counted).", EES_CLA,
            ("Age group",),
        ),
        # workforce -----------------------------------------------------------------------------------------
        Measure(
            "inpost_fte", "workforce", "Social workers in post (FTE)", "FTE", AT_PERIOD_END,
            "Full-time equivalent children and family social workers directly employed by Hackney at period end"
            " (DfE children's social work workforce census).",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "inpost_headcount", "workforce", "Social workers in post (headcount)", "people", AT_PERIOD_END,
            "Children and family social workers directly employed at period end, counted as people.", EES_CSWW,
            ("Service area", "Role", "Role and ethnicity"),
        ),
        Measure(
            "agency_fte", "workforce", "Agency social workers (FTE)", "FTE", AT_PERIOD_END,
            "Full-time equivalent agency (locum) children and family social workers at period end.", EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "vacancy_fte", "workforce", "Social worker vacancies (FTE)", "FTE", AT_PERIOD_END,
            "Vacant children and family social worker posts at period end (FTE), whether or not covered by agency"
            " staff.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "leavers_fte_12m", "workforce", "Social workers leaving (FTE, 12 months)", "FTE", TWELVE_MONTHS,
            "Full-time equivalent directly employed social workers who left in the 12 months to period end.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "starters_fte_12m", "workforce", "Social workers starting (FTE, 12 months)", "FTE", TWELVE_MONTHS,
            "Full-time equivalent directly employed social workers who started in the 12 months to period end.",
            EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "cases", "workforce", "Cases held by social workers", "cases", AT_PERIOD_END,
            "Cases (children in need, on a child protection plan or looked after) held by case-holding social"
            " workers at period end.",
            EES_CSWW,
            ("Service area",),
        ),
        Measure(
            "case_holders_fte", "workforce", "Case-holding social workers (FTE)", "FTE", AT_PERIOD_END,
            "Full-time equivalent social workers holding one or more cases at period end.", EES_CSWW,
            ("Service area",),
            is_fte=True,
        ),
        Measure(
            "working_days_lost_12m", "workforce", "Working days lost to sickness (12 months)", "days", TWELVE_MONTHS,
            "Working days lost to sickness absence by directly employed social workers in the 12 months to period"
            " end (FTE days).",
            EES_CSWW,
            ("Service area",),
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
    def reference(self) -> str:
        """AT_PERIOD_END, IN_QUARTER or TWELVE_MONTHS: taken from the numerator's measure."""
        return MEASURES[self.numerator].reference


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        # care population
        Indicator(
            "cla_count", "care_population", "Children looked after", "Children in care", "cla",
            unit="children", polarity=NEUTRAL,
            definition=MEASURES["cla"].definition, source=EES_CLA,
        ),
        Indicator(
            "cla_rate_per_10k", "care_population", "Children looked after per 10,000 children aged 0 to 17",
            "Rate per 10,000", "cla", ("population_0_17",), scale=10_000, unit="per 10,000", dps=0,
            polarity=NEUTRAL,
            definition="Children looked after at period end divided by the ONS estimate of children aged 0 to 17,"
            " times 10,000. Lets councils of different sizes be compared.",
            source=EES_CLA,
        ),
        Indicator(
            "cla_started_count", "care_population", "Children starting to be looked after", "Started care",
            "cla_started", unit="children", polarity=NEUTRAL, headline=False,
            reference_date="year to 31 March",
            definition=MEASURES["cla_started"].definition + " Published figures cover the year to 31 March.",
            source=EES_CLA,
        ),
        Indicator(
            "cla_ceased_count", "care_population", "Children ceasing to be looked after", "Left care",
            "cla_ceased", unit="children", polarity=NEUTRAL, headline=False, reference_date="year to 31 March",
            definition=MEASURES["cla_ceased"].definition + " Published figures cover the year to 31 March.",
            source=EES_CLA,
        ),
        Indicator(
            "uasc_count", "care_population", "Unaccompanied asylum-seeking children looked after", "UASC",
            "uasc", unit="children", polarity=NEUTRAL, headline=False,
            definition=MEASURES["uasc"].definition, source=EES_CLA,
        ),
        Indicator(
            "cl_19_21_eet_pct", "care_population",
            "Care leavers aged 19 to 21 in education, employment or training", "Care leavers in EET",
            "cl_19_21_eet", ("cl_19_21_total",), scale=100, unit="%", dps=0, polarity=HIGH,
            reference_date="year to 31 March",
            definition="Care leavers aged 19 to 21 in education, employment or training as a percentage of all care"
            " leavers of that age the council was in touch with or not.",
            source=EES_CLA,
        ),
        Indicator(
            "cl_19_21_suitable_accom_pct", "care_population",
            "Care leavers aged 19 to 21 in suitable accommodation", "Care leavers suitably housed",
            "cl_19_21_suitable_accom", ("cl_19_21_accom_total",), scale=100, unit="%", dps=0, polarity=HIGH,
            reference_date="year to 31 March", headline=False,
            definition="Care leavers aged 19 to 21 in accommodation considered suitable, as a percentage of those"
            " whose accommodation was counted (suitable, not suitable or no information), as the DfE works it out.",
            source=EES_CLA,
        ),
        Indicator(
            "rhi_accepted_pct", "care_population", "Return home interviews accepted after a missing episode",
            "Return interviews accepted", "rhi_accepted", ("missing_episodes",), scale=100, unit="%", dps=0,
            polarity=HIGH, published=False, headline=False, reference_date="",
            definition="Missing-from-care episodes after which the child accepted a return home interview, as a"
            " percentage of all missing episodes in the quarter. Local measure: no DfE benchmark.",
        ),
        # placement stability
        Indicator(
            "stab_3plus_pct", "placement_stability", "Children looked after with 3 or more placements in 12 months",
            "3+ placements in a year", "stab_3plus_placements", ("stab_cla_total",), scale=100, unit="%", dps=0,
            polarity=LOW,
            definition="Children looked after at period end who had three or more placements in the previous 12"
            " months, as a percentage of all children looked after at period end. Lower is better: each move can"
            " disrupt school, friendships and trusted relationships.",
            source=EES_CLA,
        ),
        Indicator(
            "ltstab_pct", "placement_stability", "Long-term placement stability", "Long-term stability",
            "ltstab_same_carer_2y", ("ltstab_cohort",), scale=100, unit="%", dps=0, polarity=HIGH,
            definition="Of children under 16 looked after continuously for at least 2.5 years, the percentage who"
            " had lived with the same carer for at least 2 years. Higher is better.",
            source=EES_CLA,
        ),
        Indicator(
            "placed_20_miles_outside_pct", "placement_stability",
            "Children placed more than 20 miles from home and outside Hackney", "Placed 20+ miles away",
            "placed_over_20_miles_outside_la", ("cla",), scale=100, unit="%", dps=0, polarity=LOW,
            definition="Children looked after at period end placed outside the council's boundary and more than 20"
            " miles from home, as a percentage of all children looked after. Lower is better.",
            source=EES_CLA,
        ),
        Indicator(
            "placement_moves_count", "placement_stability", "Placement moves in the quarter", "Placement moves",
            "placement_moves_in_quarter", unit="moves", polarity=LOW, published=False, headline=False,
            reference_date="",
            definition=MEASURES["placement_moves_in_quarter"].definition + " Local measure: no DfE benchmark.",
        ),
        # workforce
        Indicator(
            "inpost_fte", "workforce", "Children and family social workers in post (FTE)", "Social workers (FTE)",
            "inpost_fte", unit="FTE", dps=1, polarity=NEUTRAL, reference_date="30 September", is_fte=True,
            headline=False,
            definition=MEASURES["inpost_fte"].definition, source=EES_CSWW,
        ),
        Indicator(
            "turnover_pct", "workforce", "Social worker turnover rate", "Turnover", "leavers_fte_12m",
            ("inpost_fte",), scale=100, unit="%", dps=1, polarity=LOW, reference_date="30 September",
            definition="Full-time equivalent social workers who left in the 12 months to period end, as a"
            " percentage of those in post at period end (DfE turnover rate, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "agency_pct", "workforce", "Agency social worker rate", "Agency workers", "agency_fte",
            ("agency_fte", "inpost_fte"), scale=100, unit="%", dps=1, polarity=LOW, reference_date="30 September",
            definition="Agency social workers (FTE) as a percentage of all social workers, agency and directly"
            " employed (DfE agency worker rate, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "vacancy_pct", "workforce", "Social worker vacancy rate", "Vacancies", "vacancy_fte",
            ("vacancy_fte", "inpost_fte"), scale=100, unit="%", dps=1, polarity=LOW, reference_date="30 September",
            definition="Vacant posts (FTE) as a percentage of vacancies plus social workers in post (DfE vacancy"
            " rate, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "caseload_avg", "workforce", "Average caseload per case-holding social worker", "Caseload", "cases",
            ("case_holders_fte",), unit="cases per social worker", dps=1, polarity=LOW,
            reference_date="30 September",
            definition="Cases held divided by the full-time equivalent case-holding social workers (DfE average"
            " caseload, FTE).",
            source=EES_CSWW,
        ),
        Indicator(
            "absence_pct", "workforce", "Social worker sickness absence rate", "Sickness absence",
            "working_days_lost_12m", ("inpost_fte",), scale=100, denominator_factor=253, leap_year_factor=254,
            unit="%", dps=1, polarity=LOW, reference_date="30 September", headline=False,
            definition="Working days lost to sickness in the 12 months to period end as a percentage of the working"
            " days available (FTE in post x 253 working days, or 254 when the 12 months include 29 February)."
            " DfE absence rate.",
            source=EES_CSWW,
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
            1, "Proud to uphold STAR principles: Systemic, Trauma Informed and Anti-Racist",
            (
                "Embed anti-racist practice in every assessment, plan and review",
                "Reduce the over-representation of Black and mixed-heritage children in care",
                "Make trauma-informed, systemic practice the way we work with every family",
            ),
        ),
        Priority(
            2, "Proud to listen to children and families",
            (
                "Children in care and care leavers shape the services they receive",
                "Families understand their plans and can challenge decisions",
                "Learn from complaints, compliments and feedback",
            ),
        ),
        Priority(
            3, "Proud to work with partner agencies",
            (
                "Partners share responsibility as corporate parents",
                "Improve education, health and employment outcomes for children in care and care leavers",
                "Increase local, stable homes for children in care",
            ),
        ),
        Priority(
            4, "Proud to work together to keep children safe",
            (
                "Respond to extra-familial harm and exploitation together",
                "Reduce the time children spend missing from care",
                "Strengthen quality assurance and management oversight",
            ),
        ),
        Priority(
            5, "Proud to support our workforce to flourish",
            (
                "Recruit and retain permanent social workers and reduce agency reliance",
                "A workforce that reflects the community it serves at every level",
                "Manageable caseloads and good supervision",
            ),
        ),
    )
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
    "Southwark", "Islington", "Haringey", "Lambeth", "Tower Hamlets",
    "Lewisham", "Camden", "Manchester", "Waltham Forest", "Westminster",
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
    " are not suppressed. Percentages and rates built from a hidden count are hidden as well."
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

# Terms a councillor meets on the dashboard, in plain English (About the data shows them in this order).
GLOSSARY: dict[str, str] = {
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
    "FTE (full-time equivalent)": "Posts counted by hours worked: two people each working half time count as one"
    " FTE.",
    "Headcount": "People counted once each, whatever their hours.",
    "Placement": "Where a child in care lives: with foster carers, in a children's home, placed for adoption, with"
    " parents, or in supported accommodation.",
    "Quartile band": "Where Hackney sits among all councils in England: A is the best quarter, D the worst (by the"
    " indicator's direction of good). A measure where neither direction is better has no band and no rank.",
    "RAG status": "Red, amber, green: how an action's lead rates its progress. On this dashboard in words: On"
    " track, At risk (may miss its goal), Off track (will miss it without help), Not started, Complete.",
    "Overdue": "An action past its due date that is not complete.",
    "Section 20 (s20)": "A child accommodated by the council with the agreement of those with parental"
    " responsibility (section 20 of the Children Act 1989), rather than under a court order.",
    "Statistical neighbours": "The ten councils most like Hackney in the DfE's model (deprivation, population,"
    " and other factors), used as a fair yardstick.",
    "Suppressed figure (c)": "A figure hidden because it is a small number that could identify a child or a member"
    " of staff.",
    "Turnover": "Social workers who left in the last 12 months as a share of those in post.",
    "UASC": "Unaccompanied asylum-seeking children: under 18, seeking asylum in their own right, with no parent or"
    " carer in the UK.",
    "Vacancy": "A funded social worker post with no permanent employee in it, whether or not an agency worker"
    " covers it.",
}
