"""Name normalisation: transliteration, diacritic folding, phonetic skeletons, token forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from .tables import (
    ABD_FORMS,
    ARABIC_ARTICLES,
    ARABIC_SCRIPT_NAMES,
    ARABIC_SPELLINGS,
    CYRILLIC_BY_LANGUAGE,
    CYRILLIC_COMMON,
    LATIN_SPECIAL,
    RUSSIAN_LETTERS,
    UKRAINIAN_LETTERS,
)

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_NON_LATIN = re.compile("[^\x00-\u024f\u1e00-\u1eff]")
_APOSTROPHES = re.compile("['’ʼ`´‘ʻʿʾ]")
_SEPARATORS = re.compile(r"[^a-z\-]+")
_SPLIT = re.compile(r"[\s\-]+")
_LATIN_TABLE = str.maketrans(LATIN_SPECIAL)
_VOWELS = frozenset("aeiou")

LANGUAGES = ("bg", "ru", "uk")


def detect_cyrillic_language(text: str, hint: str = "") -> str:
    """bg, ru or uk for a Cyrillic text: the hint wins, then tell-tale letters, else Bulgarian."""
    if hint in CYRILLIC_BY_LANGUAGE:
        return hint
    letters = set(text.lower())
    if letters & UKRAINIAN_LETTERS:
        return "uk"
    if letters & RUSSIAN_LETTERS:
        return "ru"
    # Bulgarian is by far the most frequent Cyrillic script among the register's arrivals.
    return "bg"


def _transliterate_cyrillic(text: str, language: str) -> str:
    table = CYRILLIC_BY_LANGUAGE[language]
    out = []
    lower = text.lower()
    for i, ch in enumerate(lower):
        if language == "bg" and ch == "ь" and i + 1 < len(lower) and lower[i + 1] == "о":
            out.append("y")
            continue
        if ch in table:
            out.append(table[ch])
        elif ch in CYRILLIC_COMMON:
            out.append(CYRILLIC_COMMON[ch])
        else:
            out.append(ch)
    return "".join(out)


def _arabic_word(word: str) -> str:
    if word in ARABIC_SCRIPT_NAMES:
        return ARABIC_SCRIPT_NAMES[word]
    if word.startswith("ال") and word[2:] in ARABIC_SCRIPT_NAMES:
        return "al-" + ARABIC_SCRIPT_NAMES[word[2:]]
    if word.startswith("عبد") and len(word) > 3:
        return "abd-" + _arabic_word(word[3:])
    return anyascii(word).lower()


def _transliterate_arabic(text: str) -> str:
    return " ".join(_arabic_word(w) if _ARABIC.search(w) else w for w in text.split())


def fold_latin(text: str) -> str:
    """Lower-case ASCII: the table's letters (lower-cased first, so that Þ folds like þ), then
    diacritics dropped, then anyascii for every letter still not ASCII (any script, and Latin
    letters no decomposition reaches) – no letter is silently lost."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_TABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if not text.isascii():
        text = anyascii(text)
    return text.lower()


def normalise_name(text: str, *, language_hint: str = "") -> str:
    """Lower-case Latin letters, single spaces and hyphens: the name as it would be typed in Latin.

    Cyrillic is transliterated with our own table for Bulgarian, Russian or Ukrainian
    (``language_hint`` "bg", "ru", "uk"; detected from the letters otherwise), common Arabic names
    in Arabic script from a dictionary (anyascii for the rest and for any other script), Latin
    diacritics are folded (ß→ss, ł→l, ı→i, ş/ș→s, ţ/ț→t, ä→a).
    """
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        return ""
    if _CYRILLIC.search(text):
        text = _transliterate_cyrillic(text, detect_cyrillic_language(text, language_hint))
    if _ARABIC.search(text):
        text = _transliterate_arabic(text)
    text = _APOSTROPHES.sub("", fold_latin(text))
    text = _SEPARATORS.sub(" ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip(" -")
    return re.sub(r"\s+", " ", text)


# --- phonetic skeleton -----------------------------------------------------------------------

_PHON_MAP = {
    "schtsch": "st",  # Щ, German
    "shch": "st",  # Щ, Russian/Ukrainian
    "tsch": "h",  # Ч, German
    "sch": "s",  # Ш/Ж German, also German "sch"
    "sh": "s",
    "zh": "s",  # Ж
    "zs": "s",  # Hungarian
    "sz": "s",  # Polish/Hungarian
    "cz": "h",  # Polish Ч
    "cs": "h",  # Hungarian Ч
    "kh": "h",  # Х
    "ch": "h",  # Х German, Ч English
    "ph": "f",
    "th": "t",
    "gh": "g",  # Romanian Gheorghe
    "dh": "d",
    "ck": "k",
    "ts": "s",  # Ц
    "tz": "s",
    "z": "s",  # Ц German, З
    "c": "",  # decided in _phon_sub: s before e/i/y, k elsewhere
    "q": "k",
    "x": "ks",
    "w": "v",
    "y": "i",
    "j": "i",
    "ou": "u",
    "oo": "u",
    "ae": "a",  # ä written as ae
    "oe": "o",
    "ue": "u",
    "ei": "e",  # diphthongs: Meier/Mayer/Maier, Hussein/Husain, Andrejew/Andreev
    "ey": "e",
    "ej": "e",
    "ai": "e",
    "ay": "e",
    "aj": "e",
}
_PHON_RE = re.compile("|".join(sorted(_PHON_MAP, key=len, reverse=True)))
_DOUBLE = re.compile(r"(.)\1+")


def _phon_sub(m: re.Match[str]) -> str:
    s = m.group(0)
    if s == "c":
        nxt = m.string[m.end() : m.end() + 1]
        return "s" if nxt and nxt in "eiy" else "k"
    return _PHON_MAP[s]


def _raw_phonetic(token: str) -> str:
    p = _PHON_RE.sub(_phon_sub, token)
    if p.startswith("ie") and len(p) > 3:  # Jelena / Yelena / Elena
        p = p[1:]
    p = _DOUBLE.sub(r"\1", p)
    if len(p) > 2 and p[-1] == "h" and p[-2] in _VOWELS:  # Fatimah / Fatima
        p = p[:-1]
    return p


_ARABIC_PHON: dict[str, str] = {}
for _canonical, _spellings in ARABIC_SPELLINGS.items():
    for _spelling in [_canonical, *_spellings.split()]:
        _ARABIC_PHON[_raw_phonetic(_spelling)] = _raw_phonetic(_canonical)
ARABIC_NAME_SKELETONS = frozenset(_ARABIC_PHON)


@lru_cache(maxsize=65536)
def phonetic(token: str) -> str:
    """Phonetic skeleton of one normalised token.

    Collapses the spellings that transliterations and languages use for the same sound:
    sh/sch/zh/ş/s/z/ts → s, ch/kh/h/tsch → h, w → v, j/y/i → i, ou/oo → u, ae/oe/ue → a/o/u,
    ei/ai/ey/ay → e, c → k (s before e/i), ph → f, doubled letters once; then well-known Arabic
    names to one form (Mohammed/Muhammad/Mohamed → muhamad).
    """
    p = _raw_phonetic(token)
    return _ARABIC_PHON.get(p, p)


@lru_cache(maxsize=65536)
def consonant_skeleton(phon: str) -> str:
    """First letter plus the consonants of a phonetic skeleton (vowels dropped): a weak key."""
    if not phon:
        return ""
    return phon[0] + "".join(ch for ch in phon[1:] if ch not in _VOWELS)


# --- tokens ----------------------------------------------------------------------------------

_ABD_GLUED = re.compile(r"^abd(?:[aeiou][lrsntdz]?)?([a-z]{3,})$")
_ALLAH = frozenset({"allah", "ullah", "ellah", "illah", "alla", "ulla"})


def _abd_rest(rest: str) -> str:
    return "lah" if rest in _ALLAH else rest


def _merge_arabic(tokens: list[str]) -> list[str]:
    """Join Arabic compound names and drop articles: "abd al rahman" → "abdrahman", "al hassan" → "hassan"."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok in ABD_FORMS and i + 1 < n:
            j = i + 1
            if tokens[j] in ARABIC_ARTICLES and j + 1 < n:
                j += 1
            out.append("abd" + _abd_rest(tokens[j]))
            i = j + 1
            continue
        if tok in ARABIC_ARTICLES and i + 1 < n:
            i += 1
            continue
        if tok.startswith("abd") and len(tok) > 5 and (m := _ABD_GLUED.match(tok)):
            tok = "abd" + _abd_rest(m.group(1))
        elif tok[:2] in ("al", "el") and len(tok) > 5 and _raw_phonetic(tok[2:]) in ARABIC_NAME_SKELETONS:
            tok = tok[2:]
        out.append(tok)
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class NameToken:
    norm: str  # normalised Latin form
    phon: str  # phonetic skeleton
    alts: frozenset[str]  # every phonetic form, incl. other Cyrillic transliterations


@dataclass(frozen=True, slots=True)
class NameField:
    """A name field prepared for comparison."""

    original: str
    tokens: tuple[NameToken, ...]
    joined: str  # phonetic form of all parts written together
    non_latin: bool  # written in Cyrillic, Arabic or another non-Latin script
    key: str = ""  # the normalised parts, for memoising comparisons ("" = do not memoise)

    def __bool__(self) -> bool:
        return bool(self.tokens)


def _norm_tokens(text: str, language_hint: str) -> list[str]:
    return _merge_arabic([t for t in _SPLIT.split(normalise_name(text, language_hint=language_hint)) if t])


@lru_cache(maxsize=131072)
def name_field(text: str, language_hint: str = "") -> NameField:
    text = (text or "").strip()
    norms = _norm_tokens(text, language_hint)
    alt_lists: list[list[str]] = []
    if _CYRILLIC.search(text):
        for lang in LANGUAGES:
            other = _norm_tokens(text, lang)
            if len(other) == len(norms):
                alt_lists.append(other)
    tokens = []
    for i, norm in enumerate(norms):
        phon = phonetic(norm)
        alts = {phon} | {phonetic(lst[i]) for lst in alt_lists}
        tokens.append(NameToken(norm, phon, frozenset(alts)))
    return NameField(
        original=text,
        tokens=tuple(tokens),
        joined=phonetic("".join(norms)),
        non_latin=bool(_NON_LATIN.search(text)),
        key="" if any(len(t.alts) > 1 for t in tokens) else " ".join(norms),
    )


def name_variants(text: str) -> set[str]:
    """The canonical forms under which a name is compared and blocked.

    One phonetic skeleton per token (with the alternatives of other Cyrillic transliterations),
    plus the concatenation for multi-part names. Two spellings of one name share a form:
    ``name_variants("Иванов") & name_variants("Iwanow") == {"ivanov"}``.
    """
    field = name_field(text)
    out: set[str] = set()
    for tok in field.tokens:
        out |= tok.alts
    if len(field.tokens) > 1:
        out.add(field.joined)
    return out
