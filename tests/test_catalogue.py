from cpb_dash import catalogue


def test_every_indicator_is_built_from_catalogue_measures_of_its_area_or_shared_ones():
    for ind in catalogue.INDICATORS.values():
        assert ind.numerator in catalogue.MEASURES, ind.id
        for measure in ind.denominator:
            assert measure in catalogue.MEASURES, (ind.id, measure)
        assert ind.polarity in (catalogue.HIGH, catalogue.LOW, catalogue.NEUTRAL)
        assert ind.definition, ind.id
        assert ind.area in catalogue.COUNT_DATASETS


def test_every_measure_topic_is_a_known_breakdown_topic():
    for measure in catalogue.MEASURES.values():
        assert measure.dataset in catalogue.COUNT_DATASETS
        for topic in measure.topics:
            assert topic in catalogue.BREAKDOWN_TOPICS, (measure.id, topic)


def test_the_plan_has_its_five_real_priorities():
    assert [p.title.split(":")[0] for p in catalogue.PRIORITIES.values()] == [
        "Proud to uphold STAR principles",
        "Proud to listen to children and families",
        "Proud to work with partner agencies",
        "Proud to work together to keep children safe",
        "Proud to support our workforce to flourish",
    ]
    assert all(p.objectives for p in catalogue.PRIORITIES.values())


def test_polarities_follow_the_dfe():
    assert catalogue.INDICATORS["stab_3plus_pct"].polarity == catalogue.LOW
    assert catalogue.INDICATORS["ltstab_pct"].polarity == catalogue.HIGH
    assert catalogue.INDICATORS["turnover_pct"].polarity == catalogue.LOW
    assert catalogue.INDICATORS["cl_19_21_eet_pct"].polarity == catalogue.HIGH


def test_statistical_neighbours_are_the_2025_ten():
    assert len(catalogue.STATISTICAL_NEIGHBOURS) == 10
    assert catalogue.SN_MODEL_YEAR == 2025
