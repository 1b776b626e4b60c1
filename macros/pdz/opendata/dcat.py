"""The DCAT-AP_IT catalogue of the open data (``dati/catalogo.ttl`` and ``dati/catalogo.jsonld``).

Every published table is a dataset (all Ambiti together, and each Ambito), with a CSV and a JSON
distribution; the zip of all data is one more dataset. It conforms to SEMIC's DCAT-AP 3.0.1 shapes
(core and range) and carries the mandatory and recommended properties of the Italian profile
(DCAT-AP_IT, AgID's guidelines italia/linee-guida-cataloghi-dati-dcat-ap-it): Italian title and
description, identifier (``IPA code:name``), date of last change from git, themes of the EU
data-theme vocabulary with their labels and EuroVoc sub-themes (``dct:subject``), publisher and
rights holder (the body of the plugin option ``ente`` with its IPA code), contact point with
e-mail, accrual periodicity, licence (CC BY 4.0), format and media type, access and download URLs,
size in bytes, temporal and spatial coverage. Built with rdflib, so every literal and IRI is
serialised correctly; every node is an IRI (no blank nodes), so the output is the same on every build.
"""
from __future__ import annotations

import json
import re
from collections import Counter

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS as DCT, FOAF, RDF, SKOS, XSD

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
DCATAP = Namespace("http://data.europa.eu/r5r/")
THEMES = URIRef(EU + "data-theme")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
LOMBARDIA = URIRef("http://data.europa.eu/nuts/code/ITC4")   # NUTS 2 region Lombardia
FORMATS = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json"), "zip": ("ZIP", "application/zip")}
# The controlled terms used, with the labels of their vocabularies (DCAT-AP wants a skos:prefLabel
# on every concept): themes (EU data-theme), sub-themes (EuroVoc microthesauri, as DCAT-AP_IT maps
# them to each theme), the licence type (ADMS), the publisher type (ADMS) and the availability.
CONCEPTS = {
    EU + "data-theme/SOCI": ("Popolazione e società", "Population and society"),
    EU + "data-theme/GOVE": ("Governo e settore pubblico", "Government and public sector"),
    "http://eurovoc.europa.eu/100214": ("2836 protezione sociale", "2836 social protection"),
    "http://eurovoc.europa.eu/100169": ("0436 potere esecutivo e amministrazione pubblica",
                                        "0436 executive power and public service"),
    "http://purl.org/adms/licencetype/Attribution": ("Attribuzione", "Attribution"),
    "http://purl.org/adms/publishertype/LocalAuthority": ("Autorità locale", "Local Authority"),
    EU + "planned-availability/STABLE": ("stabile", "stable"),
}
# Sub-theme of each theme (DCAT-AP_IT, "Mapping temi e sotto temi dei dati"): social services
# are social protection; a plan is programmed by the public administrations of the Ambito.
SUB_THEMES = {"SOCI": "http://eurovoc.europa.eu/100214", "GOVE": "http://eurovoc.europa.eu/100169"}
# The body owning a Piano di Zona is the Comune leading the Ambito or a consortium of its Comuni
# (L. 328/2000, art. 19): a local authority in ADMS's publisher types.
PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
AVAILABILITY = URIRef(EU + "planned-availability/STABLE")   # permanent addresses, rebuilt in place
KEYWORDS = ("piani di zona", "servizi sociali", "welfare locale", "ambiti territoriali", "Lombardia")
# Themes of each table: SOCI (popolazione e società) for all, GOVE (governo e settore
# pubblico) for the programming of public resources.
TABLE_THEMES = {"obiettivi": ("SOCI", "GOVE"), "risorse": ("SOCI", "GOVE"), "valutazioni": ("SOCI", "GOVE"),
                "indicatori": ("SOCI",), "misurazioni": ("SOCI",), "partner": ("SOCI",), "modifiche": ("SOCI", "GOVE"),
                "tutti": ("SOCI", "GOVE")}


def _date(iso: str) -> Literal:
    return Literal(iso, datatype=XSD.date)


def _it(text: str) -> Literal:
    return Literal(text, lang="it")


# mkdocs serve: the byte sizes are written as these numbers, then replaced (CatalogueBuilder.serialise)
SIZE_PLACEHOLDER = 9137000000000
_PLACEHOLDER = re.compile(r'"(9137[0-9]{9})"')


class CatalogueBuilder:
    def __init__(self, site_url: str, owner: dict, contact_email: str = "", memo: dict | None = None):
        """``memo`` (``mkdocs serve``, kept from one build to the next): the catalogue is
        serialised again only when it changed in more than the sizes of its files (an edit
        changes the size of a table or two, and rdflib takes most of the time of the open data)."""
        self.site = site_url.rstrip("/") + "/"
        self.memo = memo
        self.sizes: dict[str, str] = {}   # placeholder -> size in bytes (with a memo)
        self.g = Graph()
        for prefix, ns in (("dcat", DCAT), ("dct", DCT), ("foaf", FOAF), ("dcatapit", DCATAPIT), ("vcard", VCARD),
                           ("locn", LOCN), ("skos", SKOS), ("xsd", XSD), ("dcatap", DCATAP)):
            self.g.bind(prefix, ns)
        self.ipa = owner.get("codice_ipa") or ""
        self.agent = self._agent(owner)
        self.contact = self._contact(owner, contact_email)
        self._vocabularies()

    def iri(self, path: str) -> URIRef:
        return URIRef(self.site + path)

    def _agent(self, owner: dict) -> URIRef:
        g = self.g
        agent = URIRef(owner["sito"]) if owner.get("sito") else self.iri("#ente-titolare")
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, RDF.type, DCATAPIT.Agent))
        g.add((agent, FOAF.name, _it(owner.get("nome") or "Ente titolare del sito (da configurare)")))
        g.add((agent, DCT.type, PUBLISHER_TYPE))
        if self.ipa:
            g.add((agent, DCT.identifier, Literal(self.ipa)))
        return agent

    def _contact(self, owner: dict, email: str) -> URIRef:
        g = self.g
        contact = self.iri("segnalazioni/")
        for kind in (VCARD.Kind, VCARD.Organization, DCATAPIT.Organization):
            g.add((contact, RDF.type, kind))
        g.add((contact, VCARD.fn, _it(owner.get("nome") or "Segnalazioni e commenti")))   # DCAT-AP_IT: mandatory
        g.add((contact, VCARD.hasURL, contact))
        if email:   # DCAT-AP_IT: mandatory; a build for publication refuses a site without it
            g.add((contact, VCARD.hasEmail, URIRef("mailto:" + email)))
        return contact

    def _vocabularies(self):
        """The controlled terms used, typed as the profile expects (the shapes check classes)."""
        g = self.g
        g.add((THEMES, RDF.type, SKOS.ConceptScheme))
        g.add((THEMES, DCT.title, Literal("Data Theme Vocabulary", lang="en")))
        for iri, (italian, english) in CONCEPTS.items():
            g.add((URIRef(iri), RDF.type, SKOS.Concept))
            g.add((URIRef(iri), SKOS.prefLabel, _it(italian)))
            g.add((URIRef(iri), SKOS.prefLabel, Literal(english, lang="en")))
        for code in ("SOCI", "GOVE"):
            g.add((URIRef(f"{EU}data-theme/{code}"), SKOS.inScheme, THEMES))
        for code, media in FORMATS.values():
            g.add((URIRef(f"{EU}file-type/{code}"), RDF.type, DCT.MediaTypeOrExtent))
            g.add((URIRef(f"{IANA}{media}"), RDF.type, DCT.MediaType))   # DCAT-AP 3: dcat:mediaType's range
        for page in ("", "dati-aperti/"):   # the home page and the landing page of every dataset
            g.add((self.iri(page), RDF.type, FOAF.Document))
        g.add((URIRef(f"{EU}frequency/IRREG"), RDF.type, DCT.Frequency))
        g.add((URIRef(f"{EU}language/ITA"), RDF.type, DCT.LinguisticSystem))
        for t in (DCT.LicenseDocument, DCATAPIT.LicenseDocument):
            g.add((CC_BY, RDF.type, t))
        g.add((CC_BY, DCT.type, URIRef("http://purl.org/adms/licencetype/Attribution")))
        g.add((CC_BY, FOAF.name, _it("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)")))
        g.add((LOMBARDIA, RDF.type, DCT.Location))
        g.add((LOMBARDIA, LOCN.geographicalName, _it("Lombardia")))

    def period(self, start: int, end: int) -> URIRef:
        node = self.iri(f"dati/catalogo#periodo-{start}-{end}")
        self.g.add((node, RDF.type, DCT.PeriodOfTime))
        # DCAT-AP 3 dates, and DCAT-AP_IT's own (dcatapit:startDate is mandatory in a period)
        for begin, finish in ((DCAT.startDate, DCAT.endDate), (DCATAPIT.startDate, DCATAPIT.endDate)):
            self.g.add((node, begin, _date(f"{start}-01-01")))
            self.g.add((node, finish, _date(f"{end}-12-31")))
        return node

    def place(self, ambito_id: str, name: str) -> URIRef:
        node = self.iri(f"{ambito_id}/")
        self.g.add((node, RDF.type, DCT.Location))
        self.g.add((node, LOCN.geographicalName, _it(f"{name} (Lombardia)")))
        return node

    def dataset(self, name: str, title: str, description: str, themes, modified: str, period, places,
                distributions: list[tuple[str, str, str, int | None]], keywords=()) -> URIRef:
        """``distributions``: (site path, format key, Italian title, size in bytes or None)."""
        g, node = self.g, self.iri(f"dati/catalogo#{name}")
        for t in (DCAT.Dataset, DCATAPIT.Dataset):
            g.add((node, RDF.type, t))
        g.add((node, DCT.title, _it(title)))
        g.add((node, DCT.description, _it(description)))
        g.add((node, DCT.identifier, Literal(f"{self.ipa}:{name}" if self.ipa else name)))
        g.add((node, DCT.modified, _date(modified)))
        for code in themes:
            g.add((node, DCAT.theme, URIRef(f"{EU}data-theme/{code}")))
            g.add((node, DCT.subject, URIRef(SUB_THEMES[code])))
        for keyword in (*KEYWORDS, *keywords):
            g.add((node, DCAT.keyword, _it(keyword)))
        g.add((node, DCT.publisher, self.agent))
        g.add((node, DCT.rightsHolder, self.agent))
        g.add((node, DCAT.contactPoint, self.contact))
        g.add((node, DCT.accrualPeriodicity, URIRef(f"{EU}frequency/IRREG")))
        g.add((node, DCT.language, URIRef(f"{EU}language/ITA")))
        g.add((node, DCAT.landingPage, self.iri("dati-aperti/")))
        g.add((node, DCT.temporal, period))
        for place in places:
            g.add((node, DCT.spatial, place))
        for path, fmt, dist_title, size in distributions:
            dist = self.iri(path)
            for t in (DCAT.Distribution, DCATAPIT.Distribution):
                g.add((dist, RDF.type, t))
            g.add((dist, DCT.title, _it(dist_title)))
            g.add((dist, DCT.description, _it(f"{dist_title}: file scaricabile, aggiornato a ogni pubblicazione del sito.")))
            g.add((dist, DCAT.accessURL, self.iri("dati-aperti/")))
            g.add((dist, DCAT.downloadURL, dist))
            code, media = FORMATS[fmt]
            g.add((dist, DCT.format, URIRef(f"{EU}file-type/{code}")))
            g.add((dist, DCAT.mediaType, URIRef(f"{IANA}{media}")))
            g.add((dist, DCT.license, CC_BY))
            g.add((dist, DCATAP.availability, AVAILABILITY))
            if size is not None:   # DCAT-AP 3: a whole number of bytes (DCAT-AP 1.x had xsd:decimal)
                g.add((dist, DCAT.byteSize, Literal(self._size(int(size)), datatype=XSD.nonNegativeInteger)))
            g.add((node, DCAT.distribution, dist))
        return node

    def catalogue(self, datasets: list[URIRef], modified: str) -> None:
        g, node = self.g, self.iri("dati/catalogo#catalogo")
        for t in (DCAT.Catalog, DCATAPIT.Catalog):
            g.add((node, RDF.type, t))
        g.add((node, DCT.title, _it("Piani di Zona della Lombardia – catalogo dei dati aperti")))
        g.add((node, DCT.description, _it("Gli insiemi di dati pubblicati dal sito dei Piani di Zona della Lombardia: "
                                          "obiettivi, indicatori, valutazioni, risorse e attori della rete.")))
        g.add((node, DCT.publisher, self.agent))
        g.add((node, DCT.modified, _date(modified)))
        g.add((node, FOAF.homepage, URIRef(self.site)))
        g.add((node, DCT.license, CC_BY))          # of the catalogue's own metadata, as of every content
        g.add((node, DCT.spatial, LOMBARDIA))
        g.add((node, DCT.language, URIRef(f"{EU}language/ITA")))
        g.add((node, DCAT.themeTaxonomy, THEMES))
        for d in datasets:
            g.add((node, DCAT.dataset, d))

    def _size(self, size: int) -> str:
        if self.memo is None:
            return str(size)
        placeholder = str(SIZE_PLACEHOLDER + len(self.sizes))
        self.sizes[placeholder] = str(size)
        return placeholder

    def serialise(self) -> tuple[bytes, bytes]:
        """Turtle and JSON-LD. With a memo, the last serialisation of the same graph (sizes as
        placeholders) is reused, each placeholder replaced by its size: a size is one literal
        of its own, so the order of the output does not depend on it (a placeholder found other
        than once in an output, e.g. in a text, means serialising afresh)."""
        triples = frozenset(self.g) if self.memo is not None else None
        if triples is not None and self.memo.get("triples") == triples:
            texts = self.memo["texts"]
        else:
            texts = self._serialise()
            if triples is not None:
                self.memo.clear()
                self.memo.update(triples=triples, texts=texts)
        sizes = self.sizes
        if sizes and any(Counter(p for p in _PLACEHOLDER.findall(text) if p in sizes) != Counter(dict.fromkeys(sizes, 1))
                         for text in texts):
            for subject, _, value in list(self.g.triples((None, DCAT.byteSize, None))):   # the sizes themselves
                self.g.remove((subject, DCAT.byteSize, value))
                self.g.add((subject, DCAT.byteSize, Literal(sizes.get(str(value), str(value)),
                                                            datatype=XSD.nonNegativeInteger)))
            texts, sizes = self._serialise(), {}
        if sizes:   # one pass over each text
            texts = tuple(_PLACEHOLDER.sub(lambda m: f'"{sizes[m.group(1)]}"' if m.group(1) in sizes else m.group(0), text)
                          for text in texts)
        return texts[0].encode("utf-8"), texts[1].encode("utf-8")

    def _serialise(self) -> tuple[str, str]:
        turtle = self.g.serialize(format="turtle")
        # rdflib orders JSON-LD nodes and values as its sets iterate: sort them (they are sets in
        # RDF; no @list is used), so that two builds give the same bytes
        data = _sorted(json.loads(self.g.serialize(format="json-ld")))
        return turtle, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _sorted(value):
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value
