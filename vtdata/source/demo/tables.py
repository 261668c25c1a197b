"""The ten demo tables, described declaratively in the vocabulary of `spec.py`.

Titles follow what is known of the real StatLine tables; where nothing is known,
titles are plausible inventions. Shares are (adviezen, meldingen) where the two
differ: advice is mostly asked by citizens, reports come mostly from the police.
"""

from __future__ import annotations

from vtdata.source.demo.spec import Cat, Dimension, Regional, Split, TableSpec, Topic, TopicGroup

ALL_LEVELS = ("NL", "LD", "PV", "VT", "GM")
VT_TABLE_LEVELS = ("NL", "VT")
REGIO_TABLE_LEVELS = ("NL", "LD", "PV", "GM")


def am(adviezen: float, meldingen: float) -> dict[str, float]:
    """Shares that differ between adviezen and meldingen."""
    return {"adviezen": adviezen, "meldingen": meldingen}


ADVIEZEN_MELDINGEN = (
    Topic("Gestarte adviezen", "adviezen", description="Aantal adviezen dat Veilig Thuis in de periode is gestart."),
    Topic("Ontvangen meldingen", "meldingen", description="Aantal meldingen dat Veilig Thuis in de periode heeft ontvangen."),
)

KENMERKEN = Dimension(
    "KenmerkenAdviezenMeldingen",
    "Kenmerken adviezen/meldingen",
    Cat("Totaal", splits=(
        Split(group="Rol/functie adviesvrager/melder", description="Rol of functie van degene die advies vraagt of meldt.", parts=(
            Cat("Niet beroepsmatig totaal", am(0.55, 0.12), splits=(Split((
                Cat("Niet beroepsmatig: betrokkene zelf", am(0.30, 0.35)),
                Cat("Niet beroepsmatig: familielid", am(0.40, 0.35)),
                Cat("Niet beroepsmatig: buurtbewoner, kennis", am(0.20, 0.20)),
                Cat("Niet beroepsmatig: anders", am(0.10, 0.10)),
            )),)),
            Cat("Beroepsmatig totaal", am(0.45, 0.88), splits=(
                Split((
                    Cat("Beroep: politie", am(0.04, 0.72)),
                    Cat("Beroep: medisch: huisarts", am(0.12, 0.03)),
                    Cat("Beroep: medisch: verpleegkundige", am(0.10, 0.02)),
                    Cat("Beroep: kinderopvang: totaal", am(0.05, 0.01)),
                    Cat("Beroep: onderwijs: leerkracht", am(0.18, 0.03)),
                    Cat("Beroep: maatschappelijk werk", am(0.22, 0.07)),
                    Cat("Beroep: jeugdzorg", am(0.14, 0.06)),
                    Cat("Beroep: anders", am(0.15, 0.06)),
                )),
                # the organisation is that of the professional adviesvrager/melder
                Split(group="Organisatie adviesvrager/melder", description="Organisatie waar de beroepsmatige adviesvrager of melder werkt.", parts=(
                    Cat("Gezondheidszorg: totaal", am(0.25, 0.05)),
                    Cat("Geestelijke gezondheidszorg: totaal", am(0.08, 0.02)),
                    Cat("Kinderopvang", am(0.04, 0.005)),
                    Cat("Onderwijs: totaal", am(0.22, 0.03)),
                    Cat("Bureau Leerplicht", am(0.02, 0.005)),
                    Cat("Jeugdzorg: totaal", am(0.15, 0.05)),
                    Cat("Justitie en veiligheid: totaal", am(0.06, 0.76), vt_spread=0.05),
                    Cat("Anders: Veilig Thuis: andere regio", am(0.02, 0.03)),
                    Cat("Anders: VT: inzet regionaal maatwerk", am(0.01, 0.01), vt_spread=0.5),
                    Cat("Andere organisatie: anders", am(0.15, 0.04)),
                )),
            )),
        )),
        Split(group="Duur geweld", description="Hoe lang het geweld al duurde toen Veilig Thuis werd ingeschakeld.", parts=(
            Cat("Korter dan 6 maanden", am(0.25, 0.30)),
            Cat("6 maanden tot 2 jaar", am(0.20, 0.20)),
            Cat("2 jaar of langer", am(0.30, 0.25)),
            Cat("Onbekend", am(0.25, 0.25)),
        )),
    )),
    code_prefix="A0",
    code_start=48201,
    description="Kenmerken van de adviesvrager of melder en van het geweld.",
)

AARD = Dimension(
    "AardGeweldAanvullendeInformatie",
    "Aard geweld, aanvullende informatie",
    Cat("Totaal", splits=(
        Split(group="Aard geweld", description="De belangrijkste vorm van geweld waarover advies is gevraagd of gemeld.", parts=(
            Cat("Kindermishandeling: totaal", am(0.45, 0.42), splits=(Split((
                Cat("Kindermishandeling: lichamelijke mishandeling", 0.20),
                Cat("Kindermishandeling: psychische mishandeling", 0.15),
                Cat("Kindermishandeling: lichamelijke verwaarlozing", 0.10),
                Cat("Kindermishandeling: psychische verwaarlozing", 0.09),
                Cat("Kindermishandeling: seksueel misbruik", 0.06),
                Cat("Kindermishandeling: getuige van huiselijk geweld", 0.40),
            )),)),
            Cat("Partnergeweld", am(0.22, 0.28)),
            Cat("Ex-partnergeweld", am(0.12, 0.13)),
            Cat("Ouderenmishandeling", am(0.06, 0.04), vt_spread=0.2),
            Cat("Geweld tegen ouders", am(0.04, 0.04)),
            Cat("Eergerelateerd geweld", am(0.01, 0.005), vt_spread=0.4),
            Cat("Huwelijksdwang", am(0.003, 0.002)),
            Cat("Overig huiselijk geweld", am(0.097, 0.083)),
        )),
        Split(group="Aanvullende informatie", exclusive=False,
              description="Bijkomende problematiek; meer antwoorden mogelijk, de categorieën tellen niet op tot het totaal.", parts=(
            Cat("Problematische scheiding", am(0.15, 0.12)),
            Cat("Verslavingsproblematiek", am(0.08, 0.12)),
            Cat("Psychiatrische problematiek", am(0.12, 0.14)),
            Cat("Licht verstandelijke beperking", am(0.04, 0.05)),
            Cat("Financiële problemen", am(0.07, 0.08)),
            Cat("Huisvestingsproblemen", am(0.04, 0.05)),
            Cat("Stalking", am(0.03, 0.03)),
        )),
    )),
    code_prefix="A0",
    code_start=48401,
    description="Vorm van het geweld en aanvullende informatie over de situatie.",
)

VEILIGHEIDSTAXATIE = Dimension(
    "Veiligheidstaxatie",
    "Veiligheidstaxatie",
    Cat("Totaal", splits=(Split((
        # acute onveiligheid differs clearly between regions, and stands out in Haaglanden
        Cat("Acute onveiligheid", 0.075, regional=(Regional("VT09", 2.0),)),
        Cat("Structurele onveiligheid", 0.30),
        Cat("Geen acute of structurele onveiligheid", 0.53),
        Cat("Onbekend/niet getaxeerd", 0.095, vt_spread=0.2),
    )),)),
    code_prefix="",
    code_start=1012601,
    description="Taxatie van de veiligheid bij de ontvangen melding.",
)

VEILIGHEIDSBEOORDELING = Dimension(
    "Veiligheidsbeoordeling",
    "Veiligheidsbeoordeling",
    Cat("Totaal", splits=(Split((
        Cat("Vervolgstappen beleggen bij Veilig Thuis", 0.30),
        Cat("Overdracht", 0.35),
        Cat("Geen vervolgstappen nodig", 0.25),
        Cat("Inzet regionaal maatwerk Veilig Thuis", 0.04, vt_spread=0.6),
        Cat("Nog niet beoordeeld", 0.06),
    )),)),
    code_prefix="",
    code_start=1012651,
    description="Besluit na de veiligheidsbeoordeling.",
)


def _outcomes(form: str, bevestigd: float, niet: float, weerlegd: float) -> tuple[Cat, ...]:
    return (
        Cat(f"{form}: bevestigd", bevestigd),
        Cat(f"{form}: niet bevestigd", niet),
        Cat(f"{form}: weerlegd", weerlegd),
    )


UITKOMSTEN = Dimension(
    "UitkomstenOnderzoek",
    "Uitkomsten onderzoek",
    Cat("Totaal afgeronde onderzoeken", splits=(Split((
        Cat("Niet voortijdig afgesloten totaal", 0.86, splits=(Split(
            _outcomes("Kindermishandeling", 0.30, 0.17, 0.06)
            + _outcomes("Geweld tegen ouders", 0.03, 0.02, 0.01)
            + _outcomes("Partnergeweld", 0.20, 0.10, 0.04)
            + _outcomes("Ouderenmishandeling", 0.03, 0.03, 0.01)
        ),)),
        Cat("Voortijdig afgesloten", 0.14, vt_spread=0.3),
    )),)),
    code_prefix="A0",
    code_start=48601,
    description="Uitkomst van de afgeronde onderzoeken naar de vorm van geweld.",
)

ORGANISATIE_OVERDRACHT = Dimension(
    "OrganisatieVanOverdracht",
    "Organisatie van overdracht",
    Cat("Totaal", splits=(Split((
        Cat("Lokaal team/wijkteam", 0.38),
        # overdrachten to the GGZ rise strongly in a few regions
        Cat("Geestelijke gezondheidszorg (GGZ)", 0.07, regional=(
            Regional("VT05", growth=0.35), Regional("VT19", growth=0.45), Regional("VT25", growth=0.30),
        )),
        Cat("Jeugdbescherming", 0.10),
        Cat("Raad voor de Kinderbescherming", 0.08),
        Cat("Politie/Justitie", 0.05),
        Cat("Maatschappelijke opvang", 0.04),
        Cat("Huisarts", 0.05),
        Cat("Anders", 0.23),
    )),)),
    code_prefix="A0",
    code_start=48701,
    description="Organisatie waaraan Veilig Thuis de zaak overdraagt.",
)

TYPE_HULP = Dimension(
    "TypeHulp",
    "Type hulp",
    Cat("Totaal", splits=(Split((
        Cat("Vrijwillige hulp", 0.72),
        Cat("Hulp in gedwongen kader", 0.20),
        Cat("Onbekend", 0.08),
    )),)),
    code_prefix="",
    code_start=2016601,
    description="Of de hulp na de overdracht vrijwillig is of in gedwongen kader.",
)

OVERDRACHT_INTERACTIONS = {
    ("Jeugdbescherming", "Hulp in gedwongen kader"): 8.0,
    ("Jeugdbescherming", "Vrijwillige hulp"): 0.2,
    ("Raad voor de Kinderbescherming", "Hulp in gedwongen kader"): 6.0,
    ("Raad voor de Kinderbescherming", "Vrijwillige hulp"): 0.3,
    ("Politie/Justitie", "Hulp in gedwongen kader"): 3.0,
    ("Lokaal team/wijkteam", "Hulp in gedwongen kader"): 0.1,
    ("Geestelijke gezondheidszorg (GGZ)", "Hulp in gedwongen kader"): 0.5,
}

VEILIGHEID_INTERACTIONS = {
    ("Acute onveiligheid", "Vervolgstappen beleggen bij Veilig Thuis"): 2.5,
    ("Acute onveiligheid", "Geen vervolgstappen nodig"): 0.15,
    ("Structurele onveiligheid", "Overdracht"): 1.4,
    ("Geen acute of structurele onveiligheid", "Geen vervolgstappen nodig"): 1.8,
    ("Geen acute of structurele onveiligheid", "Vervolgstappen beleggen bij Veilig Thuis"): 0.6,
    ("Onbekend/niet getaxeerd", "Nog niet beoordeeld"): 5.0,
}

KERNCIJFERS_TOPICS = (
    TopicGroup("Adviezen", (
        Topic("Gestarte adviezen", "adviezen", description="Adviezen die Veilig Thuis in de periode is gestart."),
        Topic("Afgeronde adviezen", "afgeronde_adviezen", description="Adviezen die Veilig Thuis in de periode heeft afgerond."),
    )),
    TopicGroup("Meldingen", (
        Topic("Ontvangen meldingen", "meldingen", description="Meldingen die Veilig Thuis in de periode heeft ontvangen."),
        Topic("Afgeronde meldingen", "afgeronde_meldingen", description="Meldingen die Veilig Thuis in de periode heeft afgerond."),
    )),
    TopicGroup("Triage", (
        Topic("Afgeronde triages", "afgeronde_triages", description="Meldingen waarvan de triage in de periode is afgerond."),
    )),
    TopicGroup("Veiligheidsbeoordelingen", (
        Topic("Afgeronde veiligheidsbeoordelingen", "veiligheidsbeoordelingen",
              description="Veiligheidsbeoordelingen die in de periode zijn afgerond."),
    )),
    TopicGroup("Onderzoeken", (
        Topic("Gestarte onderzoeken", "gestarte_onderzoeken", description="Onderzoeken die Veilig Thuis in de periode is gestart."),
        Topic("Afgeronde onderzoeken", "afgeronde_onderzoeken", description="Onderzoeken die Veilig Thuis in de periode heeft afgerond."),
    )),
    TopicGroup("Overdrachten", (
        Topic("Overdrachten", "overdrachten", description="Overdrachten aan lokale teams en andere organisaties."),
    )),
    TopicGroup("Monitoring", (
        Topic("Gestarte monitoring", "gestarte_monitoring", description="Monitoringtrajecten die in de periode zijn gestart."),
        Topic("Afgeronde monitoring", "afgeronde_monitoring", description="Monitoringtrajecten die in de periode zijn afgerond."),
    )),
)

# 85361NED has no category dimension: the kinds of melding are topics, taken
# from this hidden tree (about 34% eerste melding, 38% hermelding, 28% vervolgmelding).
EERDERE_BETROKKENHEID = Cat("Ontvangen meldingen", ref="totaal", splits=(Split((
    Cat("Eerste melding", 0.34, ref="eerste"),
    Cat("Hermelding", 0.38, ref="hermelding", vt_spread=0.1),
    Cat("Vervolgmelding", 0.28, ref="vervolg", splits=(Split((
        Cat("Tijdens veiligheidsbeoordeling", 0.30, ref="vervolg_vb"),
        Cat("Na veiligheidsbeoordeling", 0.35, ref="vervolg_na_vb"),
        Cat("Tijdens monitoring door VT", 0.35, ref="vervolg_monitoring", vt_spread=0.2),
    )),)),
)),))

VERVOLG_DESCRIPTION = "Melding over een situatie waarbij Veilig Thuis op het moment van melden betrokken is."


def _betrokkenheid_topics(relative: bool) -> tuple:
    """The same topics as counts, or as percentages of all ontvangen meldingen."""
    unit = "%" if relative else "aantal"
    of = "totaal" if relative else None

    def topic(title: str, source: str, description: str) -> Topic:
        return Topic(title, source, unit, relative_to=of, description=description)

    items = (
        topic("Eerste melding", "eerste", "Melding over een situatie waarbij Veilig Thuis niet eerder betrokken was."),
        topic("Hermelding", "hermelding", "Melding waarbij Veilig Thuis eerder betrokken was; die betrokkenheid was afgesloten."),
        TopicGroup("Vervolgmelding tijdens betrokkenheid VT", (
            topic("Totaal", "vervolg", VERVOLG_DESCRIPTION),
            topic("Tijdens veiligheidsbeoordeling", "vervolg_vb", VERVOLG_DESCRIPTION),
            topic("Na veiligheidsbeoordeling", "vervolg_na_vb", VERVOLG_DESCRIPTION),
            topic("Tijdens monitoring door VT", "vervolg_monitoring", VERVOLG_DESCRIPTION),
        )),
    )
    if relative:
        return (TopicGroup("Ontvangen meldingen (relatief)", items,
                           description="Aandeel in het totaal aantal ontvangen meldingen."),)
    total = Topic("Totaal ontvangen meldingen", "totaal", description="Meldingen die Veilig Thuis in de periode heeft ontvangen.")
    return (TopicGroup("Ontvangen meldingen", (total,) + items),)


TABLE_SPECS: dict[str, TableSpec] = {
    s.id: s
    for s in (
        TableSpec("84847NED", "Kerncijfers Veilig Thuis", "Adviezen, meldingen, triage, veiligheidsbeoordelingen, "
                  "onderzoeken, overdrachten en monitoring van Veilig Thuis", ALL_LEVELS, KERNCIJFERS_TOPICS),
        TableSpec("84848NED", "Rol, organisatie, duur; VT-regio", "Adviezen en meldingen naar rol/functie en organisatie "
                  "van de adviesvrager of melder en duur van het geweld", VT_TABLE_LEVELS, ADVIEZEN_MELDINGEN, (KENMERKEN,)),
        TableSpec("84849NED", "Rol, organisatie, duur; regio", "Adviezen en meldingen naar rol/functie en organisatie "
                  "van de adviesvrager of melder en duur van het geweld", REGIO_TABLE_LEVELS, ADVIEZEN_MELDINGEN, (KENMERKEN,)),
        TableSpec("84850NED", "Aard geweld; VT-regio", "Adviezen en meldingen naar aard van het geweld en aanvullende "
                  "informatie", VT_TABLE_LEVELS, ADVIEZEN_MELDINGEN, (AARD,)),
        TableSpec("84851NED", "Aard geweld; regio", "Adviezen en meldingen naar aard van het geweld en aanvullende "
                  "informatie", REGIO_TABLE_LEVELS, ADVIEZEN_MELDINGEN, (AARD,)),
        TableSpec("84852NED", "Veiligheidsbeoordeling en -taxatie", "Ontvangen meldingen naar veiligheidstaxatie en "
                  "veiligheidsbeoordeling", ALL_LEVELS,
                  (Topic("Ontvangen meldingen", "meldingen", description="Meldingen die Veilig Thuis in de periode heeft ontvangen."),),
                  (VEILIGHEIDSTAXATIE, VEILIGHEIDSBEOORDELING), interactions=VEILIGHEID_INTERACTIONS),
        TableSpec("84853NED", "Uitkomsten onderzoeken", "Afgeronde onderzoeken van Veilig Thuis naar uitkomst",
                  VT_TABLE_LEVELS,
                  (Topic("Afgeronde diensten onderzoek", "afgeronde_onderzoeken",
                         description="Onderzoeken die Veilig Thuis in de periode heeft afgerond."),), (UITKOMSTEN,)),
        TableSpec("84854NED", "Overdrachten; VT-regio", "Overdrachten van Veilig Thuis naar organisatie en type hulp",
                  VT_TABLE_LEVELS, (Topic("Overdrachten", "overdrachten", description="Overdrachten door Veilig Thuis."),),
                  (ORGANISATIE_OVERDRACHT, TYPE_HULP), interactions=OVERDRACHT_INTERACTIONS),
        TableSpec("84855NED", "Overdrachten; regio", "Overdrachten van Veilig Thuis naar organisatie en type hulp",
                  REGIO_TABLE_LEVELS, (Topic("Overdrachten", "overdrachten", description="Overdrachten door Veilig Thuis."),),
                  (ORGANISATIE_OVERDRACHT, TYPE_HULP), interactions=OVERDRACHT_INTERACTIONS),
        TableSpec("85361NED", "Meldingen naar eerdere betrokkenheid", "Ontvangen meldingen naar eerdere betrokkenheid "
                  "van Veilig Thuis", ALL_LEVELS, _betrokkenheid_topics(False) + _betrokkenheid_topics(True),
                  hidden=EERDERE_BETROKKENHEID),
    )
}
