"""Compare: the rules TEST2's and TEST3's misses and false alarms called for, each on a
hand-written pair.

Units the quote tagger leaves out or cuts wrongly, speakers that are no person, "Should"
and "unless" conditions, negation in the governing clause, a dropped quantifier, views the
speaker reports or rejects, statements the source does not contain, loaded words.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from newsaudit.compare import compare
from newsaudit.compare.changes.base import ArticleView
from newsaudit.compare.changes.content import whole_clauses
from newsaudit.compare.changes.learned import _too_short
from newsaudit.compare.changes.modality import (
    _believes,
    _no_doubt,
    _plain_negations,
    condition_positions,
    hedge_positions,
    negation_positions,
    partial_positions,
    v1_condition_positions,
)
from newsaudit.compare.comparison import article_pipeline
from newsaudit.compare.figures import figures
from newsaudit.compare.inputs import load_given
from newsaudit.compare.source import source_sentences
from newsaudit.compare.text import tokenize
from newsaudit.compare.units import Unit, article_units


def _units(article: str) -> list[Unit]:
    report = article_pipeline().run(load_given(article, "article", None).document)
    units = article_units(report)
    for unit in units:
        assert report.text[unit.start : unit.end] == article[unit.start : unit.end]
    return units


def _said(article: str) -> dict[str, str | None]:
    return {article[u.start : u.end]: u.speaker for u in _units(article)}


def _findings(article: str, source: str) -> list[tuple[str, str]]:
    report = compare(article, [source])
    for f in report.findings:
        assert article[f.article_start : f.article_end] == f.article_text
        assert source[f.source_start : f.source_end] == f.source_text
    return [(f.kind, f.article_text) for f in report.findings]


def test_the_sentence_before_das_sagte_is_the_statement() -> None:
    article = (
        "Die Kläranlage wird im Herbst erweitert. Das sagte der Werkleiter Jonas Pfeiffer am "
        "Mittwoch in Oberried."
    )
    said = _said(article)
    assert said == {"Die Kläranlage wird im Herbst erweitert": "Jonas Pfeiffer"}


def test_the_clause_before_wie_x_ankuendigte_is_the_statement() -> None:
    article = (
        "Neue Buslinie: Ab Mai fährt der Bus auch nach Kirchdorf, wie Landrätin Sonja Wirth "
        "im Kreistag ankündigte."
    )
    assert _said(article) == {"Ab Mai fährt der Bus auch nach Kirchdorf": "Sonja Wirth"}


def test_what_a_named_person_puts_a_figure_on_is_a_statement() -> None:
    article = "Kämmerer Lars Engel bezifferte das Defizit auf 3,1 Millionen Euro."
    assert _said(article) == {"das Defizit auf 3,1 Millionen Euro": "Lars Engel"}


def test_a_clause_before_the_reporting_verb_is_not_the_statement() -> None:
    """Regression: "In der Sitzung sagte X, ..." gave the words before the cue."""
    article = (
        "In der Sitzung des Kreistags sagte Landrätin Sonja Wirth, die Buslinie nach Kirchdorf "
        "werde eingestellt."
    )
    said = _said(article)
    assert said == {"die Buslinie nach Kirchdorf werde eingestellt": "Sonja Wirth"}


def test_according_to_an_organisation_names_no_speaker() -> None:
    """Regression: "nach Angaben der Feuerwehr" made "Angaben" a speaker, and the unit was
    cut at "nach"; a statement the tagger gives to "Die Mieten" names nobody either."""
    article = (
        "In der Halle ist nach Angaben der Feuerwehr ein Schaden von 2 Millionen Euro entstanden."
    )
    said = _said(article)
    assert list(said.values()) == [None]
    assert any("2 Millionen Euro entstanden" in text for text in said)


def test_should_first_in_its_clause_sets_a_condition() -> None:
    text = "Should the river rise further, we will close the bridge. Should we wait? You should."
    tokens = tokenize(text)
    assert [tokens[i].text for i in condition_positions(tokens, text)] == ["Should"]


def test_unless_and_es_sei_denn_negate() -> None:
    assert negation_positions("we go unless it rains".split()) == [2]
    assert negation_positions("wir gehen es sei denn es regnet".split()) == [2]


def test_unless_rendered_as_sollte_nicht_is_faithful() -> None:
    source = '"Unless the ice melts soon, the ferry will stay in port," captain Ruth Alm said.'
    article = (
        "Sollte das Eis nicht bald schmelzen, bleibe die Fähre im Hafen, sagte Kapitänin Ruth Alm."
    )
    assert _findings(article, source) == []


def test_a_negation_in_the_governing_clause_counts() -> None:
    source = (
        "Polizeisprecher Olaf Timm sagte: „Bislang gibt es keinen Hinweis darauf, dass der "
        "Fahrer betrunken war.“"
    )
    faithful = (
        "Nach Angaben von Polizeisprecher Olaf Timm deutet bislang nichts darauf hin, dass der "
        "Fahrer betrunken war."
    )
    flipped = "Polizeisprecher Olaf Timm sagte, der Fahrer sei betrunken gewesen."
    assert _findings(faithful, source) == []
    assert [kind for kind, _ in _findings(flipped, source)] == ["negation_flipped"]


def test_a_transcript_label_may_hold_of() -> None:
    text = "MINISTER OF FINANCE ANNA BERG: We will cut the tax. The question of the day: why?"
    speakers = [s.speaker for s in source_sentences(text)]
    assert speakers[0] == "MINISTER OF FINANCE ANNA BERG"


def test_a_dropped_quantifier_widens_the_scope() -> None:
    source = 'Club chairman Erik Holt said: "Some members have cancelled their membership."'
    widened = "Die Mitglieder hätten ihre Mitgliedschaft gekündigt, sagte Vereinschef Erik Holt."
    kept = "Manche Mitglieder hätten ihre Mitgliedschaft gekündigt, sagte Vereinschef Erik Holt."
    assert ("scope_widened", "Die Mitglieder") in _findings(widened, source)
    assert _findings(kept, source) == []
    assert partial_positions("ein teil der leute".split()) == [0, 1]


@pytest.mark.parametrize(
    "frame",
    [
        "Some commentators write that the club is bankrupt. That is wrong.",
        "I would not say that the club is bankrupt. We are in good shape.",
    ],
)
def test_a_view_the_speaker_reports_or_denies_is_cut(frame: str) -> None:
    source = f"CHAIRWOMAN HELEN DUNN: {frame}"
    article = "Vereinschefin Helen Dunn sagte: „Der Verein ist pleite.“"
    # the denial may also read as a dropped negation; the cut is what must show
    assert "quote_cut" in [kind for kind, _ in _findings(article, source)]


def test_the_reporting_words_of_a_source_are_no_view() -> None:
    source = "Chairwoman Helen Dunn said that the club is bankrupt."
    article = "Vereinschefin Helen Dunn sagte, der Verein sei pleite."
    assert _findings(article, source) == []


def test_a_whole_sentence_the_source_does_not_contain_is_added() -> None:
    source = 'Fire chief Lena Kroll said: "The fire in the warehouse was put out after two hours."'
    article = (
        "Der Brand in der Lagerhalle sei nach zwei Stunden gelöscht worden, sagte "
        "Feuerwehrchefin Lena Kroll. Die Stadt müsse endlich mehr Geld für neue Fahrzeuge "
        "bereitstellen, sagte sie."
    )
    found = _findings(article, source)
    assert [kind for kind, _ in found] == ["content_added"]
    assert "Fahrzeuge" in found[0][1]


def test_words_of_someone_else_that_come_close_are_misattributed() -> None:
    source = (
        "MAYOR PAUL EBERT: The new school opens in September.\n"
        "COUNCILLOR NINA ROTH: Without more teachers, the new school will have to cut classes."
    )
    article = (
        "Bürgermeister Paul Ebert sagte, ohne zusätzliche Lehrer müsse die neue Schule "
        "Klassen streichen."
    )
    assert ("misattribution", "Bürgermeister Paul Ebert") in _findings(article, source)


def test_a_loaded_word_the_source_does_not_support() -> None:
    source = 'Police spokesman Tom Berg said: "About thirty fans gathered at the station."'
    article = (
        "Rund 30 gewaltbereite Fans hätten sich am Bahnhof versammelt, sagte Polizeisprecher "
        "Tom Berg."
    )
    assert ("content_added", "gewaltbereite") in _findings(article, source)


def test_a_verb_and_its_particle_apart_are_one_label() -> None:
    """Regression: "räumte sie ein" was no admission (only "räumte ein" was), and "sagte
    zu Journalisten" read as a promise."""
    from newsaudit.compare.changes.speech_acts import _frames

    text = "Das sei falsch gewesen, räumte sie ein. Er sagte zu Journalisten, es regne."
    tokens = tokenize(text)
    found = [(act, " ".join(t.text for t in tokens[a:b])) for act, a, b in _frames(tokens, text)]
    assert found == [("admission", "räumte sie ein")]
    source = 'Theatre director Eva Hahn said: "The renovation will take two years."'
    article = "Die Sanierung werde zwei Jahre dauern, räumte Theaterchefin Eva Hahn ein."
    assert ("speech_act_reframed", "räumte Theaterchefin Eva Hahn ein") in _findings(
        article, source
    )


def test_some_without_a_group_is_no_quantifier() -> None:
    """Regression: "Some claim we concealed the costs" read "some" as a quantifier of the
    verb that "verschwiegen" renders."""
    source = 'City treasurer Ute Sahl said: "Some claim we concealed the costs. That is not true."'
    article = "Kämmerin Ute Sahl sagte, man habe die Kosten nicht verschwiegen."
    assert "scope_widened" not in [kind for kind, _ in _findings(article, source)]


def test_many_say_is_someone_elses_view_without_that() -> None:
    source = "MINISTER PETRA LANG: Many say the reform has failed. I see it differently."
    article = "Ministerin Petra Lang sagte: „Die Reform ist gescheitert.“"
    assert "quote_cut" in [kind for kind, _ in _findings(article, source)]


def test_free_indirect_speech_after_a_cued_quote_is_attributed_too() -> None:
    source = 'Headteacher Max Eck said: "The school will remain closed on Monday."'
    article = (
        "Die Schule bleibt am Montag geschlossen, sagte Schulleiter Max Eck. Schuld sei die "
        "marode Heizung, für die das Land verantwortlich sei."
    )
    found = _findings(article, source)
    assert [kind for kind, _ in found] == ["content_added"]
    assert found[0][1].startswith("Schuld sei")
    units = _units(article)
    assert [u.continues for u in units] == [False, True]


@pytest.mark.parametrize(
    ("article", "speaker"),
    [
        (
            "Beim Brand ist nach Angaben der Feuerwehr ein Schaden von 2 Millionen Euro "
            "entstanden.",
            None,
        ),
        ("Laut Sprecherin Eva Roth ist ein Schaden von 2 Millionen Euro entstanden.", "Eva Roth"),
    ],
)
def test_a_sentence_according_to_someone_is_a_statement(article: str, speaker: str | None) -> None:
    said = _said(article)
    assert any("2 Millionen Euro entstanden" in text for text in said)
    assert speaker in said.values()


def test_may_inside_a_sentence_is_the_month() -> None:
    source = 'District administrator Jens Beck said: "The road will remain closed until May."'
    article = "Landrat Jens Beck sagte, die Straße bleibe bis Mai gesperrt."
    assert _findings(article, source) == []


def test_a_negation_in_a_weakly_linked_unit_still_counts() -> None:
    """Regression: no word of "Verletzt wurde niemand" linked strongly to "Nobody was
    injured", so the article's "niemand" was not seen and the negation read as dropped."""
    source = 'Incident commander Jan Voss said: "Nobody was injured. The cause is unclear."'
    article = "Verletzt wurde niemand, sagte Einsatzleiter Jan Voss. Die Ursache sei unklar."
    assert _findings(article, source) == []


def test_a_hedge_in_the_other_sentence_of_a_pair_is_not_the_units() -> None:
    source = (
        'Airport CEO Martin Gross said: "We expect around 1.2 million passengers this summer. '
        'That would be about as many as before the pandemic."'
    )
    article = (
        "Der Flughafen erwartet im Sommer rund 1,2 Millionen Passagiere. Das sagte "
        "Flughafenchef Martin Gross. Das wären etwa so viele wie vor der Pandemie."
    )
    assert "hedge_strengthened" not in [kind for kind, _ in _findings(article, source)]


def test_according_to_an_assessment_keeps_the_hedge() -> None:
    source = (
        'Building commissioner Oskar Fink said: "The inspectors consider the bridge no longer '
        'safe."'
    )
    article = (
        "Die Brücke ist nach Einschätzung der Prüfer nicht mehr sicher, sagte Baudezernent "
        "Oskar Fink."
    )
    assert _findings(article, source) == []


# TEST3's misses and false alarms (held out last round, seen now) called for these rules.


def test_conceivable_and_expected_are_hedges() -> None:
    lowers = "es ist denkbar dass die linie voraussichtlich im mai öffnet".split()
    assert [lowers[i] for i in hedge_positions(lowers)] == ["denkbar", "voraussichtlich"]
    source = (
        "Die Landrätin Petra Urban sagte: „Es ist denkbar, dass wir die Fähre nach Wörth im "
        "Winter einstellen.“"
    )
    article = "Die Fähre nach Wörth werde im Winter eingestellt, sagte Landrätin Petra Urban."
    assert [kind for kind, _ in _findings(article, source)] == ["hedge_strengthened"]


def test_a_number_that_limits_a_group_widens_the_scope_when_dropped() -> None:
    source = (
        "Die Jugendamtsleiterin Vera Koch sagte: „Fünf Kitas im Süden der Stadt schließen wegen "
        "Personalmangels früher.“"
    )
    widened = (
        "Wegen Personalmangels schließen die Kitas der Stadt früher, sagte Jugendamtsleiterin "
        "Vera Koch."
    )
    kept = (
        "Wegen Personalmangels schließen fünf Kitas im Süden der Stadt früher, sagte "
        "Jugendamtsleiterin Vera Koch."
    )
    assert ("scope_widened", "die Kitas") in _findings(widened, source)
    assert _findings(kept, source) == []


def test_a_counted_group_already_known_or_a_date_is_no_limit() -> None:
    """Regression: "the two boats" retold as "Die Boote" and "on 2 September" as "dem 2.
    September" read as dropped quantifiers."""
    from newsaudit.compare.changes.modality import _limiting_positions

    text = "The two boats leave on 2 September; three boats stay."
    tokens = tokenize(text)
    assert [tokens[i].text for i in _limiting_positions(tokens)] == ["three"]


def test_a_contracted_preposition_starts_no_speaker_name() -> None:
    """Regression: "Im Stadtrat sagte ... Malte Berger" made "Im Stadtrat" the speaker, so
    his words given to the mayor were no misattribution."""
    source = (
        "Im Kreistag sagte die Fraktionschefin der Linken, Jana Wolf: „Die Kreisklinik muss "
        "erhalten bleiben.“ Landrat Bernd Hoff erwiderte: „Die Klinik schreibt seit Jahren "
        "Verluste.“"
    )
    speakers = [s.speaker for s in source_sentences(source)]
    assert speakers == ["Jana Wolf", "Landrat Bernd Hoff"]
    article = "Landrat Bernd Hoff sagte im Kreistag, die Kreisklinik müsse erhalten bleiben."
    assert ("misattribution", "Landrat Bernd Hoff") in _findings(article, source)


@pytest.mark.parametrize(
    ("source", "article"),
    [
        (
            '"The ferry sails tomorrow unless the storm returns," harbour master Lise Brandt said.',
            "Die Fähre fahre morgen, es sei denn, der Sturm kehre zurück, sagte Hafenmeisterin "
            "Lise Brandt.",
        ),
        (
            '"The fire destroyed the barn, but nobody was hurt," fire chief Anton Reis said.',
            "Das Feuer habe die Scheune zerstört, verletzt worden sei aber niemand, sagte "
            "Feuerwehrchef Anton Reis.",
        ),
        (
            "Die Dekanin Ruth Sommer sagte: „Wir prüfen eine Fusion der beiden Institute. "
            "Beschlossen ist aber noch nichts.“",
            "Die Fakultät prüfe eine Fusion der beiden Institute, sagte Dekanin Ruth Sommer. "
            "Beschlossen sei aber noch nichts.",
        ),
    ],
)
def test_a_clause_of_function_words_is_read_either_way(source: str, article: str) -> None:
    """Regression: "es sei denn" and "aber noch nichts" have no content word, so no link
    tied them to the source, and "unless" or "nichts" read as a dropped negation; "aber
    niemand" must not be pulled into a clause that renders something else."""
    assert _findings(article, source) == []


def test_a_pronoun_and_a_first_subjunctive_continue_the_speakers_words() -> None:
    source = (
        'Museum director Paula Serra said the sculpture had been damaged overnight. "The '
        'cameras recorded two people," she said.'
    )
    article = (
        "Die Skulptur ist in der Nacht beschädigt worden. Die Kameras hätten zwei Personen "
        "aufgezeichnet, sagte Direktorin Paula Serra. Sie vermute einen Racheakt eines "
        "früheren Mitarbeiters."
    )
    units = _units(article)
    assert [(article[u.start : u.end][:12], u.speaker, u.continues) for u in units][-1] == (
        "Sie vermute ",
        "Paula Serra",
        True,
    )
    found = _findings(article, source)
    assert [kind for kind, _ in found] == ["content_added"]
    assert found[0][1].startswith("Sie vermute")


def test_words_like_those_another_statement_renders_are_no_support() -> None:
    source = (
        "Die Bäderchefin Lea Horn sagte: „Die Schwimmhalle bleibt bis Freitag geschlossen. Die "
        "Kurse fallen aus.“"
    )
    article = (
        "Die Schwimmhalle bleibe bis Freitag geschlossen, sagte Bäderchefin Lea Horn. Die Kurse "
        "fielen aus. Schuld sei ein verrosteter Heizkessel des Betreibers, sagte sie."
    )
    found = _findings(article, source)
    assert [kind for kind, _ in found] == ["content_added"]
    assert found[0][1].startswith("Schuld sei")


def test_a_feeling_the_source_does_not_give_is_added() -> None:
    source = (
        'Police spokeswoman Ida Lenz said: "About 200 parents protested outside the town hall."'
    )
    article = (
        "Rund 200 aufgebrachte Eltern hätten vor dem Rathaus protestiert, sagte "
        "Polizeisprecherin Ida Lenz."
    )
    assert ("content_added", "aufgebrachte") in _findings(article, source)


def test_a_figure_in_digits_links_to_the_same_figure_in_words() -> None:
    """Regression: "300" and "Three hundred" did not link, so the words of another
    speaker, retold with the digits, aligned with a question that named the figure."""
    from newsaudit.compare.align import _figure_links

    assert _figure_links(tokenize("300 Stellen fallen weg"), tokenize("Three hundred jobs go")) == [
        (0, 0)
    ]
    source = (
        "QUESTION: The union says 40 nurses will leave.\n"
        "NURSING DIRECTOR IDA MOOR: That is not what I see.\n"
        "UNION REPRESENTATIVE KARL BEST: Forty nurses will leave the clinic by March."
    )
    article = (
        "Pflegedirektorin Ida Moor sagte, bis März würden 40 Pflegekräfte die Klinik verlassen."
    )
    assert ("misattribution", "Pflegedirektorin Ida Moor") in _findings(article, source)


def test_a_concession_kept_without_the_claim_against_it_is_cut() -> None:
    source = (
        'Economist Jonas Pilz said: "Although exports rose in spring, the economy as a whole is '
        'still shrinking."'
    )
    cut = "Ökonom Jonas Pilz sagte: „Die Exporte sind im Frühjahr gestiegen.“"
    whole = (
        "Die Exporte seien im Frühjahr zwar gestiegen, die Wirtschaft insgesamt schrumpfe "
        "aber weiter, sagte Ökonom Jonas Pilz."
    )
    assert [kind for kind, _ in _findings(cut, source)] == ["quote_cut"]
    assert _findings(whole, source) == []


def test_a_message_running_into_wie_x_mitteilte_ends_before_it() -> None:
    """Regression: the tagger's message ran on to "..., wie Bürgermeisterin X auf", and
    those reporting words read as content the source does not contain."""
    article = (
        "Die neue Fähre fährt ab Mai, wie Bürgermeisterin Ina Kluge auf einer Versammlung "
        "mitteilte."
    )
    assert _said(article) == {"Die neue Fähre fährt ab Mai": "Ina Kluge"}


def test_a_german_conditional_without_conjunction_is_a_condition() -> None:
    text = "„Regnet es morgen weiter, schließen wir den Campingplatz am Fluss.“"
    tokens = tokenize(text)
    assert [tokens[i].text for i in v1_condition_positions(tokens, text)] == ["Regnet"]
    for plain in (
        "Stellen Sie sich vor, wir hätten kein Wasser.",
        "Regnet es morgen weiter, fragte er?",
        "Seit der Wahl ist es ruhig, sagte sie.",
    ):
        assert v1_condition_positions(tokenize(plain), plain) == []


def test_a_dropped_conditional_without_conjunction_is_found() -> None:
    source = (
        "Die Platzwartin Greta Holm sagte: „Regnet es morgen weiter, schließen wir den "
        "Campingplatz am Fluss.“"
    )
    article = (
        "Der Campingplatz am Fluss wird morgen geschlossen. Das sagte die Platzwartin Greta Holm."
    )
    assert ("condition_dropped", "Der Campingplatz am Fluss wird morgen geschlossen") in (
        _findings(article, source)
    )


def test_a_quote_that_stops_at_a_dash_is_cut() -> None:
    source = (
        "Bürgermeister Ole Brandt sagte im Rat: „Das Freibad bleibt geöffnet – aber nur für "
        "Vereine und Schulklassen.“"
    )
    article = "Bürgermeister Ole Brandt sagte im Rat: „Das Freibad bleibt geöffnet.“"
    assert ("quote_cut", "Das Freibad bleibt geöffnet") in _findings(article, source)


def test_a_quote_that_stops_before_the_speakers_but_is_cut() -> None:
    source = (
        'Councillor Ruth Abara said: "The new tram line would cut travel times to the centre. '
        "But it would cost the city far more than the budget allows, and I will vote against "
        'it."'
    )
    article = (
        "Stadträtin Ruth Abara sagte, die neue Straßenbahnlinie würde die Fahrzeit ins "
        "Zentrum verkürzen."
    )
    kinds = {kind for kind, _ in _findings(article, source)}
    assert "quote_cut" in kinds


def test_a_continuation_the_article_retells_is_no_cut() -> None:
    source = (
        'Councillor Ruth Abara said: "The new tram line would cut travel times to the centre. '
        'But it would cost the city far more than the budget allows."'
    )
    article = (
        "Stadträtin Ruth Abara sagte, die neue Straßenbahnlinie würde die Fahrzeit ins "
        "Zentrum verkürzen. Sie würde die Stadt aber weit mehr kosten, als der Haushalt "
        "erlaube."
    )
    assert _findings(article, source) == []


def test_a_part_of_a_known_whole_dropped_widens_the_scope() -> None:
    source = (
        "Schulamtsleiter Bernd Kühn sagte: „Zwei unserer sieben Grundschulen bekommen ab "
        "Herbst eine Mensa.“"
    )
    widened = "Die Grundschulen bekommen ab Herbst eine Mensa, sagte Schulamtsleiter Bernd Kühn."
    kept = "Zwei Grundschulen bekommen ab Herbst eine Mensa, sagte Schulamtsleiter Bernd Kühn."
    assert ("scope_widened", "Die Grundschulen") in _findings(widened, source)
    assert _findings(kept, source) == []


@pytest.mark.parametrize(
    "said", ["There is a chance that", "Es deutet einiges darauf hin, dass", "Es deutet darauf hin"]
)
def test_a_chance_and_signs_pointing_to_are_hedges(said: str) -> None:
    lowers = [t.lower for t in tokenize(said)]
    assert hedge_positions(lowers)


def test_a_label_in_parts_names_the_person_not_the_role() -> None:
    text = (
        "CHAIR, ANNA BERG MP: Welcome. Mr Field, please.\n"
        "TOM FIELD, FARMERS' UNION: The new rules came without asking one farmer.\n"
        "BERG: Thank you."
    )
    speakers = [s.speaker for s in source_sentences(text)]
    assert speakers == ["ANNA BERG MP", "ANNA BERG MP", "TOM FIELD", "BERG"]


def test_words_given_to_the_chair_of_a_labelled_hearing_are_misattributed() -> None:
    source = (
        "CHAIR, ANNA BERG MP: Welcome. Mr Field, please begin.\n"
        "TOM FIELD, FARMERS' UNION: The new rules were written without asking a single "
        "farmer.\n"
        "BERG: The ministry disputes that."
    )
    article = (
        "„Die neuen Regeln wurden geschrieben, ohne einen einzigen Landwirt zu fragen“, sagte "
        "die Ausschussvorsitzende Anna Berg."
    )
    kinds = [kind for kind, _ in _findings(article, source)]
    assert "misattribution" in kinds


def test_criticised_names_the_speaker_of_the_source() -> None:
    text = "Bei der Versammlung kritisierte die Sprecherin, Ines Vogt: „Die Halle ist zu klein.“"
    assert [s.speaker for s in source_sentences(text)] == ["Ines Vogt"]


def test_an_accusation_for_a_hedged_view_is_reframing() -> None:
    source = (
        'Head teacher Liam Byrne said: "I think the council did not read our report before '
        'it cut the bus service."'
    )
    accused = (
        "Schulleiter Liam Byrne warf dem Gemeinderat vor, den Bericht der Schule vor der "
        "Streichung der Buslinie nicht gelesen zu haben."
    )
    assert ("speech_act_reframed", "warf dem Gemeinderat vor") in _findings(accused, source)
    plain = source.replace("I think the council did not", "The council did not")
    assert "speech_act_reframed" not in [kind for kind, _ in _findings(accused, plain)]


def test_attacking_for_a_plain_disagreement_is_reframing() -> None:
    source = (
        "Opposition leader Mia Stone said: \"I disagree with the mayor's budget plan. It does "
        'not address the needs of the schools."'
    )
    article = (
        "Oppositionsführerin Mia Stone attackierte den Bürgermeister scharf: Sein Haushaltsplan "
        "gehe an den Bedürfnissen der Schulen vorbei."
    )
    assert ("speech_act_reframed", "attackierte") in _findings(article, source)


def test_the_nicht_of_not_ruled_out_is_no_negation() -> None:
    source = (
        "Die Grabungsleiterin Ute Rahm sagte: „Es ist nicht ausgeschlossen, dass wir unter dem "
        "Marktplatz noch weitere Mauern finden.“"
    )
    article = (
        "Möglicherweise kommen unter dem Marktplatz noch weitere Mauern zum Vorschein, sagte "
        "die Grabungsleiterin Ute Rahm."
    )
    assert "negation_flipped" not in [kind for kind, _ in _findings(article, source)]


def test_cannot_rule_out_and_nicht_ausschliessen_agree() -> None:
    """Regression: with the "nicht" of "cannot rule out" read as a hedge, the article's
    "nicht ausschließen" was a negation the source lacked."""
    source = (
        'Harbour master Nils Ek said the pier may have been hit by a barge. "We cannot rule '
        'out other causes yet," he added.'
    )
    article = (
        "Hafenmeister Nils Ek sagte, der Steg sei möglicherweise von einem Lastkahn gerammt "
        "worden. Andere Ursachen könne man noch nicht ausschließen, fügte er hinzu."
    )
    assert "negation_flipped" not in [kind for kind, _ in _findings(article, source)]


def test_the_outlets_reporting_clause_is_no_added_content() -> None:
    source = (
        "Der Vereinssprecher Jan Ohm sagte: „Wir räumen ein, dass wir die Mitglieder zu spät "
        "über die Beitragserhöhung informiert haben.“"
    )
    article = (
        "Der Verein hat eingestanden, seine Mitglieder zu spät über die Beitragserhöhung "
        "informiert zu haben, sagte Sprecher Jan Ohm."
    )
    assert "content_added" not in [kind for kind, _ in _findings(article, source)]


# Two of TEST4's misses, each on a hand-written pair: a unit given by "Das hat X
# mitgeteilt", and a direct quote the speaker takes back in part in the next sentence.


def test_das_hat_x_mitgeteilt_gives_the_sentence_before_to_x() -> None:
    article = "Die Fähre fährt ab Mai stündlich. Das hat Bürgermeisterin Ina Kluge mitgeteilt."
    report = article_pipeline().run(load_given(article, "article", None).document)
    said = {article[u.start : u.end]: u.speaker for u in article_units(report)}
    assert said.get("Die Fähre fährt ab Mai stündlich") == "Ina Kluge"


def test_a_direct_quote_the_next_sentence_negates_in_part_is_cut() -> None:
    source = (
        'Surgeon Dr Paul Hewitt said: "The new implant works well in the knee. In the hip it '
        'has not helped a single patient."'
    )
    cut = "Chirurg Paul Hewitt sagte: „Das neue Implantat wirkt gut.“"
    whole = (
        "Das neue Implantat wirke im Knie gut, im Hüftgelenk habe es jedoch keinem einzigen "
        "Patienten geholfen, sagte Chirurg Paul Hewitt."
    )
    assert [kind for kind, _ in _findings(cut, source)] == ["quote_cut"]
    assert _findings(whole, source) == []


# TEST6's misses and false alarms, diagnosed (README, "Quote fidelity"): one test per rule.


def test_a_statement_of_the_next_sentence_by_the_unit_completes_the_region() -> None:
    """Alignment: "wird im März auf dem Mond einschlagen" draws on "will pass Earth in
    March" and the next sentence's hedged "could strike the Moon"."""
    source = (
        "DIRECTOR ANNA BERG: The comet C9 will pass Earth in June. Our estimate suggests a "
        "small chance that it could strike the Moon."
    )
    article = "Der Komet C9 wird im Juni auf dem Mond einschlagen, sagte Direktorin Anna Berg."
    kinds = [kind for kind, _ in _findings(article, source)]
    assert kinds == ["hedge_strengthened"]


def test_a_condition_the_next_sentence_adds_is_dropped_when_left_out() -> None:
    source = (
        "CEO PAUL HOFER: The new bridge will open to traffic in May 2030. That assumes the "
        "engineers find no more cracks in the pillars."
    )
    article = (
        "Die neue Brücke wird im Mai 2030 für den Verkehr geöffnet, sagte Firmenchef Paul Hofer."
    )
    assert [kind for kind, _ in _findings(article, source)] == ["condition_dropped"]
    kept = (
        "Die neue Brücke wird im Mai 2030 für den Verkehr geöffnet, sagte Firmenchef Paul Hofer. "
        "Das setze voraus, dass die Ingenieure keine weiteren Risse in den Pfeilern fänden."
    )
    assert "condition_dropped" not in [kind for kind, _ in _findings(kept, source)]


def test_in_the_event_that_is_a_condition() -> None:
    text = "In the event that revenue matches our forecast, pensions will rise."
    tokens = tokenize(text)
    assert [tokens[i].text for i in condition_positions(tokens, text)] == ["In"]
    text = "Für den Fall, dass es regnet, bleiben wir."
    tokens = tokenize(text)
    assert [tokens[i].text for i in condition_positions(tokens, text)] == ["Für"]


def test_verbs_that_negate_what_they_govern_are_negations() -> None:
    assert negation_positions("the board has decided against paying a dividend".split()) == [3]
    assert negation_positions("she refused to sign".split()) == [1]
    assert negation_positions("der konzern verzichtet auf eine dividende".split()) == [2]
    assert negation_positions("sales declined sharply".split()) == []
    source = (
        "CHAIR EVA LIND: The board has decided against paying a dividend this year. All profits "
        "go into the new plant."
    )
    article = "Der Konzern zahlt in diesem Jahr eine Dividende, sagte Aufsichtsratschefin Eva Lind."
    assert ("negation_flipped", "Der Konzern zahlt in diesem Jahr eine Dividende") in _findings(
        article, source
    )


def test_an_open_question_is_a_hedge_and_ability_does_not_keep_it() -> None:
    assert hedge_positions("ob der patient wieder laufen wird".split()) == [0]
    assert hedge_positions("we do not know if it works".split()) == [4]
    source = (
        "Der Chefarzt Dr. Tom Kranz sagte: „Die Operation ist gut verlaufen. Ob die Patientin "
        "wieder sehen kann, werden erst die nächsten Wochen zeigen.“"
    )
    article = "Die Patientin werde wieder sehen können, sagte Chefarzt Tom Kranz."
    assert [kind for kind, _ in _findings(article, source)] == ["hedge_strengthened"]
    kept = "Ob die Patientin wieder sehen könne, sei offen, sagte Chefarzt Tom Kranz."
    assert "hedge_strengthened" not in [kind for kind, _ in _findings(kept, source)]


def test_a_changed_unit_of_time_is_a_changed_number() -> None:
    source = 'Coach Ben Ruiz said: "Our striker will be out for about six weeks."'
    article = "Der Stürmer falle etwa sechs Monate aus, sagte Trainer Ben Ruiz."
    assert _findings(article, source) == [("number_changed", "sechs Monate")]
    same = "Der Stürmer falle etwa sechs Wochen aus, sagte Trainer Ben Ruiz."
    assert _findings(same, source) == []


def test_a_threat_needs_a_sanction_or_a_condition() -> None:
    source = (
        'At a meeting, the mayor, Rosa Quinn, said: "I am unhappy with the builder. I will '
        'meet them next week."'
    )
    article = (
        "Bürgermeisterin Rosa Quinn drohte dem Bauunternehmen: Sie sei unzufrieden mit ihm und "
        "werde es nächste Woche treffen."
    )
    assert ("speech_act_reframed", "drohte") in _findings(article, source)
    sued = source.replace("I will meet them next week", "If nothing changes, we will sue them")
    threat = (
        "Bürgermeisterin Rosa Quinn drohte dem Bauunternehmen: Wenn sich nichts ändere, werde "
        "man es verklagen."
    )
    assert "speech_act_reframed" not in [kind for kind, _ in _findings(threat, sued)]


@pytest.mark.parametrize(
    ("article", "label"),
    [
        (
            "Innenminister Ole Sand verweigerte der Feuerwehr mehr Geld: Das Budget bleibe im "
            "nächsten Jahr gleich, man habe andere Prioritäten.",
            "verweigerte",
        ),
        (
            "Innenminister Ole Sand verteidigte den Haushalt: Das Budget bleibe im nächsten Jahr "
            "gleich, man habe andere Prioritäten.",
            "verteidigte",
        ),
        (
            "Innenminister Ole Sand sagte trotzig: Das Budget bleibe im nächsten Jahr gleich, man "
            "habe andere Prioritäten.",
            "trotzig",
        ),
    ],
)
def test_a_refusal_a_defence_or_a_manner_the_source_does_not_bear_out(
    article: str, label: str
) -> None:
    source = (
        'Minister Ole Sand, answering a question in parliament: "The fire service budget will '
        'remain the same next year. We have other priorities."'
    )
    assert ("speech_act_reframed", label) in _findings(article, source)


def test_a_refusal_the_source_states_fits() -> None:
    source = (
        'Minister Ole Sand, answering a question in parliament: "We will not give the fire '
        'service more money next year."'
    )
    article = "Innenminister Ole Sand verweigerte der Feuerwehr im nächsten Jahr mehr Geld."
    assert "speech_act_reframed" not in [kind for kind, _ in _findings(article, source)]


def test_a_view_whoever_concludes_is_wrong_is_cut() -> None:
    source = (
        "Die Forscherin Dr. Ida Wein sagte: „Der Winter war milder als die letzten drei. Wer "
        "daraus schließt, dass die Gletscher wachsen, irrt sich.“"
    )
    article = "„Die Gletscher wachsen“, sagte die Forscherin Ida Wein."
    assert [kind for kind, _ in _findings(article, source)] == ["quote_cut"]


def test_a_but_clause_the_next_unit_renders_is_no_cut() -> None:
    source = (
        'Dr Ada Ncube, who leads the trial, said: "The drug may halve severe cases in adults, '
        'but we need a larger study to be sure."'
    )
    article = (
        "Das Mittel könne bei Erwachsenen möglicherweise die Hälfte der schweren Fälle "
        "verhindern, sagte Studienleiterin Ada Ncube. Um sicher zu sein, brauche es aber eine "
        "größere Studie."
    )
    assert _findings(article, source) == []


def test_a_quantifier_dropped_before_the_unit_starts_widens_the_scope() -> None:
    source = (
        "Die Schulrätin Eva Korn erklärte: „An manchen Gymnasien im Süden der Stadt fällt wegen "
        "Lehrermangels der Musikunterricht aus.“"
    )
    article = (
        "An den Gymnasien der Stadt fällt wegen Lehrermangels der Musikunterricht aus, erklärte "
        "Schulrätin Eva Korn."
    )
    assert [kind for kind, _ in _findings(article, source)] == ["scope_widened"]


def test_a_named_organisation_speaks_and_the_union_unia_names_one() -> None:
    text = (
        "The watchmaker Horlogerie Vallet announced it would move. The union Unia said in "
        'response: "This is a disaster for the region."'
    )
    assert [s.speaker for s in source_sentences(text)] == ["Horlogerie Vallet", "Unia"]
    source = (
        "The Swiss watchmaker Horlogerie Marin announced on Tuesday that it would move production "
        'to Spain. The union Unia said in response: "This is a disaster for the Jura region. 300 '
        'families will lose their income."'
    )
    article = (
        "Für die Jura-Region sei das eine Katastrophe, 300 Familien verlören ihr Einkommen, "
        "teilte der Uhrenhersteller Horlogerie Marin mit."
    )
    assert [kind for kind, _ in _findings(article, source)] == ["misattribution"]


def test_aber_inside_a_clause_keeps_the_clause_and_its_contrast() -> None:
    """ "spielt die Inszenierungen aber länger" is one clause, rendered by "run each
    production longer"; and where the unit stops before it, the rest of its sentence keeps
    the speaker's "but" (no cut)."""
    source = (
        "Interview with the head of the city theatre, Sofia Reyes\nQ: What will change?\n"
        "REYES: We will stage fewer premieres, eight instead of twelve, but run each production "
        "longer."
    )
    article = (
        "Das Stadttheater zeigt künftig acht statt zwölf Premieren, spielt die Inszenierungen "
        "aber länger, sagte die Intendantin Sofia Reyes."
    )
    assert _findings(article, source) == []
    tokens = tokenize("Wir spielen die Stücke aber länger, aber nicht öfter.")
    assert [
        tokens[a].text
        for a, _ in whole_clauses(tokens, "Wir spielen die Stücke aber länger, aber nicht öfter.")
    ] == ["Wir", "aber"]


def test_the_articles_governing_clause_keeps_its_negation() -> None:
    """Regression (TEST2 u44): "deutet bislang nichts darauf hin, dass ..." renders "Bislang
    gibt es keinen Hinweis darauf, dass ...": the negation of the article's governing
    clause counts, as the source's does."""
    source = (
        "Der Staatsanwalt Dr. Jan Brehm sagte: „Bislang gibt es keinen Hinweis darauf, dass "
        "die Scheune absichtlich angezündet wurde.“"
    )
    article = (
        "Nach Angaben von Staatsanwalt Jan Brehm deutet bislang nichts darauf hin, dass die "
        "Scheune absichtlich angezündet wurde."
    )
    assert _findings(article, source) == []


def test_a_speech_act_verb_after_the_name_gives_the_statement() -> None:
    said = _said(
        "Trainerin Ana Vidal gestand nach dem Spiel, ihre Mannschaft habe schlecht verteidigt."
    )
    assert list(said.values()) == ["Ana Vidal"]
    assert any("Mannschaft habe schlecht verteidigt" in text for text in said)


@pytest.mark.parametrize(
    ("verb", "said"),
    [
        ("prahlte", "Wir haben in diesem Jahr 40 neue Wohnungen gebaut."),
        ("unterstellte dem Land", "Ich glaube, das Land hat die Mittel nicht erhöht."),
    ],
)
def test_boasting_and_insinuating_need_the_source_to_say_so(verb: str, said: str) -> None:
    source = f"Der Bürgermeister Karl Ost sagte: „{said}“"
    article = f"Bürgermeister Karl Ost {verb}: " + (
        "In diesem Jahr habe man 40 neue Wohnungen gebaut."
        if verb == "prahlte"
        else "Die Mittel seien in diesem Jahr nicht erhöht worden."
    )
    assert ("speech_act_reframed", verb.split()[0]) in _findings(article, source)


@pytest.mark.parametrize(
    ("source", "article"),
    [
        (
            'The mayor, Rosa Quinn, said: "I am not happy with the repairs of the bridge."',
            "Bürgermeisterin Rosa Quinn sagte, sie sei unzufrieden mit den Reparaturen an der "
            "Brücke.",
        ),
        (
            'The minister, Ole Sand, said: "It is unclear when the bridge will reopen."',
            "Es sei nicht klar, wann die Brücke wieder öffne, sagte Minister Ole Sand.",
        ),
    ],
)
def test_a_negating_prefix_renders_a_negation(source: str, article: str) -> None:
    """ "nicht klar" is a hedge like "unclear", so neither a negation nor a hedge differs."""
    assert _findings(article, source) == []


def test_a_restriction_the_article_drops_widens_the_scope() -> None:
    source = 'Council spokesman Otto Brink said: "Only the pools in the north will close in May."'
    article = "Die Schwimmbäder schließen im Mai, sagte Stadtsprecher Otto Brink."
    assert [kind for kind, _ in _findings(article, source)] == ["scope_widened"]
    kept = "Nur die Schwimmbäder im Norden schließen im Mai, sagte Stadtsprecher Otto Brink."
    assert _findings(kept, source) == []


def test_taeglich_claims_every_day() -> None:
    source = (
        "Der Bäderchef Uwe Kern sagte: „Von Montag bis Freitag schließt das Freibad künftig "
        "schon um 19 Uhr.“"
    )
    article = "Das Freibad schließt künftig täglich schon um 19 Uhr, sagte Bäderchef Uwe Kern."
    found = _findings(article, source)
    assert [kind for kind, _ in found] == ["scope_widened"]
    assert found[0][1].startswith("täglich")


def test_a_sentence_in_the_first_subjunctive_continues_the_speakers_words() -> None:
    said = _said(
        "Chefingenieurin Lea Brandt sagte, die Brücke sei sicher. Bei diesem Hochwasser bestehe "
        "keine Gefahr. Wir berichten weiter."
    )
    assert said == {
        "die Brücke sei sicher": "Lea Brandt",
        "Bei diesem Hochwasser bestehe keine Gefahr": "Lea Brandt",
    }


def test_a_reporting_clause_with_its_particle_last_gives_the_clause_before() -> None:
    said = _said(
        "Das Museum öffnet am 21. Oktober wieder für Besucher, kündigte Direktorin Camille "
        "Marin an."
    )
    assert said == {"Das Museum öffnet am 21. Oktober wieder für Besucher": "Camille Marin"}


def test_a_figure_in_another_unit_of_measure_is_the_same_figure() -> None:
    from newsaudit.compare.figures import figures, same_figure

    said = figures(tokenize("between 20 and 30 millimetres, up to 50 millimetres"))
    written = figures(tokenize("zwei bis drei Zentimeter, bis zu fünf Zentimeter"))
    assert [f.kind for f in said] == [f.kind for f in written] == ["length"] * 3
    assert all(same_figure(a, b) for a, b in zip(said, written, strict=True))
    changed = figures(tokenize("zwei bis drei Meter"))
    assert not any(same_figure(a, b) for a in changed for b in said)


def test_a_converted_unit_of_measure_is_no_changed_number() -> None:
    source = (
        'Forecaster Dean Whitlock said: "We expect between 20 and 30 millimetres of rain '
        'overnight."'
    )
    article = "Über Nacht würden zwei bis drei Zentimeter Regen erwartet, sagte Dean Whitlock."
    assert "number_changed" not in [kind for kind, _ in _findings(article, source)]


def test_a_negated_negative_adjective_is_no_negation() -> None:
    from newsaudit.compare.changes.modality import _plain_negations

    assert _plain_negations("es ist aber nicht unwahrscheinlich".split()) == []
    assert _plain_negations("it is not unlikely".split()) == []
    assert _plain_negations("es ist nicht wahrscheinlich".split()) == [2]
    assert _plain_negations("nobody was injured".split()) == [0]


def test_a_german_verb_first_clause_before_a_verb_is_a_condition() -> None:
    from newsaudit.compare.changes.modality import v1_condition_positions

    text = "Stimmt er zu, bekommen alle Schulen einen Sozialarbeiter."
    assert v1_condition_positions(tokenize(text), text) == [0]
    statement = "Stimmt, sagte er, bekommen alle Schulen Geld."
    assert v1_condition_positions(tokenize(statement), statement) == []


def test_a_condition_the_next_article_sentence_states_is_not_dropped() -> None:
    source = (
        'UN envoy Margit Solberg said: "Both sides may agree to a pause before the end of the '
        'month, provided the corridor through Haskel remains open."'
    )
    article = (
        "Beide Seiten könnten sich bis Ende des Monats auf eine Feuerpause einigen, sagte die "
        "UN-Gesandte Margit Solberg. Vorausgesetzt sei, dass der Korridor durch Haskel offen "
        "bleibe."
    )
    assert "condition_dropped" not in [kind for kind, _ in _findings(article, source)]
    dropped = (
        "Beide Seiten könnten sich bis Ende des Monats auf eine Feuerpause einigen, sagte die "
        "UN-Gesandte Margit Solberg."
    )
    assert "condition_dropped" in [kind for kind, _ in _findings(dropped, source)]


def test_an_interviewers_question_rendered_with_the_answer_is_no_misattribution() -> None:
    source = (
        "REPORTER: Was this connected to the football match?\n"
        "INSPECTOR LENA OKAFOR: It's too early to say."
    )
    article = (
        "Ob die Vorfälle mit dem Fußballspiel zusammenhängen, lasse sich noch nicht sagen, "
        "sagte Inspektorin Lena Okafor."
    )
    assert "misattribution" not in [kind for kind, _ in _findings(article, source)]
    stated = (
        "INTERVIEWER: Some say your company underpays its cleaners.\nCEO ANNA FELD: Our "
        "cleaners earn more than the industry average."
    )
    claimed = (
        "Firmenchefin Anna Feld sagte im Interview, ihr Unternehmen bezahle seine "
        "Reinigungskräfte schlecht."
    )
    assert "misattribution" in [kind for kind, _ in _findings(claimed, stated)]


def test_a_hedging_verb_that_addresses_the_listener_is_no_hedge() -> None:
    from newsaudit.compare.changes.modality import hedge_positions

    texts = "Rechnen Sie mit etwa zwanzig Minuten mehr".split()
    assert hedge_positions([w.lower() for w in texts], texts) == []
    own = "Wir rechnen mit etwa zwanzig Minuten mehr".split()
    assert hedge_positions([w.lower() for w in own], own) == [1]


def test_the_words_after_the_speech_verb_of_a_quoting_sentence_are_said() -> None:
    source = (
        "Astronomer Kwame Asante said the comet will be visible to the naked eye from about "
        '20 March, "weather permitting".'
    )
    article = (
        "Spielt das Wetter mit, ist der Komet ab etwa dem 20. März mit bloßem Auge zu sehen, "
        "sagte der Astronom Kwame Asante."
    )
    assert "content_added" not in [kind for kind, _ in _findings(article, source)]
    from newsaudit.compare.source import source_sentences

    (sentence,) = source_sentences(source)
    framed = "".join(source[a:b] for a, b in sentence.frame)
    assert "comet" not in framed and "Kwame Asante said" in framed


def test_a_sentence_outside_every_unit_is_read_for_its_figures() -> None:
    from newsaudit.compare.units import figure_units

    source = (
        "CFO Mara Lind: Revenue rose 3.1 percent to 212 million euros. In the same period we "
        "cut 160 jobs at the Ostwerk plant, mostly through early retirement."
    )
    article = (
        "Der Umsatz stieg nach Angaben von Finanzchefin Mara Lind um 3,1 Prozent auf 212 "
        "Millionen Euro. Im selben Zeitraum baute das Unternehmen im Ostwerk 610 Stellen ab, "
        "überwiegend über Vorruhestand."
    )
    report = article_pipeline().run(load_given(article, "article", None).document)
    extra = figure_units(report, article_units(report))
    assert [article[u.start : u.end] for u in extra] == [
        "Im selben Zeitraum baute das Unternehmen im Ostwerk 610 Stellen ab, überwiegend über "
        "Vorruhestand"
    ]
    assert ("number_changed", "610") in _findings(article, source)
    kept = article.replace("610", "160")
    assert "number_changed" not in [kind for kind, _ in _findings(kept, source)]


def test_a_speed_is_one_figure_however_it_is_written() -> None:
    from newsaudit.compare.figures import figures, same_figure

    (said,) = figures(tokenize("gusts of up to 90 Kilometer pro Stunde"))
    (written,) = figures(tokenize("Böen von bis zu 90 Stundenkilometern"))
    assert said.kind == written.kind == "speed" and same_figure(said, written)


def test_a_bracketed_name_beside_the_speaker_is_no_speaker() -> None:
    from newsaudit.compare.source import sentence_speaker

    said = 'Head coach Ollie Brandt (FC Dunmore) told reporters: "We will see."'
    assert sentence_speaker(said) == "Ollie Brandt"


def test_a_figure_the_source_gives_as_a_difference_is_no_changed_number() -> None:
    source = (
        "The health office of Brelin said the share of vaccinated pupils has risen from 62 "
        "to 79 percent."
    )
    article = (
        "In Brelin sind nach Angaben des Gesundheitsamts inzwischen 79 Prozent der Schüler "
        "geimpft, 17 Prozentpunkte mehr als zuvor."
    )
    assert "number_changed" not in [kind for kind, _ in _findings(article, source)]
    changed = article.replace("17 Prozentpunkte", "27 Prozentpunkte")
    assert "number_changed" in [kind for kind, _ in _findings(changed, source)]


def test_an_hour_on_the_12_hour_clock_is_the_same_hour_on_the_24_hour_clock() -> None:
    from newsaudit.compare.figures import figures, same_figure

    (said,) = figures(tokenize("open until 10 p.m. tonight"))
    (written,) = figures(tokenize("bis 22 Uhr geöffnet"))
    (other,) = figures(tokenize("bis 20 Uhr geöffnet"))
    assert said.kind == written.kind == "clock"
    assert same_figure(said, written) and not same_figure(said, other)


def test_a_denied_danger_is_no_hedge() -> None:
    from newsaudit.compare.changes.modality import hedge_positions

    assert hedge_positions("drinking water supply is not at risk".split()) == []
    assert hedge_positions("there is a risk of flooding".split()) == [3]


def test_not_yet_settled_leaves_a_question_open_as_offen_does() -> None:
    from newsaudit.compare.changes.modality import _plain_negations

    assert _plain_negations("ob anklage erhoben wird steht noch nicht fest".split()) == []


def test_must_expect_is_no_obligation() -> None:
    source = (
        'The ministry spokesperson, Clara Dorn, warned: "Drivers should expect delays of up '
        'to an hour on the B12 this weekend."'
    )
    article = (
        "Autofahrer müssen am Wochenende auf der B12 mit Verzögerungen von bis zu einer "
        "Stunde rechnen, warnte Ministeriumssprecherin Clara Dorn."
    )
    assert "hedge_strengthened" not in [kind for kind, _ in _findings(article, source)]
    obliged = (
        "Autofahrer müssen am Wochenende auf der B12 Verzögerungen von bis zu einer Stunde "
        "hinnehmen, warnte Ministeriumssprecherin Clara Dorn."
    )
    assert "hedge_strengthened" in [kind for kind, _ in _findings(obliged, source)]


def _kinds(article: str, source: str) -> list[str]:
    return [kind for kind, _ in _findings(article, source)]


def test_a_question_the_articles_speaker_answers_is_no_misattribution() -> None:
    source = (
        "MODERATOR: Next question.\n"
        "TOM REED (Daily Post): Will the market move back to the town square next year?\n"
        "MARKET MANAGER LISA KRAUSE: That is our hope, yes. But the square is being repaved "
        "until October."
    )
    article = (
        "Gern würde man mit dem Markt auf den Marktplatz zurückkehren, sagte Marktleiterin "
        "Lisa Krause. Doch der Platz werde bis Oktober neu gepflastert."
    )
    assert "misattribution" not in _kinds(article, source)


def test_the_reports_sentence_after_a_quote_is_not_the_speaker_going_on() -> None:
    source = (
        'Coach Mia Lorenz said: "Jonas is not only fast, he is the heart of our team." '
        "The length of the contract was not disclosed."
    )
    article = (
        "„Jonas ist nicht nur schnell, er ist das Herz unseres Teams“, sagte Trainerin Mia Lorenz."
    )
    assert "quote_cut" not in _kinds(article, source)


def test_a_negation_after_a_semicolon_does_not_govern_the_unit() -> None:
    source = (
        'Finance chief Ben Ortiz said: "We had a good year. We expect energy prices to fall '
        'in the spring, but we are keeping our forecast."'
    )
    article = (
        "„Wir hatten ein gutes Jahr“, sagte Finanzchef Ben Ortiz. Er erwarte, dass die "
        "Energiepreise im Frühjahr sinken; an der Prognose ändere das Unternehmen aber nichts."
    )
    assert "negation_flipped" not in _kinds(article, source)


def test_nicht_etwa_before_a_clause_negates_it() -> None:
    source = (
        "Intendant Georg Brandl sagte: „Wir verlängern den Vertrag mit dem Dirigenten nicht, "
        "weil er selbst nach Wien wechselt – nicht etwa, weil wir unzufrieden wären.“"
    )
    article = (
        "Der Dirigent wechselt auf eigenen Wunsch nach Wien. Mit Unzufriedenheit habe das "
        "nichts zu tun, betonte Intendant Georg Brandl."
    )
    assert "negation_flipped" not in _kinds(article, source)


def test_a_hedge_the_next_article_sentence_keeps_is_not_dropped() -> None:
    source = (
        "Sprecher Jan Ohl sagte: „Die Arbeiten ruhen vorerst für etwa vier Wochen. Danach kann "
        "weitergebaut werden, die Funde werden vorher geborgen.“"
    )
    article = (
        "Die Arbeiten ruhen nun für etwa vier Wochen, in denen die Funde geborgen werden, sagte "
        "Sprecher Jan Ohl. Danach könne weitergebaut werden."
    )
    assert "hedge_strengthened" not in _kinds(article, source)


def test_a_sentence_between_the_two_aligned_ones_keeps_its_negation() -> None:
    """A unit of three sentences is aligned with two answers apart; the answer between
    them is rendered too, and its negation with it."""
    source = (
        "Interview mit Revierförsterin Anna Moser (Forstamt Lindach):\n"
        "Frage: Wie geht es dem Wald nach dem trockenen Sommer?\n"
        "Moser: Bei den Eichen sehen wir vereinzelt Schäden. Rund 12 Hektar Fichtenwald "
        "mussten wir in diesem Jahr schon räumen.\n"
        "Frage: Muss der Wald gesperrt werden?\n"
        "Moser: Nein, eine Sperrung ist nicht geplant. Radfahrer sollten aber nach Gewittern "
        "die markierten Wege meiden, weil dort Äste herabfallen können."
    )
    article = (
        "An den Eichen gebe es vereinzelt Schäden, sagte Revierförsterin Anna Moser. Etwa "
        "zwölf Hektar Fichtenwald hätten in diesem Jahr bereits geräumt werden müssen. Eine "
        "Sperrung des Waldes sei nicht geplant. Nach Gewittern sollten Radfahrer jedoch die "
        "markierten Wege meiden, da dort Äste herabfallen könnten."
    )
    assert "negation_flipped" not in _kinds(article, source)


def test_single_quotation_marks_quote_and_apostrophes_do_not() -> None:
    from newsaudit.compare.source import quotation_marks

    text = "Ed Cole of the farmers' union said: 'It's ours. We won't sell.' That's all."
    assert quotation_marks(text) == (
        "Ed Cole of the farmers' union said: \"It's ours. We won't sell.\" That's all."
    )
    source = "Coach Ann Roe said: 'We played well. We will win the next one.' The club was sold."
    speakers = [s.speaker for s in source_sentences(source)]
    assert speakers == ["Coach Ann Roe", "Coach Ann Roe", None]


@pytest.mark.parametrize(
    ("source", "speaker"),
    [
        (
            "Statement by Ines Kovač, Environment Minister of Valdora, to parliament: 'The wind "
            "farms are a success.'",
            "Ines Kovač",
        ),
        (
            "Erklärung der Vorsitzenden der Wählergemeinschaft Bürger für Rohrbach, Anja "
            "Felber, vom Donnerstag: „Wir stimmen dem Haushalt nicht zu.“",
            "Anja Felber",
        ),
        ("Statement from Marlow & Pike supermarkets: 'We are recalling the salmon.'", None),
    ],
)
def test_the_words_before_a_colon_and_a_quotation_introduce_its_speaker(
    source: str, speaker: str | None
) -> None:
    assert [s.speaker for s in source_sentences(source)] == [speaker]


def test_an_institution_its_spokesperson_speaks_for_is_no_misattribution() -> None:
    source = (
        "Auszug aus der Pressekonferenz des Landesamts für Denkmalpflege, Sprecher Dr. Jan "
        "Ohl: „Die Arbeiten ruhen vorerst für etwa vier Wochen. Danach kann weitergebaut "
        "werden, die Funde werden vorher geborgen.“"
    )
    article = (
        "Die Arbeiten ruhen nun für etwa vier Wochen, in denen die Funde geborgen werden, wie "
        "das Landesamt für Denkmalpflege mitteilte. Danach könne weitergebaut werden."
    )
    assert _kinds(article, source) == []


def test_what_will_happen_to_others_is_no_threat_of_the_speaker() -> None:
    source = (
        'Statement by Ali Brandt, chair of the taxi association: "If the city raises the '
        "fees, many of our members will not be able to keep their cars. We are warning the "
        'council now."'
    )
    article = (
        "Der Verbandschef Ali Brandt hat der Stadt gedroht: Sollten die Gebühren steigen, "
        "könnten viele Mitglieder ihre Wagen nicht mehr halten."
    )
    assert "speech_act_reframed" in _kinds(article, source)
    sued = source.replace("many of our members will not be able to keep their cars", "we will sue")
    article = (
        "Der Verbandschef Ali Brandt hat der Stadt gedroht: Sollten die Gebühren steigen, "
        "werde man klagen."
    )
    assert "speech_act_reframed" not in _kinds(article, sued)


def test_the_articles_next_sentence_going_on_with_the_speaker_is_no_cut() -> None:
    source = (
        "Press release, Orbit Outdoor Inc.: Orbit Outdoor reported revenue of $412 million. "
        "CEO Rita Brenner said: 'We are not satisfied with our margins. We expect shipping "
        "costs to ease in the coming months, but we are not changing our full-year guidance.' "
        "The company expects annual revenue of $1.6 billion."
    )
    article = (
        "„Wir sind mit unseren Margen nicht zufrieden“, sagte Vorstandschefin Rita Brenner. Sie "
        "erwarte, dass die Versandkosten in den kommenden Monaten sinken; an der "
        "Jahresprognose ändere das Unternehmen aber nichts."
    )
    assert "quote_cut" not in _kinds(article, source)


def test_a_lead_sentence_outside_every_unit_is_read_for_its_hedges() -> None:
    source = (
        'Port spokesperson Delia Marsh said: "We may have to suspend night operations at '
        'Terminal 3 for about three weeks while the old cranes are replaced."'
    )
    article = (
        "Der Hafen wird den Nachtbetrieb an Terminal 3 für rund drei Wochen einstellen. Grund "
        "ist der Austausch der alten Kräne, wie Hafensprecherin Delia Marsh mitteilte."
    )
    found = _findings(article, source)
    assert ("hedge_strengthened", article[: article.index(".")]) in found


def test_the_sentence_that_reports_a_unit_is_not_read_as_the_outlets_own() -> None:
    from newsaudit.compare.units import figure_units

    article = (
        "Die Grundschule bekommt im nächsten Jahr eine neue Turnhalle. Das sagte "
        "Bürgermeister Dieter Mahnke bei der Bürgerversammlung. Der Bau beginnt im Mai."
    )
    report = article_pipeline().run(load_given(article, "article", None).document)
    outlet = [article[u.start : u.end] for u in figure_units(report, article_units(report))]
    assert outlet == ["Der Bau beginnt im Mai"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Polizeichef Aled Hughes schloss nicht aus, dass die Einbrüche zusammenhängen",
        "Darauf deutet eine Studie der Universität Ashgrove hin",
        "Bei Verstößen droht ein Bußgeld von bis zu 5000 Euro",
        "Die Behörden stimmen zu, womit im Herbst gerechnet wird",
    ],
)
def test_german_hedges_in_other_word_orders(sentence: str) -> None:
    lowers = [t.lower for t in tokenize(sentence)]
    assert hedge_positions(lowers, [t.text for t in tokenize(sentence)])


def test_a_whole_the_source_names_without_a_quantifier_is_no_widened_scope() -> None:
    source = (
        'Press release, Orm Institute: "The institute opens its research centre in September. '
        'Around 120 researchers will work there once it is fully staffed."'
    )
    article = (
        "Das Orm-Institut eröffnet im September sein Forschungszentrum. Sind alle Stellen "
        "besetzt, sollen dort rund 120 Forscherinnen und Forscher arbeiten."
    )
    assert "scope_widened" not in _kinds(article, source)


def test_a_noun_before_its_relative_clause_opens_no_verb_first_condition() -> None:
    statement = "Landwirte, die eine gültige Sondergenehmigung besitzen, sind nicht betroffen."
    assert v1_condition_positions(tokenize(statement), statement) == []


def test_a_label_in_the_sentence_before_that_names_the_speaker_is_the_outlets() -> None:
    source = (
        "Aus dem Grußwort von Carla Weiß, Vorsitzende des Landesverbands der Hebammen: „Wir "
        "haben den Eindruck, dass die Abstimmung mit dem Ministerium schwieriger geworden ist. "
        "Wir sind jederzeit gesprächsbereit.“"
    )
    article = (
        "Die Vorsitzende des Hebammenverbands, Carla Weiß, hat das Ministerium scharf "
        "attackiert. Sie habe den Eindruck, dass die Abstimmung mit dem Ministerium "
        "schwieriger geworden sei. Der Verband sei aber jederzeit gesprächsbereit."
    )
    assert ("speech_act_reframed", "attackiert") in _findings(article, source)


def test_a_hedge_the_article_sentence_before_keeps_is_not_dropped() -> None:
    source = (
        "Stadtwerke Falkau, Mitteilung vom Montag: Wegen Bauarbeiten am Hochbehälter kann es am "
        "Mittwoch zwischen 8 und 14 Uhr im Stadtteil Kirchberg zu Unterbrechungen der "
        "Wasserversorgung kommen."
    )
    article = (
        "Im Falkauer Stadtteil Kirchberg kann es am Mittwoch zwischen 8 und 14 Uhr zu "
        "Unterbrechungen der Wasserversorgung kommen. Grund sind Bauarbeiten am Hochbehälter, "
        "wie die Stadtwerke am Montag mitteilten."
    )
    assert "hedge_strengthened" not in _kinds(article, source)


@pytest.mark.parametrize(
    ("sentence", "word", "doubt"),
    [
        ("Möglich wird das durch vier neue Busse.", "möglich", False),
        ("This was made possible by a grant.", "possible", False),
        ("Ein Ausbau ist möglich.", "möglich", True),
        ("Sie beantragt, eine zweite Variante prüfen zu lassen.", "prüfen", False),
        ("Die Stadt prüft eine zweite Variante.", "prüft", True),
        ("Zur Ursache können wir nichts sagen.", "können", False),
        ("Ganz ausschließen kann ich sie aber nicht.", "kann", True),
        ("Der Zug kann sich verspäten.", "kann", True),
    ],
)
def test_a_hedge_word_that_states_a_fact_is_no_doubt(sentence: str, word: str, doubt: bool) -> None:
    lowers = [t.lower for t in tokenize(sentence)]
    assert (not _no_doubt(lowers, lowers.index(word))) == doubt


def test_halten_fuer_gives_a_belief() -> None:
    assert _believes([t.lower for t in tokenize("Das Team hält den Fund für eine neue Art.")])
    assert not _believes([t.lower for t in tokenize("Halten Sie die Fenster geschlossen.")])


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Ganz ausschließen kann ich Kündigungen heute aber nicht.", 0),
        ("Kündigungen kann ich nicht völlig ausschließen.", 0),
        ("Ich will nicht verschweigen, dass wir ohne die Stiftung nichts zeigen könnten.", 2),
        ("Wir zeigen die Bilder nicht.", 1),
    ],
)
def test_negations_that_say_possibly_or_openly_are_no_negation(sentence: str, count: int) -> None:
    assert len(_plain_negations([t.lower for t in tokenize(sentence)])) == count


def test_a_condition_the_outlets_next_sentence_renders_in_other_words_is_kept() -> None:
    source_text = "Should sea conditions in the Brede Strait worsen, the ferry stays in port."
    article_text = (
        "Die Fähre werde Varn nicht anlaufen. Sie bleibe im Hafen, allerdings nur für den Fall, "
        "dass sich die See in der Brede-Straße verschlechtere."
    )
    clause = tokenize(source_text)[1:7]  # "sea conditions in the Brede Strait"
    near = tokenize(article_text, article_text.index("Sie"), len(article_text))
    source = SimpleNamespace(index=0, says=lambda t: t.lower not in {"in", "the"})
    alignment = SimpleNamespace(source=source)
    rendered_at = near[0].start
    article = ArticleView(article_text)
    assert not article.rendered_in(alignment, clause, near, outlet=True)
    article.retold_by = {(0, t.start): (0.8, rendered_at) for t in clause}
    assert article.rendered_in(alignment, clause, near, outlet=True)
    assert not article.rendered_in(alignment, clause, tokenize(article_text, 0, 35), outlet=True)


def test_a_fraction_in_the_article_limits_the_group() -> None:
    source = (
        "Museum Auenried, Pressemitteilung: 90 Gemälde aus drei Jahrhunderten sind in der neuen "
        "Schau zu sehen. Mehr als die Hälfte davon stammt aus dem eigenen Depot."
    )
    article = (
        "Das Museum Auenried zeigt in seiner neuen Schau Gemälde aus drei Jahrhunderten. Mehr "
        "als die Hälfte der Bilder kommt aus dem eigenen Depot, teilte das Museum mit."
    )
    assert "scope_widened" not in _kinds(article, source)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("zwischen 6 und 20 Uhr", [("clock", 6.0), ("clock", 20.0)]),
        ("zwischen sechs Uhr morgens und acht Uhr abends", [("clock", 6.0), ("clock", 20.0)]),
        ("kurz nach elf Uhr nachts", [("clock", 23.0)]),
        ("um zwei Uhr nachts", [("clock", 2.0)]),
        ("zwischen 3 und 4 Prozent", [("count", 3.0), ("count", 4.0)]),
        ("drei Dezimeter", [("length", 0.30000000000000004)]),
    ],
)
def test_hours_of_a_span_and_of_the_evening_and_decimetres(
    text: str, values: list[tuple[str, float]]
) -> None:
    assert [(f.kind, f.value) for f in figures(tokenize(text), text)] == values


def test_the_question_put_to_the_speaker_is_not_added_to_his_words() -> None:
    source = (
        "Press conference after the match.\nReporter (Jana Kolb, Ostbach Kurier): Coach, is "
        "the promotion race over for you?\nCoach Milan Aris: I would not say that. Nine "
        "games are left and four points is not much."
    )
    article = (
        "Ostbachs Trainer Milan Aris hat den Aufstieg nicht abgeschrieben. Auf die Frage "
        "einer Reporterin des „Ostbach Kurier“, ob das Rennen um den Aufstieg damit "
        "entschieden sei, sagte Aris, so würde er das nicht sagen. Vier Punkte seien nicht "
        "viel, es stünden noch neun Spiele aus."
    )
    assert "content_added" not in _kinds(article, source)


def test_a_figure_in_another_unit_is_the_sources_not_added() -> None:
    source = (
        "ARLE COUNTY FLOOD SERVICE – UPDATE 5:10 a.m. Heavy rain overnight has caused the Arle "
        "River to rise to 3.6 metres at the Tenby gauge, 40 centimetres below the level at "
        "which the old town is flooded. Forecasters expect more rain before noon. Schools "
        "will open as normal."
    )
    article = (
        "Nach starken nächtlichen Regenfällen ist der Fluss Arle am Pegel Tenby auf 3,60 Meter "
        "gestiegen – und liegt damit nur vier Dezimeter unter der Marke, ab der die Altstadt "
        "überflutet wird. Das teilte der Hochwasserdienst des Landkreises Arle am frühen "
        "Morgen mit. Bis zum Mittag werde weiterer Regen erwartet. Die Schulen öffnen regulär."
    )
    assert "content_added" not in _kinds(article, source)


def test_a_cut_off_label_no_passage_renders_is_too_short_for_the_learned_layer() -> None:
    def unit(text: str) -> SimpleNamespace:
        return SimpleNamespace(passage=SimpleNamespace(tokens=tokenize(text)))

    assert _too_short(unit("Als Grund"))
    assert not _too_short(unit("einen Einbruch der Aufträge aus dem Wohnungsbau"))
