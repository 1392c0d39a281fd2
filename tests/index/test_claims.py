from pathlib import Path

import pytest

from index.article import load_article
from index.claims import Claim, extract_claims

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def claims_of(name: str) -> list[Claim]:
    return extract_claims(load_article(SEEDS / name, f"seeds/{name}"))


def article_claims(tmp_path: Path, text: str, name: str = "a.txt") -> list[Claim]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_claims(load_article(path, str(path)))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_claim_spans_are_exact_and_never_boilerplate(path: Path) -> None:
    article = load_article(path, str(path))
    claims = extract_claims(article)
    assert claims
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
        assert any(s <= claim.start and claim.end <= e for s, e in article.body)
        assert "Baca juga" not in claim.text and "ADVERTISEMENT" not in claim.text


def test_antara_quotes_belong_to_stoltenberg() -> None:
    claims = claims_of("004_245cae90d7e48221.txt")
    quotes = [c for c in claims if c.kind == "quote"]
    assert len(quotes) >= 6
    assert {c.speaker for c in quotes} == {"Jens Stoltenberg"}
    first = claims[0]
    assert first.speaker == "Jens Stoltenberg" and "Sekretaris Jenderal" in first.role
    # "Sekjen NATO itu mengatakan ..." and "Dia mengatakan ..." resolve to him too
    assert all(
        c.speaker == "Jens Stoltenberg" for c in claims if c.text.startswith(("Sekjen", "Dia"))
    )


def test_pronouns_and_titles_resolve_to_the_person_named_before() -> None:
    medcom = {c.text[:20]: c for c in claims_of("000_5aa4ec63266beb67.txt")}
    urge = medcom["Namun ia tetap mende"]
    assert (urge.speaker, urge.kind, urge.verb) == ("Stoltenberg", "request", "mendesak")
    kumparan = claims_of("001_7c76dbf8ebe446d4.txt")
    advice = next(c for c in kumparan if c.text.startswith("Kepala NATO tersebut"))
    assert advice.speaker == "Stoltenberg" and advice.kind == "request"
    ask = next(c for c in kumparan if "dia meminta" in c.text)
    assert ask.speaker == "Stoltenberg"


def test_north_korean_denial_and_official_quote() -> None:
    kumparan = claims_of("001_7c76dbf8ebe446d4.txt")
    denial = next(c for c in kumparan if c.kind == "denial")
    assert denial.speaker == "Korut" and denial.verb == "membantah"
    quote = next(c for c in kumparan if c.text.startswith('"Mencoba menodai'))
    assert quote.speaker == "Kwon Jong-gun"
    assert quote.role.startswith("direktur jenderal Departemen Luar Negeri Korut")
    warning = next(c for c in kumparan if c.text.startswith("Pihaknya"))
    assert warning.speaker == "Korut"


def test_credit_is_recorded_per_claim() -> None:
    medcom = next(
        c for c in claims_of("000_5aa4ec63266beb67.txt") if c.kind == "quote" and "Jika" in c.text
    )
    kumparan = next(c for c in claims_of("001_7c76dbf8ebe446d4.txt") if "Jika" in c.text)
    assert (medcom.credited_to, kumparan.credited_to) == ("Al Jazeera", "AFP")


def test_context_sentences_are_not_claims() -> None:
    texts = [c.text for c in claims_of("004_245cae90d7e48221.txt")]
    assert not any(t.startswith("Dia menyampaikan hal tersebut") for t in texts)
    texts = [c.text for c in claims_of("001_7c76dbf8ebe446d4.txt")]
    assert not any(t.startswith("Stoltenberg menyampaikan pernyataan ini") for t in texts)


def test_small_indonesian_article(tmp_path: Path) -> None:
    claims = article_claims(
        tmp_path,
        "Jakarta (ANTARA) - Menteri Keuangan Sri Mulyani mengatakan bahwa defisit anggaran "
        "akan turun tahun depan.\n"
        '"Kami optimistis ekonomi tumbuh lima persen," ujarnya di Jakarta, Senin.\n'
        "Namun ekonom Faisal Basri membantah proyeksi tersebut.\n"
        "Harga beras naik di beberapa pasar.\n",
    )
    assert [(c.speaker, c.kind) for c in claims] == [
        ("Sri Mulyani", "statement"),
        ("Sri Mulyani", "quote"),
        ("Faisal Basri", "denial"),
    ]
    assert claims[0].role == "Menteri Keuangan"


def test_small_english_article(tmp_path: Path) -> None:
    claims = article_claims(
        tmp_path,
        "The minister said the talks would resume next week.\n"
        '"We will not accept these terms," said Maria Lopez, the union leader.\n'
        "The company denied the allegations on Friday.\n"
        "The weather was mild across the region.\n",
        name="en.txt",
    )
    assert [(c.speaker, c.kind) for c in claims] == [
        ("The minister", "statement"),
        ("Maria Lopez", "quote"),
        ("The company", "denial"),
    ]


def test_article_without_claims(tmp_path: Path) -> None:
    assert (
        article_claims(
            tmp_path,
            "Hujan deras mengguyur Jakarta sejak pagi.\nJalan-jalan utama tergenang air setinggi "
            "lutut.\nLalu lintas di kawasan Sudirman tersendat hingga siang hari.\n",
        )
        == []
    )


def test_speakers_are_named_people_not_quote_marks_pronouns_or_descriptions(
    tmp_path: Path,
) -> None:
    text = (
        "Harbour board approves new ferry timetable\n\n"
        "Port director Amelia Ravensworth told the board that two crossings would be cut "
        "from March.\n\n"
        '"We cannot run empty boats all winter," Ravensworth said. "The numbers do not '
        'add up," she said.\n\n'
        "Union steward Callum Birch accused the board of ignoring shift workers. "
        '"Nobody asked us," the steward said.\n'
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers and not any(s[:1] in "\"'“”‘’" for s in speakers)
    assert "she" not in speakers and "the steward" not in speakers
    assert speakers.count("Amelia Ravensworth") >= 2 and "Callum Birch" in speakers


def test_a_given_name_resolves_to_the_full_name_the_article_gave(tmp_path: Path) -> None:
    text = (
        "Pemkot Siapkan Pasar Darurat\n\n"
        "Kepala Dinas Perdagangan Kota Sukamaju Wiryo Handoko Prasetyo meninjau lokasi pasar "
        "darurat pada Selasa.\n\n"
        '" Pedagang bisa pindah pekan depan, " ucap Wiryo di lokasi.\n'
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == ["Wiryo Handoko Prasetyo"]


def test_words_after_a_name_and_sentence_openers_are_not_speakers(tmp_path: Path) -> None:
    text = (
        "Warga Keluhkan Air Bendungan\n\n"
        '" Airnya cukup untuk dua musim, " kata Darmawan Sitompul di Sukamaju.\n\n'
        "Darmawan belum bisa memastikan jadwalnya, kata dia kepada wartawan.\n\n"
        "Pertumbuhan petani muda di desa itu tinggi. Pertumbuhan menurutnya akan naik. "
        "Setelah rapat, Setelah itu ia menyebut bahwa dana sudah cair.\n\n"
        "Menurut dia, pertumbuhan itu bergantung pada air.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert len(speakers) >= 3 and set(speakers) == {"Darmawan Sitompul"}


def test_organisations_and_appositions_are_their_own_speakers(tmp_path: Path) -> None:
    text = (
        "Flood relief reaches river towns\n\n"
        "Its logistics chief, Tomasz Wierzbicki, said trucks reached Kelso before dawn.\n\n"
        "The Northern Relief Alliance said it had sent 40 boats to the valley.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == ["Tomasz Wierzbicki", "Northern Relief Alliance"]


def test_a_country_is_one_speaker_in_either_language() -> None:
    from index.speakers import speaker_key

    assert speaker_key("North Korea") == speaker_key("Korea Utara") == speaker_key("Korut")
    assert speaker_key("Japan") == speaker_key("Jepang")
    assert speaker_key("United States") == speaker_key("AS")
    assert speaker_key("Jens Stoltenberg") == "jens stoltenberg"


def test_office_words_before_a_name_are_its_role_not_part_of_it(tmp_path: Path) -> None:
    """Dictionary words before a name are the office ("Perikanan", "Presiden"), not the
    name; a later "Menteri Susi" is the minister named in full before, and "Sri Mulyani"
    is the name written in full before, not a title and a name."""
    text = (
        "Jakarta - Menteri Kelautan dan Perikanan Susi Pudjiastuti mengatakan laut harus "
        "dijaga dari kapal asing yang mencuri ikan di perairan Indonesia.\n\n"
        '"Kapal pencuri ikan akan kami tenggelamkan," ujar Menteri Susi di Jakarta, Kamis.\n\n'
        "Menteri Keuangan Sri Mulyani Indrawati menyatakan anggaran patroli laut sudah "
        "disiapkan sejak awal tahun.\n\n"
        "Sri Mulyani mengatakan anggaran itu akan ditambah bila perlu.\n\n"
        "Presiden Joko Widodo menegaskan kedaulatan laut tidak bisa ditawar.\n"
    )
    speakers = [(c.speaker, c.role) for c in article_claims(tmp_path, text)]
    assert [s for s, _ in speakers] == [
        "Susi Pudjiastuti",
        "Susi Pudjiastuti",
        "Sri Mulyani Indrawati",
        "Sri Mulyani Indrawati",
        "Joko Widodo",
    ]
    assert "Perikanan" in speakers[0][1] and speakers[4][1] == "Presiden"


def test_a_family_name_two_speakers_share_stays_as_written(tmp_path: Path) -> None:
    """ "Okafor said" in an article that quotes Sarah Okafor and Daniel Okafor is not
    credited to either of them by guess; "Mensah said" with one Mensah is Kofi Mensah."""
    text = (
        "Sarah Okafor said the union would strike on Monday if talks failed.\n\n"
        "Daniel Okafor said the company had made its final offer.\n\n"
        "Kofi Mensah said the talks would resume in the morning.\n\n"
        "Okafor said no one wanted a long strike.\n\n"
        "Mensah said both sides had agreed to meet again.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers[:3] == ["Sarah Okafor", "Daniel Okafor", "Kofi Mensah"]
    assert speakers[3] not in ("Sarah Okafor", "Daniel Okafor")
    assert speakers[4] == "Kofi Mensah"


def test_english_titles_bodies_and_asides_are_not_part_of_a_name(tmp_path: Path) -> None:
    """Written for this test: a title and post-nominal letters come off the name, a body's
    name keeps its "of", an aside after a name is skipped, "the ministry" is the ministry
    named before, and a description's look-up never takes words after it for a name."""
    text = (
        "Port strike talks resume\n\n"
        "Superintendent Karen Holloway said officers had made two arrests.\n\n"
        "Prosecutor Sarah Okafor KC told the court the money was never repaid.\n\n"
        "Health Minister Aoife Brennan said the plan would be published in May.\n\n"
        "The Armed Forces of the Philippines said its navy would monitor the patrol.\n\n"
        "The ICO, the country's data protection regulator, said it had been notified.\n\n"
        "Vietnam's Ministry of Industry and Trade ordered a review on Monday. "
        "In a statement, the ministry said inspectors had found shortcomings.\n\n"
        "The company said no passwords had been taken.\n"
    )
    claims = article_claims(tmp_path, text)
    speakers = [c.speaker for c in claims]
    assert speakers[:5] == [
        "Karen Holloway",
        "Sarah Okafor",
        "Aoife Brennan",
        "Armed Forces of the Philippines",
        "ICO",
    ]
    assert claims[0].role == "Superintendent" and "Health Minister" in claims[2].role
    assert speakers[5] == "Ministry of Industry and Trade"
    assert speakers[6] == "The company"  # named nowhere: stays a description, not a fragment


def test_indonesian_tags_openers_and_short_names(tmp_path: Path) -> None:
    """Written for this test: "kata X" puts the speaker after it wherever it stands, a tag
    word counts only as a tag, an opener with a small word comes off a known name, a
    relative clause is cut, a negated verb reports nothing, and "Jokowi" is the full name
    the article gives."""
    text = (
        "Paspor Jemaah Dikembalikan\n\n"
        "Kepala Subdit AKBP M Rivai Arvan mengatakan paspor akan dikembalikan mulai Kamis.\n\n"
        "Para calon jemaah, kata Rivai, tak perlu datang ke kantor polisi.\n\n"
        '" Kami akan menghubungi mereka satu per satu, " jelas Rivai kepada wartawan.\n\n'
        "Pengacara Fifi Lety Indra menyatakan sidang akan terus berjalan.\n\n"
        "Meski begitu Fifi mengatakan hubungan kedua pihak tetap baik.\n\n"
        "Namun, Fifi belum mau menjelaskan alasan gugatan itu.\n\n"
        '" Semua warga harus mendapat air bersih, " kata Presiden Joko Widodo di Istana.\n\n'
        "Jokowi menegaskan anggaran sudah disiapkan sejak awal tahun.\n\n"
        '" Tinja itu senjata kami, " kata dokter gigi berusia 51 yang menyiapkan kotak tinja.\n'
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == [
        "M Rivai Arvan",
        "M Rivai Arvan",
        "M Rivai Arvan",
        "Fifi Lety Indra",
        "Fifi Lety Indra",
        "Joko Widodo",
        "Joko Widodo",
        "dokter gigi berusia 51",
    ]
    assert not any("belum mau" in c.text for c in claims)


def test_a_quotation_over_sentences_is_one_claim_of_the_speaker_its_tag_names(
    tmp_path: Path,
) -> None:
    """Written for this test: a quotation that opens sentences before its tag is the tag's
    speaker's, whole, not the previous speaker's; a quoted sentence that carries on a
    speaker's statement is a statement of its own."""
    text = (
        "Bahaya Celana Ketat\n\n"
        "Dokter Siti Rahmawati mengatakan celana ketat bisa memicu infeksi. "
        '"E. coli adalah bakteri paling umum di usus. Jika Anda aktif, bakteri itu '
        'berpindah, " kata Dr. Jill Rabin kepada majalah itu.\n\n'
        '"We let you down, and I am sorry," he said. "We are working around the clock."\n'
    )
    claims = article_claims(tmp_path, text)
    rabin = [c for c in claims if "E. coli" in c.text]
    assert len(rabin) == 1 and rabin[0].text.startswith('"E. coli adalah')
    assert rabin[0].speaker == "Jill Rabin"
    assert "Siti Rahmawati" in claims[0].speaker and "E. coli" not in claims[0].text
    assert claims[-1].text == '"We are working around the clock."'
    assert claims[-1].speaker == claims[-2].speaker


def test_content_spans_are_what_was_said_without_who_said_it() -> None:
    from index.claims import content_spans

    def said(text: str) -> list[str]:
        return [text[a:b] for a, b in content_spans(text)]

    assert said('"Kami akan menghubungi mereka satu per satu," kata Rivai.') == [
        "Kami akan menghubungi mereka satu per satu"
    ]
    assert said("Leigh said that the breach was discovered on Tuesday.") == [
        "the breach was discovered on Tuesday"
    ]
    assert said("Para calon jemaah tak perlu datang ke kantor polisi, kata Rivai.") == [
        "Para calon jemaah tak perlu datang ke kantor polisi"
    ]
    assert said("Menurut Rivai, pihaknya akan mendahulukan jemaah lansia.") == [
        "pihaknya akan mendahulukan jemaah lansia"
    ]
    assert said(
        'Mette Kjaer added that the two companies "share the same values and farmers".'
    ) == ['the two companies "share the same values and farmers']
    # a sentence carried on without quotation marks is shown with the claim, not said
    assert said(
        "Gamawan mengatakan honor itu sah. Saat itu Sugiharto merupakan Direktur Dukcapil."
    ) == ["honor itu sah"]


def test_two_reporting_verbs_in_one_sentence_are_two_claims(tmp_path: Path) -> None:
    """Written for this test: a second reporting verb joined to the first one's clause is a
    second statement, of its own kind; both exact slices of the article."""
    text = (
        "Council budget\n\n"
        "Opposition leader Rajesh Patel accused the mayor of hiding the gap and said the "
        "reserves would run out within three years.\n\n"
        "Whitcombe denied that she had withheld any figures, saying they were published.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [(c.kind, c.text) for c in claims] == [
        ("accusation", "Opposition leader Rajesh Patel accused the mayor of hiding the gap"),
        ("statement", "said the reserves would run out within three years."),
        ("denial", "Whitcombe denied that she had withheld any figures"),
        ("statement", "saying they were published."),
    ]
    assert claims[1].speaker == "Rajesh Patel" and claims[3].speaker == "Whitcombe"


def test_the_company_is_the_body_that_spoke_just_before(tmp_path: Path) -> None:
    """Written for this test: "the company" is the body named as the speaker just before
    in the paragraph; a description that names no body ("the palace") is not given to
    whoever spoke last."""
    text = (
        "River pollution\n\n"
        "Marches Water denied that the works was responsible. In a statement, the company "
        "said the plant had been operating normally.\n\n"
        "Japan said it would send a delegation. The presidential palace said the visit "
        "would go ahead.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == ["Marches Water", "Marches Water", "Japan", "The presidential palace"]


def test_he_said_is_the_person_named_last(tmp_path: Path) -> None:
    """Written for this test: in English "he said" goes to the person the sentence before
    was about, when that sentence names him after the last speaker."""
    text = (
        "Payments app breach\n\n"
        "Zentro said hackers had accessed the names of two million customers.\n\n"
        "Chief executive Marcus Leigh apologised to users in a video. "
        '"We let you down, and I am sorry," he said.\n'
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == ["Zentro", "Marcus Leigh"]


def test_a_country_after_a_description_is_not_the_speaker(tmp_path: Path) -> None:
    """Written for this test: "komando armada ketujuh Amerika Serikat" is the fleet, not the
    United States; the role after "selaku" is not the speaker's name."""
    text = (
        "Pesawat Jatuh\n\n"
        '" Pencarian masih diteruskan, " kata komando armada ketujuh Amerika Serikat dalam '
        "pernyataan tertulis.\n\n"
        '" Nama itu sudah kami daftarkan, " ujar Henry Indraguna selaku kuasa hukum Ratu '
        "Serigala di Jakarta.\n\n"
        "Lorde membatalkan konsernya, setelah dua penulis Selandia Baru memperingatkan "
        "bahwa penampilannya akan dipandang sebagai dukungan.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == [
        "komando armada ketujuh Amerika Serikat",
        "Henry Indraguna",
        "dua penulis Selandia Baru",
    ]


def test_words_inside_a_quotation_and_after_a_tag_are_not_the_speaker(tmp_path: Path) -> None:
    """Written for this test: a reporting verb inside a quotation that its sentence opens is
    the speaker's own words, no attribution; "kata dia, ..." is who spoke before; the
    speaker after a tag ends where "usai" goes on with the sentence."""
    text = (
        "Media dan Hakim\n\n"
        '" Kami kekurangan hakim, " kata Ketua MA Hatta Ali usai menutup sidang pleno.\n\n'
        '" Kalau diisi sama yang tidak benar, masyarakat menilai media itu buruk.\n\n'
        '" Hakim harus ditambah, " kata dia, hakim baru akan direkrut tahun depan.\n'
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == ["Hatta Ali", "Hatta Ali"]
    assert not any("menilai" in c.text for c in claims)


def test_an_english_subject_before_its_aside_and_a_role_after_a_name(tmp_path: Path) -> None:
    """Written for this test: the subject of "X, a charity, welcomed the plan but said" is
    X; "A CARB-X spokesperson" is a spokesperson, not CARB-X."""
    text = (
        "Waiting lists\n\n"
        "Patient Voice Ireland, a charity, welcomed the plan but said it wanted dates.\n\n"
        "A CARB-X spokesperson said the organisation was encouraged by the data.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == ["Patient Voice Ireland", "A CARB-X spokesperson"]


def test_a_verb_inside_a_quotation_from_the_sentence_before_is_no_attribution(
    tmp_path: Path,
) -> None:
    """Written for this test: "Saya langsung mengatakan ..." inside a quotation that opened
    a sentence before is the quoted speaker's words; the tag after it names the speaker."""
    text = (
        "Celana Katun\n\n"
        '" Banyak pasien memakai celana katun. Saya langsung mengatakan kepada mereka bahwa '
        'lapisan luarnya bukan katun, " kata dokter kandungan Shieva Ghofrany.\n'
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == ["Shieva Ghofrany"]
    assert claims[0].text.startswith('" Banyak pasien') and claims[0].verb == "kata"


def test_a_short_form_of_a_body_is_the_name_written_before(tmp_path: Path) -> None:
    """Written for this test: "Western Link" is the Western Link Railways the article named
    before; letters after a name do not lengthen it."""
    text = (
        "Rail strike\n\n"
        "Western Link Railways said services would run as normal on Monday.\n\n"
        "Sarah Okafor KC said the union would appeal.\n\n"
        "Western Link denied it had any plan to remove guards.\n\n"
        "Sarah Okafor said the appeal would be heard in May.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == ["Western Link Railways", "Sarah Okafor"] * 2


def test_a_question_put_to_a_speaker_and_people_described_by_place(tmp_path: Path) -> None:
    """Written for this test: "Asked about ..." is the question put, not a request; the
    answer is the subject's. "Parents in Polgarth" are the parents, not the village."""
    text = (
        "School closure\n\n"
        "Councillor Sam Trevithick said the school would close in July.\n\n"
        "Asked about the protest, Trevithick rejected the criticism.\n\n"
        "Parents in Polgarth accused the council of making up its mind early.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == [
        "Sam Trevithick",
        "Sam Trevithick",
        "Parents in Polgarth",
    ]
    assert claims[1].kind == "denial"


def test_according_to_a_description_and_the_name_after_it(tmp_path: Path) -> None:
    """Written for this test: the name after the description is the speaker."""
    text = (
        "Recount\n\n"
        "According to her campaign director, Kamal Yusof, the count was fair and final.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [(c.speaker, c.role) for c in claims] == [("Kamal Yusof", "her campaign director")]


def test_menurut_without_a_comma_ends_the_speaker_where_the_clause_starts(
    tmp_path: Path,
) -> None:
    """Written for this test (the shape is common in IndoSum): no comma after the name."""
    text = (
        "Bantuan Banjir\n\n"
        "Menurut Sekretaris Perusahaan PT Tirta Makmur Syahrial Mucktar bantuan ini "
        "diberikan kepada warga di tiga desa.\n"
    )
    assert [c.speaker for c in article_claims(tmp_path, text)] == ["Syahrial Mucktar"]


def test_a_possessor_is_named_as_the_article_named_them(tmp_path: Path) -> None:
    """Written for this test: "Alcantara's office" is Senator Teresa Alcantara's office."""
    text = (
        "Patrols\n\n"
        "Senator Teresa Alcantara said the patrols needed a public hearing.\n\n"
        "Alcantara's office said she would file a resolution next week.\n"
    )
    speakers = [c.speaker for c in article_claims(tmp_path, text)]
    assert speakers == ["Teresa Alcantara", "Teresa Alcantara's office"]


def test_indonesian_ranks_bodies_with_dan_and_short_names_that_are_words(
    tmp_path: Path,
) -> None:
    """Written for this test: a police rank stands right before the name, however many
    office and place words come before it; "dan" inside a body's name keeps the name
    whole, but not an office's holder after it; "Sandi" (also the word for a code) is
    the short name of the Sandiaga Uno the article names; a run of capitals does not go
    on past a paragraph's end; an opener with a filler word is no part of the name."""
    text = (
        "Rutan Diperiksa\n\n"
        "Wakil Gubernur DKI Jakarta Sandiaga Uno menegaskan pungutan liar akan ditertibkan.\n\n"
        '" Kalau pindah blok jangan ada kutipan, " kata Kapolda Riau Irjen Pol Zulkarnain.\n\n'
        "Namun, Kantor Wilayah Kementerian Hukum dan HAM Provinsi Riau mengaku tidak tahu "
        "tentang keluhan itu.\n\n"
        "Kepala Badan Penelitian dan Pengembangan Industri Kemenperin Haris Munandar "
        "mengatakan kajian sudah selesai.\n\n"
        '" Itu nanti laporannya tolong disampaikan, " tegas Sandi\n\n'
        "Lanjut Sandi, laporan akan dibaca satu per satu.\n\n"
        '" Semua akan kami baca, " kata Sandi.\n\n'
        "Sekali lagi Zulkarnain mengatakan bahwa semua tahanan diperlakukan sama.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == [
        "Sandiaga Uno",
        "Zulkarnain",
        "Kantor Wilayah Kementerian Hukum dan HAM Provinsi Riau",
        "Haris Munandar",
        "Sandiaga Uno",
        "Sandiaga Uno",
        "Zulkarnain",
    ]
    assert "Irjen Pol" in claims[1].role


def test_descriptions_resolve_to_whom_the_article_named(tmp_path: Path) -> None:
    """Written for this test: a description with "ini" is who spoke before; a shorter
    description later is the fuller one of before; people described by a place after
    "di" keep the place as theirs."""
    text = (
        "Pelatih Baru\n\n"
        '" Kami akan bermain menyerang, " kata pelatih Indra Sjafri di Jakarta.\n\n'
        '" Pemain harus siap, " ujar mantan pelatih Bali United ini.\n\n'
        "Delapan orang diselamatkan, kata komando armada kapal ketujuh Amerika Serikat.\n\n"
        '" Kami masih mencari tiga personel, " kata armada ketujuh Amerika Serikat.\n\n'
        "Sejumlah laporan di Inggris mengabarkan, kontrak itu akan diperpanjang.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == [
        "Indra Sjafri",
        "Indra Sjafri",
        "komando armada kapal ketujuh Amerika Serikat",
        "komando armada kapal ketujuh Amerika Serikat",
        "Sejumlah laporan di Inggris",
    ]


def test_english_bodies_with_lists_and_titles_without_a_name(tmp_path: Path) -> None:
    """Written for this test: a body's name may list things ("Culture, Sports and
    Tourism"); "the ministry" is the body named in its own sentence; "The prosecutor",
    no one named so, is the person who spoke last."""
    text = (
        "Dispute over film rights\n\n"
        "The Ministry of Culture, Sports and Tourism said it had no role in the matter.\n\n"
        "According to the Meteorology, Climatology and Geophysics Agency (BMKG), more than "
        "40 aftershocks had been recorded.\n\n"
        "Vietnam's Ministry of Industry and Trade has ordered a review of the plant, the "
        "ministry said.\n\n"
        "Opening the case, Sarah Okafor KC told the jury that the money was never repaid.\n\n"
        "The prosecutor said the defendant's brother had not been charged.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == [
        "Ministry of Culture, Sports and Tourism",
        "Meteorology, Climatology and Geophysics Agency",
        "Ministry of Industry and Trade",
        "Sarah Okafor",
        "Sarah Okafor",
    ]


def test_an_acronym_is_the_body_spelled_out_in_the_article_or_another(tmp_path: Path) -> None:
    """Written for this test: "ASIC said" is the commission the article spelled out as
    "(ASIC)"; across articles, an acronym speaker and the full name whose initials it is
    are one speaker in the ledger, and a name no article spells out keeps its own key."""
    from index.speakers import speaker_key, unify_keys

    text = (
        "Scam losses rise\n\n"
        "The Australian Securities and Investments Commission (ASIC) warned investors on "
        "Monday.\n\n"
        "ASIC said losses to investment scams reached A$1.3 billion last year.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == ["Australian Securities and Investments Commission"] * 2
    keys = {speaker_key(n) for n in ("BPS", "Badan Pusat Statistik", "KPU", "Jens Stoltenberg")}
    canonical = unify_keys(keys)
    assert canonical["bps"] == canonical["badan pusat statistik"] == "badan pusat statistik"
    assert canonical["kpu"] == "kpu"


def test_an_acronym_is_found_after_a_long_run_of_capitalised_words() -> None:
    """Written for this test: a title-cased wall of text (a headline list, a table pasted
    in) before "(ACR)" still yields the short name whose initials are the acronym, and
    a run with no acronym yields none. The look back is bounded, so such a wall cannot
    make the ingest of one article take minutes (it once took 137 s for 20,000 words)."""
    from index.full_names import acronyms_defined

    wall = " ".join(f"Word{i}" for i in range(20_000))
    text = f"{wall} Komisi Pemberantasan Korupsi (KPK) memeriksa saksi. {wall} (XYZ)."
    assert acronyms_defined(text) == {"KPK": "Komisi Pemberantasan Korupsi"}
    assert acronyms_defined(wall) == {}
    # A dateline glued to the name, as an IndoSum article has it; a comma inside stays.
    lead = "JAKARTA (Pos Kota) \u2013Komisi Pemberantasan Korupsi (KPK) yakin."
    assert acronyms_defined(lead) == {"KPK": "Komisi Pemberantasan Korupsi"}
    listed = "Protokol, Pers dan Media (PPM) dan Kekerasan Dalam Rumah Tangga (KDRT)"
    assert acronyms_defined(listed) == {
        "PPM": "Protokol, Pers dan Media",
        "KDRT": "Kekerasan Dalam Rumah Tangga",
    }


@pytest.mark.parametrize(
    ("lead", "speaker", "role"),
    [
        ("Jakarta - Menteri Keuangan", "Sri Wahyuni", "Menteri Keuangan"),
        ("London (ANTARA) - Menteri Keuangan", "Sri Wahyuni", "Menteri Keuangan"),
        ("JAKARTA, KOMPAS.com - Menteri Keuangan", "Sri Wahyuni", "Menteri Keuangan"),
        ("Jakarta, CNN Indonesia -- Menteri Keuangan", "Sri Wahyuni", "Menteri Keuangan"),
        ("Bandung — Menteri Keuangan", "Sri Wahyuni", "Menteri Keuangan"),
        ("Jakarta -", "Sri Wahyuni", ""),
    ],
)
def test_a_news_lead_is_never_part_of_a_role_or_speaker(
    tmp_path: Path, lead: str, speaker: str, role: str
) -> None:
    """ANTARA-style leads ("Jakarta - ", "London (ANTARA) - ", "JAKARTA, KOMPAS.com - ")
    before the first sentence are the place and the outlet, not the speaker's office."""
    text = (
        f"Gaji Guru Naik\n\n{lead} Sri Wahyuni mengatakan gaji guru honorer akan naik lima "
        "persen mulai Januari tahun depan.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [(c.speaker, c.role) for c in claims] == [(speaker, role)]


def test_an_english_lead_is_never_part_of_a_role(tmp_path: Path) -> None:
    text = (
        "Yellen on inflation\n\nWASHINGTON - Treasury Secretary Janet Yellen said inflation "
        "was easing.\n\nSydney, AAP - Police Commissioner Karen Webb said two men were held.\n"
    )
    claims = article_claims(tmp_path, text)
    assert [(c.speaker, c.role) for c in claims] == [
        ("Janet Yellen", "Treasury Secretary"),
        ("Karen Webb", "Police Commissioner"),
    ]


def test_a_quotation_left_open_goes_on_in_the_next_paragraph(tmp_path: Path) -> None:
    """Written for this test: a quotation whose paragraph ends without its closing mark goes
    on in the next one, which is the same speaker's; a closed one does not (Indonesian)."""
    text = (
        "Banjir di Bandung\n\n"
        'Wali Kota Bandung Yana Mulyana mengatakan, " Air sudah surut di tiga kecamatan.\n\n'
        '" Warga bisa kembali ke rumah mulai besok pagi. "\n\n'
        'Kepala BPBD Jawa Barat Dani Ramdan mengatakan, " Kami tetap siaga. "\n\n'
        '" Hujan masih akan turun, masyarakat menilai tanggulnya rawan.\n'
    )
    claims = article_claims(tmp_path, text)
    assert [c.speaker for c in claims] == ["Yana Mulyana", "Yana Mulyana", "Dani Ramdan"]
    assert claims[1].text.startswith('" Warga')
