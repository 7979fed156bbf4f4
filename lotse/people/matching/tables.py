"""Data for name normalisation: transliteration tables, Arabic names, nationality codes.

Kept as plain data so that a linguist can review and extend them without reading the scoring code.
"""

from __future__ import annotations

# --- Cyrillic → Latin ------------------------------------------------------------------------
# One canonical, readable transliteration per language. The phonetic skeleton (names.phonetic)
# then collapses the differences between the official, the English and the German conventions
# (Щ sht/shch/schtsch, Ж zh/sch, Х h/kh/ch, В v/w, Й y/j/i, Ю yu/ju/iu ...).

CYRILLIC_COMMON: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "u",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "ђ": "dj",
    "џ": "dz",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
}

CYRILLIC_BY_LANGUAGE: dict[str, dict[str, str]] = {
    # Bulgarian official transliteration (Transliteration Act 2009).
    "bg": {"щ": "sht", "ъ": "a", "ь": "", "х": "h", "ц": "ts", "и": "i", "й": "y"},
    # Russian, English-style (passports since 2013 use ICAO, close to this).
    "ru": {"щ": "shch", "ъ": "", "ь": "", "х": "kh", "ё": "yo", "ы": "y", "э": "e"},
    # Ukrainian official (Cabinet resolution 55/2010), simplified.
    "uk": {"щ": "shch", "ь": "", "х": "kh", "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye"},
}

# Letters that reveal the language of a Cyrillic name.
UKRAINIAN_LETTERS = frozenset("іїєґ")
RUSSIAN_LETTERS = frozenset("ыэё")

# --- Latin letters that Unicode decomposition does not fold ---------------------------------
LATIN_SPECIAL: dict[str, str] = {
    "ß": "ss",
    "ẞ": "ss",
    "ł": "l",
    "Ł": "l",
    "ı": "i",
    "İ": "i",
    "ø": "o",
    "Ø": "o",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "þ": "th",
    "ħ": "h",
    "ŀ": "l",
    "ſ": "s",
}

# --- Arabic ----------------------------------------------------------------------------------
# Common given and family names in Arabic script → a Latin form. Names not listed fall back to
# anyascii, which gives a consonant skeleton ("خالد" → "khld").
ARABIC_SCRIPT_NAMES: dict[str, str] = {
    "محمد": "muhammad",
    "أحمد": "ahmad",
    "احمد": "ahmad",
    "محمود": "mahmud",
    "مصطفى": "mustafa",
    "يوسف": "yusuf",
    "حسين": "husain",
    "حسن": "hasan",
    "علي": "ali",
    "عمر": "umar",
    "خالد": "khalid",
    "إبراهيم": "ibrahim",
    "ابراهيم": "ibrahim",
    "إسماعيل": "ismail",
    "اسماعيل": "ismail",
    "فاطمة": "fatima",
    "عائشة": "aisha",
    "مريم": "maryam",
    "سعيد": "said",
    "خليل": "khalil",
    "حامد": "hamid",
    "رشيد": "rashid",
    "نور": "nur",
    "ياسين": "yasin",
    "سليمان": "sulaiman",
    "عثمان": "uthman",
    "عباس": "abbas",
    "كريم": "karim",
    "طارق": "tariq",
    "سمير": "samir",
    "بلال": "bilal",
    "وليد": "walid",
    "زينب": "zainab",
    "ليلى": "laila",
    "سارة": "sara",
    "هدى": "huda",
    "رنا": "rana",
    "عبد": "abd",
    "الله": "allah",
    "رحمن": "rahman",
    "عزيز": "aziz",
    "قادر": "qadir",
    "حداد": "haddad",
    "خطيب": "khatib",
    "مصري": "masri",
    "حلبي": "halabi",
    "شامي": "shami",
    "سيد": "sayyid",
    "نجار": "najjar",
    "قاسم": "qasim",
    "صالح": "salih",
    "حمدان": "hamdan",
    "جاسم": "jasim",
    "ناصر": "nasir",
    "منصور": "mansur",
    "عيسى": "isa",
    "موسى": "musa",
    "كردي": "kurdi",
    "درويش": "darwish",
    "شيخ": "shaikh",
}

# Article-like particles that precede Arabic names ("Al-Hassan", "El Hassan", "ad-Din").
ARABIC_ARTICLES = frozenset(
    {"al", "el", "ul", "ad", "ed", "ar", "er", "as", "es", "ash", "an", "at", "az", "ez"}
)
# Spellings of "abd" ("servant of") that join with the following name: "Abd al-Rahman", "Abdel Rahman".
ABD_FORMS = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdar", "abdu", "abdou", "abdo"}
)

# Common Arabic names and their Latin spellings (English, French, German and Turkish
# conventions). Every spelling maps to the first one; the mapping is applied to the phonetic
# skeleton, so spellings that differ only in sh/sch, ou/u, doubled letters etc. need no entry.
ARABIC_SPELLINGS: dict[str, str] = {
    "muhammad": "mohammed mohamed muhammed mohammad mohamad muhamed mouhamed mouhammad mahomed mhmd mohd",
    "ahmad": "ahmed achmed ahmet achmad ahmat",
    "mahmud": "mahmoud mahmood machmud mahmut",
    "mustafa": "mustapha moustafa mostafa",
    "yusuf": "youssef yousef yousuf yussuf jusuf youssouf yousif yusif jussuf",
    "husain": "hussein hussain hosein husein houssein hossein huseyin",
    "hasan": "hassan hassen hasen",
    "ali": "aly alee",
    "umar": "omar omer",
    "khalid": "khaled chaled chalid halid kaled",
    "ibrahim": "ebrahim ibraheem brahim",
    "ismail": "ismael esmail ismayil",
    "fatima": "fatma fatimah fatema",
    "aisha": "aischa ayesha aicha aysha",
    "maryam": "mariam meryem",
    "said": "saeed sayed saied saaid",
    "khalil": "chalil halil",
    "hamid": "hamed",
    "rashid": "rachid rasheed raschid",
    "nur": "nour noor",
    "yasin": "yassin yaseen jassin jasin",
    "sulaiman": "suleiman soliman sulejman suleyman",
    "uthman": "othman osman usman",
    "karim": "kareem kerim",
    "tariq": "tarek tarik tareq",
    "samir": "sameer",
    "walid": "waleed",
    "zainab": "zeinab zaynab",
    "laila": "layla leila leyla",
    "khadija": "khadidja chadidscha hadidscha khadidscha hatice",
    "najjar": "nadjar najar",
    "haddad": "hadad",
    "khatib": "chatib khateeb",
    "qasim": "kassem qassem kasim",
    "jasim": "jassim jasem",
    "nasir": "nasser naser nassir",
    "mansur": "mansour",
    "darwish": "derwisch darwisch",
    "abbas": "abas",
    "salih": "saleh",
    "shaikh": "sheikh scheich shaykh",
    "rahman": "rachman",
    "halabi": "chalabi",
}

# --- Nationalities ---------------------------------------------------------------------------
# Free-text nationality → ISO 3166-1 alpha-2. Unknown values are compared as normalised text.
NATIONALITY_CODES: dict[str, str] = {}
for _code, _names in {
    "RO": "ro rou romania rumänien rumaenien rumänisch rumaenisch romanian român",
    "BG": "bg bgr bulgaria bulgarien bulgarisch bulgarian",
    "PL": "pl pol poland polen polnisch polish",
    "UA": "ua ukr ukraine ukrainisch ukrainian",
    "RU": "ru rus russia russland russisch russian",
    "MD": "md mda moldova moldau moldauisch moldawien moldawisch",
    "BY": "by blr belarus weißrussland belarussisch",
    "KZ": "kz kaz kasachstan kasachisch kazakhstan",
    "HU": "hu hun hungary ungarn ungarisch hungarian",
    "SY": "sy syr syria syrien syrisch syrian",
    "IQ": "iq irq iraq irak irakisch iraqi",
    "AF": "af afg afghanistan afghanisch afghan",
    "TR": "tr tur turkey türkei tuerkei türkisch tuerkisch turkish",
    "DE": "de deu germany deutschland deutsch german",
    "XX": "xx xxa staatenlos stateless",
}.items():
    for _name in _names.split():
        NATIONALITY_CODES[_name] = _code

# Which Cyrillic transliteration to use when a record's nationality is known.
LANGUAGE_BY_NATIONALITY: dict[str, str] = {
    "BG": "bg",
    "UA": "uk",
    "RU": "ru",
    "BY": "ru",
    "KZ": "ru",
    "MD": "ru",
}
