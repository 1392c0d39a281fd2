from bot.export import speaker_type


def test_speaker_types_of_people_described_by_a_body_and_of_websites() -> None:
    assert speaker_type("a spokesman for the Department of Health") == "Person"
    assert speaker_type("A spokesperson for Harwick Port Holdings") == "Person"
    assert speaker_type("Department of Health") == "Organization"
    assert speaker_type("Gawker.com") == "Organization"
    assert speaker_type("Jens Stoltenberg") == "Person"
