"""Old-extent keys: never a current code, successors are current provinces that tile the old one."""

from cakupan import regions


def test_old_extent_keys_are_not_current_codes_but_start_with_one() -> None:
    for key, extent in regions.OLD_EXTENTS.items():
        assert not regions.is_valid_code(key)
        assert regions.is_old_extent(key) and extent.key == key
        assert regions.is_province_code(key[:2]) and key[:2] in extent.successors
        assert all(regions.is_province_code(c) for c in extent.successors)


def test_papua_successors_are_the_four_and_papua_barat_the_two() -> None:
    assert regions.old_extent("91~pra2022").successors == ("91", "93", "94", "95")
    assert regions.old_extent("92~pra2022").successors == ("92", "96")
    assert regions.old_extent_of("94").key == "91~pra2022"
    assert regions.old_extent_of("96").key == "92~pra2022"
    assert regions.old_extent_of("81") is None
    assert not regions.is_old_extent("91")


def test_the_old_extents_together_hold_every_village_of_the_six_papua_provinces() -> None:
    """The successor lists partition today's six Papua provinces: none left out, none twice."""
    successors = [c for e in regions.OLD_EXTENTS.values() for c in e.successors]
    assert sorted(successors) == ["91", "92", "93", "94", "95", "96"]
    assert sum(regions.villages_of(c) for c in successors) == sum(
        regions.villages_of(c) for c in ("91", "92", "93", "94", "95", "96"))
