"""The German and English word lists every change detector reads.

WHY word lists: a fact-checker must see why a passage was flagged, and "the source says
'could', the article does not hedge" is an explanation; a classifier score is not. The
lists are matched on lower-cased tokens (``Token.lower``); entries with a space are phrases
matched on consecutive tokens, entries ending in ``*`` are prefixes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def phrases(*items: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(item.split()) for item in items)


# Possibility and uncertainty: what a careful speaker says instead of "will".
HEDGES = words(
    """
    could might may perhaps possibly maybe probably likely unlikely potentially possible
    conceivably presumably apparently expect expects expected believe believes think thinks
    fear fears feared consider considering risk risks
    könnte könnten könne können kann möglicherweise vielleicht eventuell womöglich
    wahrscheinlich vermutlich möglich mögliche möglichen unwahrscheinlich dürfte dürften
    erwartet erwarte erwarten rechnet rechne rechnen glaubt glaube glauben befürchtet
    befürchte befürchten fürchtet fürchte erwägt erwäge erwägen prüft prüfe prüfen
    überlegt überlege risiko gefahr wohl
    estimate estimates estimated einschätzung einschätzungen ansicht auffassung
    schätzung schätzungen schätzt schätzen geschätzt
    conceivable seem seems seemed appear appears appeared suppose supposedly assume
    assumes uncertain unclear allegedly reportedly
    denkbar vorstellbar voraussichtlich mutmaßlich vermuten vermutet vermute anscheinend
    offenbar scheint scheinen schien unklar ungewiss angeblich
    gerechnet droht drohen drohe
    """
)
HEDGE_PHRASES = phrases(
    "nicht ausgeschlossen",
    "nicht auszuschließen",
    "not ruled out",
    "cannot rule out",
    "can't rule out",
    "cannot be ruled out",
    "unter umständen",
    "gehen davon aus",
    "geht davon aus",
    "a chance that",
    "deutet darauf hin",
    "deuten darauf hin",
    "deutete darauf hin",
    "deuteten darauf hin",
    "darauf deutet",
    "darauf deuten",
    "darauf deutete",
    "darauf deuteten",
    "schloss nicht aus",
    "schlossen nicht aus",
    "schließt nicht aus",
    "schließen nicht aus",
    "deutet einiges darauf hin",
    "spricht einiges dafür",
    "einiges spricht dafür",
    "nicht klar",
    "not clear",
    "nicht sicher",
    "not sure",
    "not certain",
    "noch offen",
    "still open",
    "nicht fest",
    "not known",
)
# Words that open an open question ("Ob der Patient wieder laufen kann, werden die
# nächsten Monate zeigen"): what they govern is left open, like a hedge.
OPEN_QUESTION = words("ob whether")
# Words of danger that hedge ("the risk of flooding"), and none when negated ("not at
# risk", "keine Gefahr").
DANGER = words("risk risks risiko gefahr")
# Verbs of expecting: "müssen mit Verzögerungen rechnen" says "should expect delays", no
# obligation.
EXPECTING = words("rechnen rechnet rechne expect expects")
# Modals of ability ("wieder laufen können"): no hedge that keeps a question open.
ABILITY = words("can kann können könne")
# "möglich" with a verb of making is enablement, no doubt ("Möglich wird das durch ...",
# "made possible by").
POSSIBLE = words("möglich possible")
MADE = words("wird werden wurde wurden macht machen machte gemacht made makes make")
# "halten ... für": to think ("halte den Fund für neu"), a hedge in the article's words.
HOLD_FOR = words("halte hält halten hielt hielten")
# Verbs of concealing: negated ("nicht verschweigen"), they say something openly.
CONCEAL = words("verschweigen verhehlen verheimlichen verbergen hide conceal")
# Stems of "ausschließen": negated ("nicht auszuschließen"), it says "possibly".
RULED_OUT = ("ausschließ", "ausschliess", "auszuschließ", "auszuschliess", "ausgeschlossen")
# Modal words that make a statement an obligation or a certainty.
STRONG = words(
    """
    must certainly definitely surely undoubtedly inevitably
    muss müsse müssen sicher sicherlich zweifellos definitiv garantiert zwangsläufig
    unweigerlich bestimmt
    """
)
STRONG_PHRASES = phrases("have to", "has to", "auf jeden fall", "ohne zweifel")
# Obligation words a source may use where the article says "must".
SHOULD = words("should ought sollte sollten solle sollen")

CONDITIONS = words(
    """
    if unless provided providing whenever
    wenn falls sofern sollte sollten vorausgesetzt andernfalls sonst otherwise solange
    """
)
CONDITION_PHRASES = phrases(
    "as long as",
    "in case",
    "on condition",
    "only if",
    "es sei denn",
    "unter der bedingung",
    "im fall",
    "im falle",
    "für den fall",
    "in the event",
    "assuming that",
)
# A sentence right after a statement that makes it conditional in retrospect ("That
# assumes the geologists find no more water", "Das setzt voraus, dass ..."): when the
# article keeps the statement and leaves this sentence out, it drops a condition.
CONDITION_AFTER = phrases(
    "that assumes",
    "this assumes",
    "that presupposes",
    "this presupposes",
    "that depends on",
    "this depends on",
    "it depends on",
    "that is only if",
    "this is only if",
    "only if",
    "provided",
    "assuming",
    "das setzt voraus",
    "das setze voraus",
    "dies setzt voraus",
    "dies setze voraus",
    "das hängt davon ab",
    "das hänge davon ab",
    "dies hängt davon ab",
    "es hängt davon ab",
    "es hänge davon ab",
    "das gilt nur",
    "das gelte nur",
    "dies gilt nur",
    "voraussetzung ist",
    "voraussetzung sei",
    "voraussetzung dafür ist",
    "voraussetzung dafür sei",
    "vorausgesetzt",
    "nur wenn",
    "aber nur",
    "allerdings nur",
)
# "if" after these words asks a question ("asked if"), it sets no condition.
NOT_CONDITION_BEFORE = words("ask asked asks asking wonder wondered see know knew decide whether")

NEGATIONS = words(
    """
    not no never none nobody nothing neither nor cannot can't won't don't doesn't didn't
    isn't aren't wasn't weren't haven't hasn't hadn't shouldn't wouldn't couldn't without
    deny denies denied
    nicht kein keine keiner keines keinen keinem nie niemals nichts niemand weder ohne
    bestreitet bestritt bestreiten dementiert dementierte dementieren
    """
)
NEGATION_SUFFIX = "n't"
# Verbs that negate what they govern ("decided against paying a dividend" = "will not
# pay one", "verzichtet auf eine Dividende"): one negation each.
NEGATING_VERBS = words(
    """
    refuse refuses refused verzichtet verzichten verzichtete verzichteten verweigert
    verweigerte verweigern weigert weigerte weigern
    """
)
NEGATING_PHRASES = phrases(
    "decided against",
    "decide against",
    "decides against",
    "declined to",
    "declines to",
    "decline to",
    "entschied sich gegen",
    "entschieden sich gegen",
    "sich dagegen entschieden",
)
# A condition that negates ("unless it rains" = "if it does not rain"): one negation each,
# so "Sollte es nicht bald regnen" renders "Unless it rains soon".
NEGATING_CONDITIONS = phrases("unless", "es sei denn")

# Words that claim everything or everywhere.
# Words that say a whole is meant without a universal quantifier ("once it is fully
# staffed" for "Sind alle Stellen besetzt").
WHOLLY = words("fully completely entirely wholly vollständig vollzählig komplett")
UNIVERSALS = words(
    """
    all every each entire whole everywhere always nationwide countrywide worldwide
    throughout everyone everybody everything
    alle allen aller sämtliche sämtlichen sämtlicher jede jeder jedes jeden jedem ganz
    ganze ganzen ganzer ganzes gesamte gesamten gesamter gesamtes überall immer stets
    ausnahmslos bundesweit landesweit flächendeckend weltweit europaweit deutschlandweit
    jedermann täglich tägliche täglichen daily
    """
)
# Quantifiers that limit a statement to part of a group ("some parents"): an article that
# keeps the group but drops them ("Die Eltern") widens its scope.
PARTIAL = words(
    """
    some several few many certain various
    einige einigen einiger mehrere mehreren manche manchen wenige wenigen viele vielen
    einzelne einzelnen etliche etlichen zahlreiche zahlreichen
    """
)
# Words that limit a statement to what follows them ("only in the north", "nur zwei"),
# and the stems of words that render such a limit in other words ("die einzige Schule").
RESTRICTIVES = words("only merely solely exclusively nur lediglich ausschließlich bloß")
SOLE = ("einzig", "sole", "alleinig")
# Nouns of a fraction or share ("die Hälfte der Stücke"): the article limits the group.
FRACTIONS = words(
    """
    hälfte drittel viertel fünftel zehntel großteil mehrheit minderheit anteil
    half third quarter majority minority share
    """
)
PARTIAL_PHRASES = phrases("a few", "a number of", "ein paar", "ein teil", "einem teil", "teil der")
DEFINITE = words("the der die das den dem des")
# Words before a cardinal that make its group a known one ("the two boats", "unsere drei").
DETERMINED = DEFINITE | words(
    "these those our their its his her diese dieser diesen unsere unserer unseren ihre "
    "ihrer ihren seine seiner seinen"
)
# Words between a quantifier and its group's noun that make the group a part of a known
# whole ("drei unserer neun Bibliotheken", "two of the five schools").
PARTITIVE = DETERMINED | words("of")
# Universal-looking words in fixed phrases that quantify nothing.
NOT_UNIVERSAL = phrases(
    "vor allem",
    "allen voran",
    "alles in allem",
    "trotz allem",
    "immer noch",
    "noch immer",
    "immer mehr",
    "immer wieder",
    "immer weniger",
    "wie immer",
    "ganz klar",
    "ganz gut",
    "ganz besonders",
    "above all",
    "after all",
    "at all",
    "all but",
    "all the more",
    "all right",
    "as always",
    "each other",
    "jeden fall",
    "auf jeden",
)

# Speech acts an outlet may put on a speaker's words, and what the source needs to say
# for the label to fit. Keys are the act; "frame" entries are article words (prefixes).
SPEECH_ACTS: dict[str, dict[str, object]] = {
    "threat": {
        "label": "a threat",
        "frame": (
            "drohung*",
            "drohte",
            "droht",
            "drohten",
            "gedroht",
            "bedroht*",
            "androh*",
            "threat*",
        ),
        "support": words(
            "threat threaten threatens threatened drohen drohe drohung"
            " retaliate retaliation vergeltung"
        ),
        "needs_commitment": True,
        # an announced action threatens only when it would cost the addressee something
        # or is tied to a condition ("we will sue if ..."); "I will meet them" does not
        "needs_sanction": True,
    },
    "admission": {
        "label": "an admission",
        "frame": (
            "eingeständnis*",
            "eingestehen",
            "eingestanden",
            "gestand",
            "gesteht",
            "geständnis*",
            "zugeben",
            "zugegeben",
            "zugab",
            "einräumte",
            "eingeräumt",
            "einräumen",
            "admission*",
            "admitted",
            "admits",
            "conceded",
            "confessed",
            "confession*",
        ),
        "frame_phrases": phrases(
            "gab zu", "gibt zu", "räumte ein", "räumt ein", "gestand ein", "gesteht ein"
        ),
        "support": words(
            "admit admits admitted acknowledge acknowledged concede conceded confess confessed"
            " mistake mistakes error errors fault wrong regret regrets sorry apologise apologize"
            " apologised apologized failed failure zugeben eingestehen einräumen fehler"
            " fehlers schuld bedauern bedaure bedauert entschuldigen entschuldige versäumt"
            " versagt gestehen gestanden"
        ),
        "needs_commitment": False,
    },
    "demand": {
        "label": "a demand",
        "frame": (
            "forderung*",
            "forderte",
            "fordert",
            "verlangte",
            "verlangt",
            "ultimatum*",
            "demanded",
            "demands",
        ),
        "support": words(
            "must should need needs demand demands demanded urge urged call calls called"
            " ask asked müssen muss müsse sollen sollte sollten fordern fordere fordert"
            " verlangen verlange auffordern appellieren brauchen"
        ),
        "needs_commitment": False,
    },
    "accusation": {
        "label": "an accusation",
        "frame": (
            "vorwurf*",
            "beschuldigt*",
            "bezichtigt*",
            "unterstellte",
            "unterstellt",
            "unterstellten",
            "vorgeworfen",
            "accused",
            "accuses",
        ),
        "frame_phrases": phrases("warf vor", "wirft vor", "warfen vor", "werfen vor"),
        "support": words(
            "accuse accuses accused accusation blame blamed fault vorwerfen vorwurf vorwürfe"
            " schuld beschuldigen lied lie lies lüge gelogen deliberately absichtlich"
        ),
        "needs_commitment": False,
        # a charge stated outright ("has broken its promise") is one; a view the speaker
        # hedges ("I think the ministry did not have ...") is not
        "unless_hedged": True,
    },
    "attack": {
        "label": "an attack",
        "frame": ("attackiert*", "wetterte", "wettert", "schimpfte", "schimpft", "polemisiert*"),
        "frame_phrases": phrases("griff an", "greift an", "ging an"),
        "support": words(
            "attack attacks attacked outrageous scandal disgrace disgraceful shameful"
            " incompetent ridiculous absurd skandal skandalös unverschämt unverschämtheit"
            " frechheit lächerlich absurd inkompetent schande"
        ),
        "needs_commitment": False,
    },
    "boast": {
        "label": "boasting",
        "frame": ("prahlte", "prahlt", "brüstete", "brüstet", "boasted", "bragged"),
        "frame_phrases": phrases("gab an", "gibt an"),
        "support": words(
            "proud boast boasted brag bragged best record stolz prahlen rekord großartig"
            " beste besten"
        ),
        "needs_commitment": False,
    },
    "refusal": {
        "label": "a refusal",
        "frame": ("verweigert*", "weigert*", "refused", "refuses", "rebuffed"),
        "frame_phrases": phrases(
            "lehnte ab", "lehnt ab", "lehnten ab", "erteilte eine absage", "schlug aus"
        ),
        "support": words(
            "refuse refuses refused reject rejects rejected decline declined no not won't"
            " cannot can't nein nicht kein keine keinen ablehnen lehne lehnen abgelehnt"
            " verweigern weigern absage"
        ),
        "needs_commitment": False,
    },
    "defence": {
        "label": "a defence against criticism",
        "frame": ("verteidigte", "verteidigt", "rechtfertigte", "rechtfertigt", "defended"),
        "support": words(
            "criticism critics criticised criticized accusation accusations accused complain"
            " complaints blame defend defended justified justify unfair wrong kritik kritiker"
            " kritisiert vorwurf vorwürfe beschwerden verteidigen rechtfertigen gerechtfertigt"
            " unfair falsch"
        ),
        "needs_commitment": False,
    },
    "promise": {
        "label": "a promise",
        "frame": (
            "versprach",
            "verspricht",
            "versprechen",
            "versprochen",
            "garantierte",
            "promised",
            "guaranteed",
            "vowed",
        ),
        "frame_phrases": phrases("sicherte zu", "sagte zu"),
        "support": words(
            "promise promised promises guarantee guaranteed commit committed vow pledge"
            " versprechen verspreche garantieren garantiere zusagen zusichern"
        ),
        "needs_commitment": True,
    },
}
# What an announced action must hold to threaten: a sanction against the addressee.
SANCTIONS = words(
    """
    sue court legal lawsuit stop end cancel terminate withdraw punish sanction sanctions
    consequences penalty penalties fine fines ban close shut cut fire dismiss strike
    boycott retaliate retaliation force expel evict revoke
    klage klagen verklagen gericht kündigen streichen stoppen beenden sanktionen
    konsequenzen strafe strafen verbieten schließen entlassen streiken boykott entziehen
    zurückziehen ausschließen
    """
)
# Manner words the outlet gives a speaker's way of speaking ("verteidigte trotzig"), with
# the source stems that would support each.
MANNER: dict[str, tuple[str, ...]] = {
    "trotzig": ("defian", "trotz", "stubborn"),
    "kleinlaut": ("sheepish", "meek", "kleinlaut"),
    "zerknirscht": ("contrite", "remorse", "zerknirscht", "sorry", "regret", "bedauer"),
    "genervt": ("annoy", "irritat", "genervt"),
    "gereizt": ("annoy", "irritat", "gereizt"),
    "süffisant": ("smug", "süffisant"),
    "arrogant": ("arrogan",),
    "herablassend": ("condescend", "herablassend"),
    "triumphierend": ("triumph",),
    "höhnisch": ("mock", "scorn", "höhn"),
    "spöttisch": ("mock", "spott", "spött"),
    "patzig": ("curt", "snap", "patzig"),
    "schnippisch": ("curt", "snap", "schnippisch"),
    "beleidigt": ("offend", "insult", "beleidig"),
    "sichtlich": ("visibl", "sichtlich"),
    "hämisch": ("gloat", "malic", "hämisch"),
    "drohend": ("threat", "droh"),
}
FIRST_PERSON = words("i we us our ich wir uns unser unsere")
FIRST_PERSON_SUBJECTS = words("i we ich wir")
FUTURE = words("will shall 'll going werden werde wollen wird")

# What a quote loses when it is cut out of its sentence: someone else's view, a
# rebuttal, or a denial around it.
FOREIGN_VIEW = phrases(
    "critics claim",
    "critics say",
    "critics argue",
    "some people say",
    "some say",
    "some claim",
    "people say",
    "others say",
    "opponents say",
    "opponents claim",
    "there are rumours",
    "there are rumors",
    "it is said",
    "rumours that",
    "rumors that",
    "one could say",
    "one might say",
    "you could say",
    "you might say",
    "kritiker behaupten",
    "kritiker sagen",
    "kritiker meinen",
    "manche sagen",
    "manche behaupten",
    "einige sagen",
    "es heißt",
    "es gibt gerüchte",
    "gerüchte dass",
    "man könnte sagen",
    "man kann sagen",
    "man könnte meinen",
)
DENIED_FRAME = phrases(
    "it is not true",
    "it's not true",
    "it is wrong to say",
    "it is false",
    "i do not think",
    "i don't think",
    "i do not believe",
    "i don't believe",
    "es ist nicht wahr",
    "es stimmt nicht",
    "es ist falsch",
    "ich glaube nicht",
    "das ist nicht wahr",
)
# Verbs that report a view ("Some analysts write that", "Die Opposition behauptet,", "Man
# hört oft,"): before the words a quote keeps, with someone else as subject or with the
# speaker's negation, the words are that view, not the speaker's claim.
VIEW_VERBS = words(
    """
    say says said claim claims claimed write writes wrote argue argues believe believes
    think thinks suggest suggests allege alleges assert asserts insist insists hear
    conclude concludes concluded infer infers inferred
    schließt schließen folgert folgern
    sagen sagt behaupten behauptet meinen meint schreiben schreibt glauben glaubt hört
    heißt unterstellen unterstellt spekulieren spekuliert vermuten vermutet sehen sieht
    """
)
# Subjects that make a view someone else's even without "that" ("Many say the reform ...").
OTHERS = words(
    """
    many some critics people others opponents observers analysts commentators experts
    man viele manche einige kritiker gegner beobachter leute andere experten analysten
    kommentatoren wer whoever anyone
    """
)
# Words that open a concession ("Although exports rose, the economy is shrinking"): the
# clause they open grants a point, the speaker's claim is the rest of the sentence.
CONCESSIVES = phrases(
    "although",
    "though",
    "even though",
    "whereas",
    "obwohl",
    "obgleich",
    "obschon",
    "wenngleich",
    "auch wenn",
)
REBUTTAL = phrases(
    "but",
    "however",
    "that would be",
    "that is not",
    "that's not",
    "that is wrong",
    "i do not share",
    "i don't share",
    "aber",
    "doch",
    "jedoch",
    "allerdings",
    "dennoch",
    "trotzdem",
    "nevertheless",
    "das wäre",
    "das ist falsch",
    "das stimmt nicht",
    "das teile ich nicht",
)
# Words that limit what came just before them ("The merger will save money in the long
# run"): a quote that stops before them claims more than the speaker did.
QUALIFIERS = phrases(
    "in the long run",
    "in the long term",
    "eventually",
    "only",
    "at first",
    "langfristig",
    "auf lange sicht",
    "auf dauer",
    "erst",
    "nur",
    "zunächst",
)

# Words that say more than a neutral report would: violence, guilt, extremism. Each
# article stem lists the source words (stems, both languages) that would support it.
LOADED: dict[str, tuple[str, ...]] = {
    "abgeschossen": ("shot", "shoot", "downed", "abgeschossen", "abschuss", "abschießen"),
    "abschuss": ("shot", "shoot", "downed", "abgeschossen", "abschuss", "abschießen"),
    "abschießen": ("shot", "shoot", "downed", "abgeschossen", "abschuss", "abschießen"),
    "getötet": ("kill", "dead", "death", "died", "getötet", "tot", "töt"),
    "ermordet": ("murder", "ermord", "mord"),
    "massaker": ("massacre", "massaker"),
    "zerstört": ("destroy", "destruct", "zerstör"),
    "vernichtet": ("destroy", "annihilat", "vernicht"),
    "terrorist": ("terror", "extremis", "militant"),
    "extremist": ("extremis",),
    "linksextrem": ("left-wing", "extremis", "linksextrem", "far-left"),
    "rechtsextrem": ("right-wing", "extremis", "rechtsextrem", "far-right"),
    "randalierer": ("riot", "vandal", "hooligan", "randal"),
    "chaoten": ("riot", "vandal", "chaot"),
    "lüge": ("lie", "lied", "lying", "lüg"),
    "gelogen": ("lie", "lied", "lying", "lüg", "gelogen"),
    "skandal": ("scandal", "skandal"),
    "verrat": ("betray", "treason", "verrat"),
    "kriegsverbrech": ("war crime", "kriegsverbrech"),
    "völkermord": ("genocide", "völkermord"),
    "invasion": ("invasion", "invade", "invasion"),
    "diktat": ("dictat", "diktat"),
    "katastrophe": ("catastroph", "disaster", "katastroph"),
    "versagen": ("fail", "versag"),
    "gescheitert": ("fail", "collaps", "gescheitert", "scheiter"),
    "gewaltbereit": ("violen", "gewalt", "militant", "aggress"),
    "gewalttätig": ("violen", "gewalt", "militant", "aggress"),
    "radikal": ("radical", "extrem", "radikal"),
    "krawall": ("riot", "krawall", "randal"),
    "brutal": ("brutal", "violen", "gewalt"),
    "hetze": ("hate", "incite", "hetz"),
    "propaganda": ("propaganda",),
    # feelings and states the outlet gives the people it reports on ("wütende Beschäftigte")
    "wütend": ("angry", "anger", "furious", "rage", "wut", "wütend", "zorn"),
    "zornig": ("angry", "anger", "furious", "rage", "wut", "wütend", "zorn"),
    "aufgebracht": ("angry", "upset", "furious", "outrage", "aufgebracht", "empör", "wut"),
    "empört": ("outrage", "indignant", "angry", "empör"),
    "verzweifelt": ("desperat", "despair", "verzweifel"),
    "panisch": ("panic", "panik", "panisch"),
    "hysterisch": ("hysteri",),
    "chaotisch": ("chaos", "chaotic", "chaot"),
    "schockiert": ("shock", "schock"),
    "entsetzt": ("horrif", "appall", "shock", "entsetz"),
    "fanatisch": ("fanatic", "fanati"),
    "skrupellos": ("unscrupulous", "ruthless", "skrupellos"),
    "marode": ("dilapidated", "crumbling", "decrepit", "rotten", "marode", "desolat"),
}


# Words that say what a speaker is, never who: grouped by the role they name, so that a
# transcript label ("SPOKESPERSON") can meet the article's "Sprecher". Entries starting
# with ``*`` are German compound heads ("Gesundheitsministerin", "Landrätin").
ROLES: dict[str, frozenset[str]] = {
    role: words(entries)
    for role, entries in {
        "spokesperson": "spokesperson spokesman spokeswoman spokespeople *sprecher *sprecherin",
        "minister": "minister secretary *minister *ministerin *sekretär *sekretärin",
        "mayor": "mayor *bürgermeister *bürgermeisterin",
        "president": "president *präsident *präsidentin",
        "chair": "chair chairman chairwoman chairperson *vorsitzende *vorsitzender *vorsitzenden",
        "head": "head chief ceo director manager boss *chef *chefin *leiter *leiterin "
        "*direktor *direktorin *manager *managerin *geschäftsführer *geschäftsführerin",
        "leader": "leader *führer *führerin",
        "chancellor": "chancellor premier *kanzler *kanzlerin",
        "councillor": "councillor councilor *rat *rätin *dezernent *dezernentin",
        "governor": "governor *gouverneur *gouverneurin",
        "judge": "judge *richter *richterin",
        "prosecutor": "prosecutor *staatsanwalt *staatsanwältin",
        "coach": "coach *trainer *trainerin",
        "captain": "captain *kapitän *kapitänin",
        "officer": "officer official commissioner general colonel commander "
        "*kommissar *kommissarin *beauftragte *beauftragter *general *oberst",
        "expert": "expert scientist researcher economist analyst engineer doctor professor "
        "*experte *expertin *forscher *forscherin *ökonom *ökonomin *ingenieur "
        "*ingenieurin *arzt *ärztin *loge *login *professor *professorin",
        "treasurer": "treasurer *kämmerer *kämmerin",
        "ambassador": "ambassador *botschafter *botschafterin",
        "asker": "question questioner q reporter journalist moderator interviewer host "
        "frage *reporter *reporterin *journalist *journalistin *moderator *moderatorin",
    }.items()
}
# Courtesy titles: part of how a person is addressed, not of the name.
HONORIFICS = words("mr mrs ms miss sir dr prof herr frau")
# A compound head needs this many letters before it ("Landrat", not "Murat").
COMPOUND_PREFIX = 3


@lru_cache(maxsize=65536)
def roles_of(word: str) -> frozenset[str]:
    """The roles a lower-cased word names: an English role word, or a German compound
    ending in a role head."""
    found = set()
    for role, entries in ROLES.items():
        for entry in entries:
            if entry.startswith("*"):
                head = entry[1:]
                if word == head or (
                    word.endswith(head) and len(word) - len(head) >= COMPOUND_PREFIX
                ):
                    found.add(role)
                    break
            elif word == entry:
                found.add(role)
                break
    return frozenset(found)


def phrase_positions(
    tokens: Sequence[str], patterns: Iterable[tuple[str, ...]]
) -> list[tuple[int, int]]:
    """(first, last + 1) token positions of each pattern occurrence in lower-cased tokens."""
    found = []
    for pattern in patterns:
        n = len(pattern)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == pattern:
                found.append((i, i + n))
    return found


def matches_prefix(token: str, entries: Iterable[str]) -> bool:
    """Whether a lower-cased token equals an entry, or starts with an entry ending in '*'."""
    for entry in entries:
        if entry.endswith("*"):
            if token.startswith(entry[:-1]):
                return True
        elif token == entry:
            return True
    return False
