#!/usr/bin/env python3
"""Seeded generator of synthetic raw input in the layout of Kaggle's "The Movies Dataset".

It writes the five raw files an ETL reads, at any size, so the ETL can be benchmarked at the
original's size (45,466 metadata rows) and at 10x it (credits.csv is then ~1.9 GB)::

    python benchmarks/generate_raw.py --out /tmp/raw1x  --movies 45000
    python benchmarks/generate_raw.py --out /tmp/raw10x --movies 450000 --gzip
    python benchmarks/generate_raw.py --verify /tmp/raw1x      # re-read and check the files

Files (``.gz`` added, gzip-compressed, with ``--gzip``):

* ``movies_dataset.csv`` -- the 24 columns of ``movies_metadata.csv``; nested cells are the
  Python ``repr()`` of lists of dicts (genres ``{id,name}``, production_companies
  ``{name,id}``, production_countries ``{iso_3166_1,name}``, spoken_languages
  ``{iso_639_1,name}``; belongs_to_collection empty or one ``{id,name,poster_path,
  backdrop_path}`` dict).
* ``credits.csv`` -- ``cast,crew,id``; ~12 cast and ~10 crew entries per movie on average
  (0 for some, several hundred for a few), ~4.2 kB per row, as in the original (~190 MB at
  45k movies). Crew holds one or two ``Director`` entries for ~97% of the movies.
* ``keywords.csv`` (``id,keywords``), ``links.csv`` (``movieId,imdbId,tmdbId``) and
  ``ratings.csv`` (``userId,movieId,rating,timestamp``, CRLF like Kaggle's ratings files;
  by default as many users as ``ratings_small.csv`` per movie, ~100k ratings at 45k movies).

People, companies, keywords and collections come from pools (about ``5 x movies`` people) drawn
with a Zipf-like popularity, so the same person recurs across many movies with the same id,
name, gender and profile path. Names include apostrophes (``O'Brien``, whose repr switches to
double quotes), double-quoted nicknames (together with an apostrophe repr escapes ``\\'``),
accents and CJK; a few character names hold a backslash, a newline or a tab (escaped by repr).

Quirks of the real file, at about its rates: three malformed rows per 45k (the row after a
broken overview carries the later fields shifted left, so ``id`` holds a date), ~0.07%
repeated ids (exact copies of an earlier row; credits and keywords repeat theirs too, keywords
~2% more), ~0.2% empty ``release_date``, ~0.3% popularity in ``1e-05`` notation, now and then
an unparseable number (``''``, ``'NaN'``, ``'1,000,000'``...), ~30% empty overviews, and
``'id': None`` for ~0.5% of cast/crew entries.

Output is deterministic for a given ``--seed``, byte for byte and independent of ``--jobs``.
Rows are generated in chunks of 1024 movies, each with its own RNG, and streamed out, so memory
stays small (~100 MB) whatever the size. Each file is written as parts of 8 chunks by parallel
worker processes and the parts are then joined in order; with ``--gzip`` each part is a raw
deflate stream (compressed in a background thread) and the joined file is one ordinary gzip
member, as pigz does. Needs only the standard library and numpy.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import io
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

CHUNK = 1024  # movies per chunk; every chunk has its own RNG, so output is independent of jobs

MOVIES_HEADER = [
    "adult",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "production_countries",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
]
FILES = ("credits", "movies", "keywords", "ratings", "links")  # biggest first
FILE_NAMES = {
    "movies": "movies_dataset.csv",
    "credits": "credits.csv",
    "keywords": "keywords.csv",
    "links": "links.csv",
    "ratings": "ratings.csv",
}
STREAM = {"skeleton": 1, "movies": 2, "credits": 3, "keywords": 4, "links": 5, "ratings": 6}

# Real rates in the 45,466-row original.
MALFORMED_RATE = 3 / 45466
DUP_RATE = 30 / 45466
RATINGS_SMALL_USERS_PER_MOVIE = 671 / 45466

# --------------------------------------------------------------------------------------------
# Vocabulary (fixed; the seed only changes which entries are drawn)
# --------------------------------------------------------------------------------------------

GENRES = [  # TMDB genre id, name, relative frequency
    (18, "Drama", 20265),
    (35, "Comedy", 13182),
    (53, "Thriller", 7624),
    (10749, "Romance", 6735),
    (28, "Action", 6596),
    (27, "Horror", 4673),
    (80, "Crime", 4307),
    (99, "Documentary", 3932),
    (12, "Adventure", 3496),
    (878, "Science Fiction", 3049),
    (10751, "Family", 2770),
    (9648, "Mystery", 2467),
    (14, "Fantasy", 2313),
    (16, "Animation", 1935),
    (10769, "Foreign", 1622),
    (10402, "Music", 1598),
    (36, "History", 1398),
    (10752, "War", 1323),
    (37, "Western", 1042),
    (10770, "TV Movie", 767),
]
LANGUAGES = [  # iso_639_1, native name, weight as original_language, weight as spoken language
    ("en", "English", 711, 620),
    ("fr", "Français", 54, 52),
    ("it", "Italiano", 34, 30),
    ("ja", "日本語", 35, 30),
    ("de", "Deutsch", 23, 38),
    ("es", "Español", 22, 40),
    ("ru", "Pусский", 18, 22),
    ("hi", "हिन्दी", 11, 9),
    ("ko", "한국어/조선말", 10, 8),
    ("zh", "普通话", 9, 12),
    ("sv", "svenska", 8, 6),
    ("pt", "Português", 7, 9),
    ("cn", "广州话 / 廣州話", 7, 5),
    ("fi", "suomi", 6, 4),
    ("nl", "Nederlands", 5, 5),
    ("da", "Dansk", 5, 4),
    ("pl", "Polski", 5, 5),
    ("tr", "Türkçe", 4, 3),
    ("cs", "Český", 3, 4),
    ("el", "ελληνικά", 3, 3),
    ("fa", "فارسی", 3, 2),
    ("hu", "Magyar", 3, 3),
    ("he", "עִבְרִית", 2, 3),
    ("ar", "العربية", 2, 5),
    ("th", "ภาษาไทย", 2, 2),
    ("no", "Norsk", 2, 2),
    ("ta", "தமிழ்", 2, 1),
    ("te", "తెలుగు", 1, 1),
    ("ml", "", 1, 1),
    ("id", "Bahasa indonesia", 1, 1),
    ("ro", "Română", 1, 2),
    ("la", "Latin", 0.2, 2),
    ("xx", "No Language", 0.5, 1),
    ("yi", "", 0.1, 1),
    ("uk", "Український", 0.4, 1),
]
COUNTRIES = [  # iso_3166_1, name, weight
    ("US", "United States of America", 214),
    ("GB", "United Kingdom", 42),
    ("FR", "France", 38),
    ("DE", "Germany", 22),
    ("IT", "Italy", 21),
    ("CA", "Canada", 18),
    ("JP", "Japan", 16),
    ("ES", "Spain", 10),
    ("RU", "Russia", 9),
    ("IN", "India", 8),
    ("HK", "Hong Kong", 6),
    ("SE", "Sweden", 6),
    ("AU", "Australia", 6),
    ("KR", "South Korea", 5),
    ("BE", "Belgium", 5),
    ("DK", "Denmark", 4),
    ("FI", "Finland", 4),
    ("CN", "China", 4),
    ("MX", "Mexico", 3),
    ("NL", "Netherlands", 3),
    ("BR", "Brazil", 3),
    ("AR", "Argentina", 3),
    ("CH", "Switzerland", 2),
    ("AT", "Austria", 2),
    ("PL", "Poland", 2),
    ("IE", "Ireland", 2),
    ("NO", "Norway", 2),
    ("CZ", "Czech Republic", 2),
    ("HU", "Hungary", 1.5),
    ("TR", "Turkey", 1.5),
    ("NZ", "New Zealand", 1),
    ("TW", "Taiwan", 1),
    ("IR", "Iran", 1),
    ("GR", "Greece", 1),
    ("PT", "Portugal", 1),
    ("IL", "Israel", 1),
    ("ZA", "South Africa", 1),
    ("PH", "Philippines", 1),
    ("TH", "Thailand", 0.7),
    ("RO", "Romania", 0.7),
    ("XC", "Czechoslovakia", 0.5),
    ("SU", "Soviet Union", 0.6),
    ("LU", "Luxembourg", 0.5),
    ("IS", "Iceland", 0.4),
    ("CI", "Cote D'Ivoire", 0.1),
    ("LA", "Lao People's Democratic Republic", 0.05),
    ("EG", "Egypt", 0.3),
    ("CL", "Chile", 0.3),
    ("CO", "Colombia", 0.3),
    ("BG", "Bulgaria", 0.3),
]
DEPT_JOBS = [  # department, job, weight (Director is added on its own)
    ("Production", "Producer", 9612),
    ("Writing", "Screenplay", 6464),
    ("Editing", "Editor", 5328),
    ("Camera", "Director of Photography", 4633),
    ("Production", "Executive Producer", 4321),
    ("Sound", "Original Music Composer", 3958),
    ("Production", "Casting", 3393),
    ("Writing", "Writer", 2803),
    ("Art", "Art Direction", 2757),
    ("Costume & Make-Up", "Costume Design", 2516),
    ("Art", "Production Design", 2494),
    ("Art", "Set Decoration", 1943),
    ("Costume & Make-Up", "Makeup Artist", 1650),
    ("Visual Effects", "Animation", 1168),
    ("Writing", "Author", 1141),
    ("Camera", "Camera Operator", 1117),
    ("Directing", "Script Supervisor", 1114),
    ("Sound", "Sound Re-Recording Mixer", 1097),
    ("Costume & Make-Up", "Hairstylist", 1060),
    ("Writing", "Novel", 1055),
    ("Sound", "Sound Effects Editor", 1004),
    ("Crew", "Stunts", 994),
    ("Camera", "Still Photographer", 889),
    ("Sound", "Music", 881),
    ("Sound", "Music Editor", 835),
    ("Crew", "Stunt Coordinator", 775),
    ("Art", "Set Designer", 775),
    ("Production", "Associate Producer", 769),
    ("Editing", "Dialogue Editor", 759),
    ("Sound", "Sound Designer", 750),
    ("Visual Effects", "Visual Effects Supervisor", 737),
    ("Sound", "Supervising Sound Editor", 735),
    ("Directing", "Assistant Director", 707),
    ("Writing", "Story", 655),
    ("Costume & Make-Up", "Costume Supervisor", 630),
    ("Sound", "Foley", 629),
    ("Production", "Co-Producer", 625),
    ("Production", "Location Manager", 613),
    ("Production", "Production Manager", 611),
    ("Visual Effects", "Visual Effects Producer", 600),
    ("Lighting", "Gaffer", 507),
    ("Art", "Assistant Art Director", 504),
    ("Crew", "Special Effects", 501),
    ("Production", "Unit Production Manager", 478),
    ("Art", "Construction Coordinator", 459),
    ("Crew", "Property Master", 457),
    ("Camera", "Steadicam Operator", 455),
    ("Sound", "Sound Editor", 434),
    ("Sound", "Music Supervisor", 402),
    ("Editing", "First Assistant Editor", 384),
    ("Sound", "Boom Operator", 376),
    ("Sound", "Orchestrator", 354),
    ("Camera", "First Assistant Camera", 351),
    ("Crew", "Makeup Effects", 338),
    ("Production", "Line Producer", 326),
    ("Crew", "Unit Publicist", 322),
    ("Lighting", "Electrician", 300),
    ("Camera", "Grip", 304),
    ("Editing", "Color Timer", 250),
    ("Visual Effects", "Character Designer", 120),
    ("Crew", "Post Production Supervisor", 200),
    ("Writing", "Original Story", 180),
]


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


_FEMALE = _words(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Margaret "
    "Betty Sandra Ashley Dorothy Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah "
    "Stephanie Rebecca Laura Sharon Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela "
    "Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria "
    "Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith "
    "Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice "
    "Jean Alice Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle "
    "Theresa Sophia Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Zoë Chloé "
    "Renée Anaïs Inès Léa Mónica Lucía Sofía María Begoña Björk Maëlle Jördis Agnès Hélène "
    "Céline Françoise Ingrid Greta Astrid Sigrid Liv Nastassja Katarzyna Małgorzata Zuzana "
    "Ayşe Fatma Priya Aishwarya Deepika Noor Yasmin Leila Shirin Aaliyah Ngozi Chiamaka Amara"
)
_MALE = _words(
    "James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry "
    "Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy "
    "Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse "
    "Jordan Bryan Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne Elijah Randy Roy "
    "Vincent Ralph Eugene Russell Bobby Mason Philip Louis José François Jérôme André René "
    "Étienne Björn Søren Jürgen Günter Łukasz Miloš Dušan Jiří Ángel Nicolás Sebastián Joaquín "
    "Gérard Benoît Thierry Mikael Håkan Ørjan Giancarlo Vittorio Marcello Luciano Sergei "
    "Dmitri Ivan Oleg Rajesh Amitabh Shah Arjun Kofi Chinedu Kwame Mehmet Mustafa Reza Omid"
)
_LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook "
    "Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward "
    "Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez "
    "Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan "
    "Bell Coleman Butler Henderson Barnes Fisher Vasquez Simmons Romero Jordan Patterson "
    "Alexander Hamilton Graham Reynolds Griffin Wallace West Cole Hayes Bryant Gibson Ellis "
    "Stevens Murray Ford Marshall Owens McDonald Harrison Kennedy Wells Dupont Lefèvre Müller "
    "Schröder Weiß Fischer Groß Dvořák Novák Kowalski Wiśniewski Lewandowski Núñez Muñoz Peña "
    "Ibáñez Gómez Sánchez Fernández Rossi Russo Bianchi Ferrari Esposito Romano Conti Søndergaard "
    "Åkerlund Ångström Häkkinen Jørgensen Öztürk Yılmaz Çelik Kapoor Khan Bachchan Sharma "
    "Okafor Mensah Adeyemi Ivanov Petrov Smirnov Kuznetsov Tanaka Suzuki Sato Nakamura Watanabe "
    "O'Brien O'Connor O'Neil O'Hara D'Angelo D'Amico O'Toole N'Diaye O'Sullivan L'Herbier"
)
_CJK_FAMILY = [
    *"王李张刘陈杨黄赵吴周徐孙马朱胡林郭何高罗",
    "山田",
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "渡辺",
    "伊藤",
    "中村",
    "小林",
    "加藤",
    "김",
    "이",
    "박",
    "최",
    "정",
]
_CJK_GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "太郎",
    "花子",
    "健",
    "由美",
    "翔",
    "美咲",
    "大輔",
    "愛",
    "민준",
    "서연",
    "지훈",
    "하은",
]
_NICKNAMES = ['"The Rock"', '"Bob"', '"Ace"', '"Doc"', '"Kid"', '"Big Jim"', '"Red"']
_ROLES = _words(
    "Waitress,Bartender,Nurse,Cop,Reporter,Doctor,Priest,Guard,Soldier,Taxi Driver,Man in Bar,"
    "Woman at Party,Girl,Boy,Student,Teacher,Himself,Herself,Narrator,Dancer,Party Guest,"
    "Bouncer,Receptionist,Sheriff,Deputy,Judge,Lawyer,Prisoner,Pilot,Sailor,Clerk,Thug,Hitman,"
    "Mother,Father,Daughter,Son,Grandmother,Grandfather,Neighbor,Stranger,Villager,Monk,King,"
    "Queen,Prince,Princess,Knight,Wizard,Witch,Vampire,Zombie,Alien,Robot,Scientist,Professor,"
    "Mayor,Senator,President,General,Colonel,Lieutenant,Sergeant,Private,Coach,Singer,Pianist,"
    "Photographer,Detective,Inspector,Agent,Spy,Driver,Chef,Cook,Butler,Maid,Nanny,Hostess,"
    "Andy's Mom,Bartender's Wife,The Boss's Son,Jack's Friend,Drunk,Tourist,Newscaster,TV Host",
    sep=",",
)
_SPECIAL_CHARACTERS = [  # rare names that exercise repr escaping
    "Narrator\n(voice)",
    "Slash \\ Dash",
    "C:\\Users\\Hal",
    'Tony "Big Tuna" O\'Hara',
    '"Ace"',
    'Nell\'s "Friend"',
    "Tab\tGuy",
    "李警官",
    "山田太郎 (voice)",
    "Backslash\\",
    "Zoë's Mother",
    "Agent 'K'",
    "Line one\nLine two",
    "Mr. \\o/",
]
_WORDS = _words(
    "a an the of in on at to for with from by about into over after before under between "
    "through during without against among and but or yet so because while when where who "
    "which that this these those his her their its our your my he she they we it them him "
    "is was are were be been has have had will would can could must should may might does "
    "did find finds found lose loses lost take takes took make makes made discover discovers "
    "learn learns fight fights return returns escape escapes travel travels meet meets fall "
    "falls save saves steal steals hide hides follow follows search searches begin begins try "
    "tries decide decides become becomes love loves help helps leave leaves join joins face "
    "faces world city town village family friend friends brother sister father mother son "
    "daughter wife husband man woman boy girl child children life death war love money secret "
    "past future truth lie game house home school island ship train car road night day year "
    "years summer winter dream dreams murder crime case detective police cop agent killer gang "
    "team band group army soldier king queen prince princess kingdom battle journey adventure "
    "mission plan deal job career business company fortune treasure power magic creature "
    "monster ghost alien robot planet earth space time history story mystery danger trouble "
    "hope fear revenge justice freedom memory memories heart soul body mind voice face name "
    "young old new small big dark strange mysterious dangerous beautiful lonely young wealthy "
    "poor famous ordinary unlikely reluctant brilliant ruthless desperate small-town "
    "ambitious retired former troubled notorious legendary last first only true final "
    "together alone again away back down up out never always soon finally suddenly eventually "
    "hero's father's family's world's life's don't can't won't isn't it's "
    "Paris London Tokyo Rome Berlin Chicago Texas Mexico Africa Europe America Hollywood Vegas"
)
_TITLE_NOUNS = _words(
    "Night Day Love War Dream Heart City Road House Game Secret Shadow Storm Fire Ice River "
    "Island Kingdom Empire Legend Journey Return Escape Revenge Truth Life Death Blood Gold "
    "Silver Star Moon Sun Sky Sea Ocean Wind Rain Snow Summer Winter Spring Autumn Girl Boy "
    "Man Woman King Queen Prince Princess Hunter Killer Stranger Ghost Angel Devil Witch Wolf "
    "Dragon Tiger Horse Bird Family Brothers Sisters Friends Lovers Soldiers Heroes Thieves "
    "Mission Project Affair Code Edge Point Line Zone Paradise Hell Heaven Memory Promise "
    "Whisper Silence Echo Song Dance Fever Rush Run Chase Hunt Fall Rise Dawn Dusk Hour Time"
)
_TITLE_ADJ = _words(
    "Dark Last First Lost Final Secret Silent Wild Broken Hidden Forgotten Eternal Red Black "
    "White Blue Golden Little Big Long Deadly Sweet Bitter Cold Hot Perfect Dangerous Crazy "
    "Lonely Endless Midnight Savage Holy Sacred Fatal Strange Beautiful Bad Good Great True"
)
_FOREIGN_WORDS = {
    "fr": _words(
        "la le les nuit amour été rêve cœur mère père fille garçon ville château dernière"
    ),
    "de": _words(
        "der die das nacht liebe sommer traum herz mutter vater mädchen stadt schloß grüße"
    ),
    "es": _words("la el los noche amor verano sueño corazón madre padre niña ciudad señor año"),
    "it": _words("la il notte amore estate sogno cuore madre padre ragazza città perché così"),
    "pt": _words("a o noite amor verão sonho coração mãe pai menina cidade irmão"),
    "ja": _words("夜 愛 夏 夢 心 母 父 少女 街 東京 物語 侍 忍者 の"),
    "zh": _words("夜 爱 夏天 梦 心 母亲 父亲 女孩 城市 故事 江湖 英雄 的"),
    "cn": _words("夜 愛 夏天 夢 心 母親 父親 女孩 城市 故事 江湖 英雄 的"),
    "ko": _words("밤 사랑 여름 꿈 마음 어머니 아버지 소녀 도시 이야기"),
    "ru": _words("ночь любовь лето сон сердце мать отец девушка город история"),
    "hi": _words("रात प्यार गर्मी सपना दिल माँ पिता लड़की शहर कहानी"),
    "sv": _words("natt kärlek sommar dröm hjärta mor far flicka stad"),
}
_COMPANY_A = _words(
    "Silver Golden Blue Red Black White Northern Southern Atlantic Pacific Lone Star Eagle "
    "Lion Phoenix Falcon Mirage Horizon Summit Pinnacle Vista Cinema Studio Film Dream "
    "Moonlight Sunrise Crystal Iron Stone River Valley Mountain Harbor Bridge Castle Tower "
    "Société Filmförderung Cinéma Producciones Produzioni Østlys Children's People's Nikkatsu "
    "東宝 松竹 映画 Mosfilm Lenfilm Gaumont Pathé Canal+ Zentropa Svensk Nordisk Tōkyō"
)
_COMPANY_B = [
    "Pictures",
    "Films",
    "Productions",
    "Entertainment",
    "Studios",
    "Media",
    "Film Company",
    "Filmproduktion",
    "Cinematográfica",
    "International",
    "Distribution",
    "Film Corporation",
    "Television",
    "Features",
    "Animation",
    "Group",
    "Company",
    "Film",
    "Production Company",
]
_SPECIAL_COMPANIES = ["Metro-Goldwyn-Mayer (MGM)", 'The "Film" Works', "Lion's Gate", "X\\Y Films"]
_GARBAGE_NUMBERS = ["", "NaN", "nan", "1,000,000", "unknown", "-", "1e+07", " 12", "N/A", "0x1A"]
_RATING_VALUES = ["0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"]
_RATING_P = np.array([1101, 3326, 1687, 7271, 4449, 20064, 10538, 28750, 7723, 15095], float)
_STATUS_RARE = (
    ["Rumored"] * 10
    + ["Post Production"] * 5
    + ["In Production"] * 3
    + ["Planned", "Planned", "Canceled"]
)
_B62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8)
_HEX = np.frombuffer(b"".join(b"%02x" % i for i in range(256)), np.uint8).reshape(256, 2)
_ROMAN = ["II", "III", "2", "3", "Part II", "4", "Returns", "Reloaded"]


def _build_person_tokens() -> tuple[list[str], list[str], dict[str, tuple[int, int]]]:
    """Name = A-token + B-token. A tokens end with a space unless CJK (no space)."""
    rng = np.random.default_rng(20240531)  # fixed: vocabulary, not data
    a: list[str] = []
    off: dict[str, tuple[int, int]] = {}
    for group, firsts in (("f", _FEMALE), ("m", _MALE)):
        start = len(a)
        for f in firsts:
            a.append(f + " ")
            if rng.random() < 0.35:
                a.append(f"{f} {chr(65 + int(rng.integers(26)))}. ")
            if rng.random() < 0.04:
                a.append(f"{f} {_NICKNAMES[int(rng.integers(len(_NICKNAMES)))]} ")
        order = rng.permutation(len(a) - start)
        a[start:] = [a[start + int(i)] for i in order]
        off[group] = (start, len(a) - start)
    off["cjk"] = (len(a), len(_CJK_FAMILY))
    a.extend(_CJK_FAMILY)
    b = list(_LAST)
    b = [b[int(i)] for i in rng.permutation(len(b))]
    off["last"] = (0, len(b))
    off["given"] = (len(b), len(_CJK_GIVEN))
    b.extend(_CJK_GIVEN)
    return a, b, off


def _build_characters() -> list[str]:
    rng = np.random.default_rng(7)
    pool = [""]  # index 0: empty character (common in the original)
    titles = ["Mr.", "Mrs.", "Dr.", "Detective", "Officer", "Agent", "Captain", "Sergeant", "Uncle"]
    firsts = _FEMALE + _MALE
    for _ in range(3000):
        k = rng.random()
        f = firsts[int(rng.integers(len(firsts)))]
        last = _LAST[int(rng.integers(len(_LAST)))]
        if k < 0.30:
            s = f
        elif k < 0.55:
            s = f"{f} {last}"
        elif k < 0.70:
            s = f"{titles[int(rng.integers(len(titles)))]} {last}"
        elif k < 0.80:
            s = f"{_ROLES[int(rng.integers(len(_ROLES)))]} #{int(rng.integers(1, 6))}"
        else:
            s = _ROLES[int(rng.integers(len(_ROLES)))]
        r = rng.random()
        if r < 0.05:
            s += " (voice)"
        elif r < 0.09:
            s += " (uncredited)"
        elif r < 0.11:
            s += " / " + _ROLES[int(rng.integers(len(_ROLES)))]
        pool.append(s)
    return pool


_PA, _PB, _POFF = _build_person_tokens()
_CHARS = _build_characters()
_CHARS_R = [repr(c) for c in _CHARS]
_SPECIAL_R = [repr(c) for c in _SPECIAL_CHARACTERS]
_DJ_R = [(repr(d), repr(j)) for d, j, _ in DEPT_JOBS]
_DJ_P = np.array([w for _, _, w in DEPT_JOBS], float) / sum(w for _, _, w in DEPT_JOBS)
_DIRECTOR_R = (repr("Directing"), repr("Director"))
_GENRE_R = [f"{{'id': {i}, 'name': {n!r}}}" for i, n, _ in GENRES]
_GENRE_LOGW = np.log(np.array([w for _, _, w in GENRES], float))
_LANG_R = [f"{{'iso_639_1': {c!r}, 'name': {n!r}}}" for c, n, _, _ in LANGUAGES]
_LANG_CODES = [c for c, _, _, _ in LANGUAGES]
_LANG_ORIG_P = np.array([w for _, _, w, _ in LANGUAGES], float)
_LANG_ORIG_P /= _LANG_ORIG_P.sum()
_LANG_SPOKEN_LOGW = np.log(np.array([w for _, _, _, w in LANGUAGES], float))
_COUNTRY_R = [f"{{'iso_3166_1': {c!r}, 'name': {n!r}}}" for c, n, _ in COUNTRIES]
_COUNTRY_LOGW = np.log(np.array([w for _, _, w in COUNTRIES], float))
_WORDS_CAP = [w[0].upper() + w[1:] for w in _WORDS]

# --------------------------------------------------------------------------------------------
# Vectorized helpers
# --------------------------------------------------------------------------------------------


def _rng(seed: int, stream: str, chunk: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, STREAM[stream], chunk])


def _salt(seed: int, k: int) -> np.uint64:
    return np.random.SeedSequence([seed, 99]).generate_state(8, np.uint64)[k]


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: a fast bijective hash of uint64 values."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _bits(h: np.ndarray, shift: int, nbits: int) -> np.ndarray:
    return ((h >> np.uint64(shift)) & np.uint64((1 << nbits) - 1)).astype(np.int64)


def _unit(h: np.ndarray, shift: int) -> np.ndarray:
    """16 bits of h as a float in [0, 1)."""
    return _bits(h, shift, 16) / 65536.0


def _zipf_rank(u: np.ndarray, n: int, q: float) -> np.ndarray:
    """Zipf-Mandelbrot (exponent 1) rank in [0, n) from uniforms u: P(r) ~ 1 / (r + q)."""
    q = max(q, 0.5)
    r = np.floor(q * np.power((n + q) / q, u) - q).astype(np.int64)
    return np.clip(r, 0, n - 1)


def _split_fixed(buf: bytes, width: int, n: int) -> list[str]:
    s = buf.decode("ascii")
    return [s[i : i + width] for i in range(0, width * n, width)]


def _paths(idx62: np.ndarray, quoted: bool) -> list[str]:
    """'/<27 base62 chars>.jpg' for each row of idx62 (n, 27); quoted adds repr quotes."""
    n = idx62.shape[0]
    pre, suf = (b"'/", b".jpg'") if quoted else (b"/", b".jpg")
    out = np.empty((n, len(pre) + 27 + len(suf)), np.uint8)
    out[:, : len(pre)] = np.frombuffer(pre, np.uint8)
    out[:, len(pre) : len(pre) + 27] = _B62[idx62]
    out[:, len(pre) + 27 :] = np.frombuffer(suf, np.uint8)
    return _split_fixed(out.tobytes(), out.shape[1], n)


def _hashed_paths(h: np.ndarray, salt: int, quoted: bool = True) -> list[str]:
    """Stable path per hashed entity (a person's profile, a collection's poster...)."""
    a = _mix64(h ^ np.uint64(salt))
    b = _mix64(a)
    c = _mix64(b)
    d = _mix64(c)
    raw = np.stack([a, b, c, d], axis=1).view(np.uint8).reshape(-1, 32)[:, :27]
    return _paths(raw % 62, quoted)


def _credit_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Quoted 24-hex credit ids (ObjectId-like, 2012-2017); most start with '52fe4'."""
    raw = rng.integers(0, 256, (n, 12), dtype=np.uint8)
    raw[:, 0] = 0x50 + raw[:, 0] % 11
    old = rng.random(n) < 0.6
    raw[old, 0] = 0x52
    raw[old, 1] = 0xFE
    raw[old, 2] = 0x40 | (raw[old, 2] & 0x0F)
    out = np.empty((n, 26), np.uint8)
    out[:, 0] = out[:, 25] = ord("'")
    out[:, 1:25] = _HEX[raw].reshape(n, 24)
    return _split_fixed(out.tobytes(), 26, n)


def _topk_rows(rng: np.random.Generator, logw: np.ndarray, k: np.ndarray) -> list[list[int]]:
    """Weighted sampling without replacement (Gumbel top-k) of k[i] items for each row."""
    n, m = len(k), len(logw)
    keys = logw[None, :] + rng.gumbel(size=(n, m))
    order = np.argsort(-keys, axis=1)[:, : max(1, int(k.max(initial=1)))].tolist()
    return [row[:kk] for row, kk in zip(order, k.tolist(), strict=True)]


def _categorical(rng: np.random.Generator, probs: list[float], n: int) -> np.ndarray:
    p = np.asarray(probs, float)
    return rng.choice(len(p), size=n, p=p / p.sum())


# --------------------------------------------------------------------------------------------
# People, companies, keywords, collections: pools addressed by index, attributes from a hash
# --------------------------------------------------------------------------------------------


@dataclass
class People:
    gender: list[int]
    pid: list[int]
    name: list[str]
    profile: list[str]  # quoted path or 'None'


def _people(idx: np.ndarray, seed: int) -> People:
    """Attributes of persons idx (same person -> same attributes, in every file and run)."""
    h = _mix64(idx.astype(np.uint64) ^ _salt(seed, 0))
    g8 = _bits(h, 0, 8)
    gender = np.where(g8 < 90, 0, np.where(g8 < 146, 1, 2))
    cjk = _bits(h, 8, 8) < 8
    female = (gender == 1) | ((gender == 0) & (_bits(h, 16, 1) == 1))
    u_a = _unit(h, 17) ** 1.25
    u_b = _unit(h, 33) ** 1.3
    fs, fn = _POFF["f"]
    ms, mn = _POFF["m"]
    cs, cn = _POFF["cjk"]
    gs, gn = _POFF["given"]
    a = np.where(female, fs + (u_a * fn).astype(np.int64), ms + (u_a * mn).astype(np.int64))
    b = (u_b * _POFF["last"][1]).astype(np.int64)
    a = np.where(cjk, cs + (u_a * cn).astype(np.int64), a)
    b = np.where(cjk, gs + (u_b * gn).astype(np.int64), b)
    # Unique TMDB-like person id: popular (low) indexes get low ids.
    pid = idx.astype(np.int64) * 7 + _bits(h, 49, 8) % 7 + 1
    has_profile = _bits(h, 57, 7) < 75
    paths = _hashed_paths(h, 0x51F1)
    pa, pb = _PA, _PB
    return People(
        gender=gender.tolist(),
        pid=pid.tolist(),
        name=[pa[i] + pb[j] for i, j in zip(a.tolist(), b.tolist(), strict=True)],
        profile=[p if hp else "None" for p, hp in zip(paths, has_profile.tolist(), strict=True)],
    )


def _companies_repr(idx: np.ndarray, seed: int) -> list[str]:
    h = _mix64(idx.astype(np.uint64) ^ _salt(seed, 1))
    a = (_unit(h, 0) ** 1.4 * len(_COMPANY_A)).astype(np.int64).tolist()
    b = (_unit(h, 16) ** 1.6 * len(_COMPANY_B)).astype(np.int64).tolist()
    c = (_unit(h, 32) * len(_COMPANY_A)).astype(np.int64).tolist()
    form = _bits(h, 48, 8).tolist()
    cid = (idx.astype(np.int64) * 3 + _bits(h, 56, 4) % 3 + 1).tolist()
    out = []
    for i, j, k, f, ci in zip(a, b, c, form, cid, strict=True):
        if f < 2:
            name = _SPECIAL_COMPANIES[f * 2 + (k & 1)]
        elif f < 90:
            name = f"{_COMPANY_A[i]} {_COMPANY_B[j]}"
        elif f < 170:
            name = f"{_COMPANY_A[i]} {_COMPANY_A[k]} {_COMPANY_B[j]}"
        else:
            name = f"{_COMPANY_A[k]} {_COMPANY_A[i]}"
        out.append(f"{{'name': {name!r}, 'id': {ci}}}")
    return out


def _keywords_repr(idx: np.ndarray, seed: int) -> list[str]:
    h = _mix64(idx.astype(np.uint64) ^ _salt(seed, 2))
    nw = len(_WORDS) - 80  # skip the function words at the start of the list
    w1 = (80 + _unit(h, 0) * nw).astype(np.int64).tolist()
    w2 = (80 + _unit(h, 16) * nw).astype(np.int64).tolist()
    w3 = (80 + _unit(h, 32) * nw).astype(np.int64).tolist()
    form = _bits(h, 48, 8).tolist()
    kid = (idx.astype(np.int64) * 11 + _bits(h, 56, 8) % 11 + 1).tolist()
    out = []
    for a, b, c, f, k in zip(w1, w2, w3, form, kid, strict=True):
        if f < 128:
            name = _WORDS[a]
        elif f < 225:
            name = f"{_WORDS[a]} {_WORDS[b]}"
        elif f < 250:
            name = f"{_WORDS[a]} {_WORDS[b]} {_WORDS[c]}"
        else:
            name = f"based on {_WORDS[a]}'s {_WORDS[b]}"
        out.append(f"{{'id': {k}, 'name': {name.lower()!r}}}")
    return out


def _collection_repr(idx: np.ndarray, seed: int) -> list[str]:
    h = _mix64(idx.astype(np.uint64) ^ _salt(seed, 3))
    a = (_unit(h, 0) * len(_TITLE_ADJ)).astype(np.int64).tolist()
    b = (_unit(h, 16) * len(_TITLE_NOUNS)).astype(np.int64).tolist()
    form = _bits(h, 32, 8).tolist()
    cid = (idx.astype(np.int64) * 60 + _bits(h, 40, 8) % 60 + 1).tolist()
    poster = _hashed_paths(h, 0xC011)
    backdrop = _hashed_paths(h, 0xBAC4)
    no_p = (_bits(h, 48, 8) < 15).tolist()
    no_b = (_bits(h, 56, 8) < 46).tolist()
    out = []
    for i, j, f, c, p, bd, np_, nb in zip(
        a, b, form, cid, poster, backdrop, no_p, no_b, strict=True
    ):
        if f < 150:
            name = f"The {_TITLE_ADJ[i]} {_TITLE_NOUNS[j]} Collection"
        elif f < 245:
            name = f"{_TITLE_NOUNS[j]} Collection"
        else:
            name = f"{_FEMALE[j % len(_FEMALE)]}'s {_TITLE_NOUNS[j]} Collection"
        out.append(
            f"{{'id': {c}, 'name': {name!r}, 'poster_path': {'None' if np_ else p}, "
            f"'backdrop_path': {'None' if nb else bd}}}"
        )
    return out


# --------------------------------------------------------------------------------------------
# Skeleton: what every file must agree on (ids, row kinds, how prominent each movie is)
# --------------------------------------------------------------------------------------------

NORMAL, DUPLICATE, HEAD, SHIFTED = 0, 1, 2, 3


@dataclass
class Skeleton:
    seed: int
    n: int
    kind: np.ndarray  # NORMAL / DUPLICATE (copy of src) / HEAD (broken overview) / SHIFTED
    src: np.ndarray  # for DUPLICATE: index of the copied row (same chunk, earlier)
    tmdb: np.ndarray
    imdb: np.ndarray
    mlid: np.ndarray  # MovieLens movieId (links, ratings); -1 where the slot is no movie
    z: np.ndarray  # prominence ~ N(0, 1): drives popularity, votes, budget, cast/crew size

    @property
    def n_chunks(self) -> int:
        return (self.n + CHUNK - 1) // CHUNK


def build_skeleton(n: int, seed: int) -> Skeleton:
    rng = _rng(seed, "skeleton")
    kind = np.zeros(n, np.int8)
    src = np.full(n, -1, np.int64)
    in_chunk = np.arange(n) % CHUNK
    candidates = np.flatnonzero(in_chunk >= 2)
    n_bad = round(n * MALFORMED_RATE) if n >= 1000 else 0
    n_dup = round(n * DUP_RATE)
    if len(candidates) and n_bad + n_dup:
        picks = rng.choice(
            candidates, size=min(len(candidates), 2 * (n_bad + n_dup)), replace=False
        )
        used: set[int] = set()
        bad = dup = 0
        for i in picks.tolist():
            if bad < n_bad and not used & {i - 2, i - 1, i, i + 1}:
                kind[i - 1], kind[i] = HEAD, SHIFTED
                used |= {i - 1, i}
                bad += 1
            elif dup < n_dup and i not in used and i - 1 not in used:
                lo = i - in_chunk[i]
                j = int(rng.integers(max(lo, i - 200), i))
                if kind[j] == NORMAL and j not in used:
                    kind[i], src[i] = DUPLICATE, j
                    used |= {i, j}
                    dup += 1
    z = rng.standard_normal(n).astype(np.float32)
    tmdb = np.cumsum(rng.geometric(1 / 9.5, n)).astype(np.int64) + 1
    tmdb = tmdb[rng.permutation(n)]
    gap = max(2.0, 5.4e6 / max(n, 1))
    imdb = np.cumsum(rng.integers(1, int(2 * gap), n)).astype(np.int64)
    imdb = imdb[rng.permutation(n)]
    dups = np.flatnonzero(kind == DUPLICATE)
    tmdb[dups] = tmdb[src[dups]]
    imdb[dups] = imdb[src[dups]]
    z[dups] = z[src[dups]]
    is_movie = (kind == NORMAL) | (kind == HEAD)
    mlid = np.full(n, -1, np.int64)
    mlid[is_movie] = np.cumsum(rng.geometric(1 / 3.8, int(is_movie.sum())))
    return Skeleton(seed, n, kind, src, tmdb, imdb, mlid, z)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


class Sink:
    """Buffered UTF-8 output of one part of a file.

    With gz the part is a raw deflate stream, compressed in a thread (zlib releases the GIL),
    ended by a sync flush (or by the final block for the last part), so that the parts of a
    file joined in order under one gzip header and trailer form a single gzip member.
    """

    def __init__(self, path: Path, gz: bool, level: int, last: bool) -> None:
        self._f = open(path, "wb")  # noqa: SIM115
        self._buf: list[str] = []
        self._size = 0
        self._last = last
        self._err: BaseException | None = None
        self._q: queue.Queue[bytes | None] | None = None
        self.crc = 0
        self.length = 0
        if gz:
            self._q = queue.Queue(maxsize=4)
            self._t = threading.Thread(target=self._deflate, args=(level,), daemon=True)
            self._t.start()

    def write(self, s: str) -> None:
        self._buf.append(s)
        self._size += len(s)
        if self._size >= 1 << 21:
            self._flush()

    def _flush(self) -> None:
        data = "".join(self._buf).encode("utf-8")
        self._buf, self._size = [], 0
        if self._q is None:
            self._f.write(data)
            return
        if self._err:
            raise self._err
        self._q.put(data)

    def _deflate(self, level: int) -> None:
        assert self._q is not None
        try:
            comp = zlib.compressobj(level, zlib.DEFLATED, -15)
            while (data := self._q.get()) is not None:
                self.crc = zlib.crc32(data, self.crc)
                self.length += len(data)
                self._f.write(comp.compress(data))
            self._f.write(comp.flush(zlib.Z_FINISH if self._last else zlib.Z_SYNC_FLUSH))
        except BaseException as e:  # surfaced by close()
            self._err = e
            while self._q.get() is not None:
                pass

    def close(self) -> None:
        self._flush()
        if self._q is not None:
            self._q.put(None)
            self._t.join()
        self._f.close()
        if self._err:
            raise self._err


def _gf2_times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << k for k in range(31)]  # the operator for one zero bit
    even = [_gf2_times(odd, odd[k]) for k in range(32)]  # two zero bits
    odd = [_gf2_times(even, even[k]) for k in range(32)]  # four zero bits
    while True:
        even = [_gf2_times(odd, odd[k]) for k in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, even[k]) for k in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


class ChunkWriter:
    """csv.writer (QUOTE_MINIMAL) into a StringIO per chunk, handed to the Sink in one piece."""

    def __init__(self, sink: Sink, lineterminator: str = "\n") -> None:
        self.sink = sink
        self.sio = io.StringIO()
        self.w = csv.writer(self.sio, quoting=csv.QUOTE_MINIMAL, lineterminator=lineterminator)
        self.rows = 0

    def header(self, names: list[str]) -> None:
        self.w.writerow(names)
        self.flush()

    def writerows(self, rows: list) -> None:
        self.w.writerows(rows)
        self.rows += len(rows)
        self.flush()

    def flush(self) -> None:
        self.sink.write(self.sio.getvalue())
        self.sio.seek(0)
        self.sio.truncate()


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


class Text:
    """Sentences from the word list; one instance per chunk, fed by numpy draws."""

    def __init__(self, rng: np.random.Generator, n_words: int) -> None:
        self.rng = rng
        self.words = rng.integers(0, len(_WORDS), n_words).tolist()
        self.pos = 0

    def _take(self, k: int) -> list[int]:
        if self.pos + k > len(self.words):
            self.words = self.rng.integers(0, len(_WORDS), max(k, 4096)).tolist()
            self.pos = 0
        out = self.words[self.pos : self.pos + k]
        self.pos += k
        return out

    def sentence(self, k: int, r: float) -> str:
        w = self._take(k)
        parts = [_WORDS_CAP[w[0]]] + [_WORDS[i] for i in w[1:]]
        if k > 6 and r < 0.35:
            parts[k // 2] += ","
        if k > 4 and 0.95 < r < 0.98:
            parts[1] = '"' + parts[1]
            parts[2] += '"'
        end = "." if r < 0.93 else ("!" if r < 0.97 else "?")
        return " ".join(parts) + end

    def paragraph(self, n_sent: int, lengths: list[int], rs: list[float]) -> str:
        return " ".join(self.sentence(lengths[i], rs[i]) for i in range(n_sent))


def _title(code: int, a: int, b: int, c: int) -> str:
    adj = _TITLE_ADJ[a % len(_TITLE_ADJ)]
    noun = _TITLE_NOUNS[b % len(_TITLE_NOUNS)]
    noun2 = _TITLE_NOUNS[c % len(_TITLE_NOUNS)]
    if code < 20:
        return noun
    if code < 45:
        return f"The {adj} {noun}"
    if code < 60:
        return f"{adj} {noun}"
    if code < 70:
        return f"{_MALE[c % len(_MALE)]}'s {noun}"
    if code < 82:
        return f"{noun} of the {noun2}"
    if code < 88:
        return f"{noun}: The {adj} {noun2}"
    if code < 94:
        return f"{adj} {noun} {_ROMAN[c % len(_ROMAN)]}"
    if code < 97:
        return f"{noun}, {noun2} and {_TITLE_NOUNS[(a + c) % len(_TITLE_NOUNS)]}"
    if code < 99:
        return f'The "{adj}" {noun}'
    return f"{_WORDS[c % len(_WORDS)].capitalize()} {noun}"


def _foreign_title(lang: str, a: int, b: int, c: int) -> str | None:
    words = _FOREIGN_WORDS.get(lang)
    if not words:
        return None
    k = 1 + a % 3
    picks = [words[(b + i * c) % len(words)] for i in range(k)]
    sep = "" if lang in ("ja", "zh", "cn") else " "
    s = sep.join(picks)
    return s[:1].upper() + s[1:]


# --------------------------------------------------------------------------------------------
# movies_dataset.csv
# --------------------------------------------------------------------------------------------


def _nested(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _movies_chunk(sk: Skeleton, c: int) -> list[list[str]]:
    rng = _rng(sk.seed, "movies", c)
    lo, hi = c * CHUNK, min(sk.n, (c + 1) * CHUNK)
    n = hi - lo
    z = sk.z[lo:hi].astype(float)
    kind = sk.kind[lo:hi].tolist()
    tmdb = sk.tmdb[lo:hi].tolist()
    imdb = sk.imdb[lo:hi].tolist()
    nz = rng.standard_normal((6, n))
    u = rng.random((24, n))

    # Popularity: repr(round(x, 6)) as in the file, small values print as 8.2e-05.
    pop = np.exp(0.05 + 1.25 * z + 0.35 * nz[0])
    pop = np.where(u[0] < 0.003, pop * 1e-4, pop)
    vc = (np.floor(np.exp(2.6 + 1.3 * z + 0.7 * nz[1])) - 1).clip(0, None).astype(np.int64)
    va = np.where(vc >= 5, 6.0 + 0.25 * z + 0.9 * nz[2], 5.8 + 2.0 * nz[2]).clip(0, 10)
    va = np.where(vc == 0, 0.0, va)
    has_budget = u[1] < 1 / (1 + np.exp(1.9 - 1.1 * z))
    budget = np.exp(15.2 + 0.7 * z + 1.2 * nz[3]).clip(1, 4e8)
    budget = np.where(u[2] < 0.8, np.round(budget, -5).clip(100000, None), np.round(budget))
    budget = np.where(has_budget, budget, 0).astype(np.int64)
    revenue = np.where(
        has_budget,
        np.where(u[3] < 0.6, budget * np.exp(0.5 + 1.1 * nz[4]), 0),
        np.where(u[3] < 0.05, np.exp(15.5 + 1.8 * nz[4]), 0),
    ).astype(np.int64)
    runtime = np.where(u[4] < 0.06, 5 + 35 * u[5], 97 + 20 * nz[5]).clip(1, 900).astype(np.int64)
    year = (2017 - np.floor(rng.exponential(20.0, n))).clip(1874, 2020).astype(np.int64)
    dates = np.datetime_as_string(
        (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        + np.floor(u[6] * 365).astype("timedelta64[D]"),
        unit="D",
    ).tolist()
    lang = rng.choice(len(LANGUAGES), n, p=_LANG_ORIG_P)

    n_genres = _categorical(rng, [5.4, 20, 34, 27, 10, 3, 0.5, 0.1], n)
    genres = _topk_rows(rng, _GENRE_LOGW, n_genres)
    n_countries = _categorical(rng, [14, 70, 11, 3, 1.2, 0.5, 0.2, 0.1], n)
    countries = _topk_rows(rng, _COUNTRY_LOGW, n_countries)
    n_spoken = _categorical(rng, [8.5, 70, 15, 4, 1.5, 0.7, 0.3], n)
    spoken_w = np.broadcast_to(_LANG_SPOKEN_LOGW, (n, len(LANGUAGES))).copy()
    spoken_w[np.arange(n), lang] += 12.0  # the original language first, nearly always
    spoken = [
        row[:k]
        for row, k in zip(
            np.argsort(-(spoken_w + rng.gumbel(size=spoken_w.shape)), axis=1)[:, :8].tolist(),
            n_spoken.tolist(),
            strict=True,
        )
    ]
    n_comp = _categorical(rng, [26, 33, 20, 11, 5, 2.5, 1.2, 0.6, 0.4, 0.3], n)
    pool_c = max(50, sk.n // 2)
    comp_idx = _zipf_rank(rng.random(int(n_comp.sum())), pool_c, pool_c / 1500)
    comp_r = _companies_repr(comp_idx, sk.seed)
    pool_coll = max(10, sk.n // 25)
    has_coll = u[7] < 0.06 + 0.08 * (z > 0.5)
    coll_r = _collection_repr(_zipf_rank(rng.random(n), pool_coll, pool_coll / 50), sk.seed)
    posters = _paths(rng.integers(0, 62, (n, 27)), quoted=False)
    title_codes = rng.integers(0, 100, (4, n)).tolist()
    title_rand = rng.integers(0, 1 << 30, (3, n)).tolist()
    n_sent = rng.integers(1, 6, n).tolist()
    sent_len = rng.integers(6, 24, (n, 6)).tolist()
    sent_r = u[8:14].T.tolist()
    text = Text(rng, n * 40)
    garbage = rng.integers(0, len(_GARBAGE_NUMBERS), n).tolist()
    garbage_col = rng.integers(0, 6, n).tolist()
    ucols = u[14:24].T.tolist()

    rows: list[list[str]] = []
    ci = 0
    for i in range(n):
        g = lo + i
        k = kind[i]
        if k == DUPLICATE:
            rows.append(list(rows[int(sk.src[g]) - lo]))
            if ucols[i][0] < 0.5:  # some repeated rows differ in popularity only
                rows[-1][10] = repr(round(float(pop[i]), 6))
            continue
        nc = int(n_comp[i])
        companies = _nested(comp_r[ci : ci + nc])
        ci += nc
        if k == SHIFTED:
            continue  # written together with its HEAD row
        uc = ucols[i]
        lg = int(lang[i])
        a, b, cc = title_rand[0][i], title_rand[1][i], title_rand[2][i]
        title = _title(title_codes[0][i], a, b, cc)
        orig_title = title
        if _LANG_CODES[lg] != "en" and title_codes[1][i] < 60:
            orig_title = _foreign_title(_LANG_CODES[lg], a, b, cc) or title
        overview = ""
        if sent_r[i][5] >= 0.30:
            overview = text.paragraph(n_sent[i], sent_len[i], sent_r[i])
            if uc[1] < 0.0003:
                overview = overview.replace(". ", ".\n", 1)  # a line break inside the cell
        tagline = text.sentence(3 + title_codes[2][i] % 7, 0.0) if uc[2] < 0.45 else ""
        year_i = int(year[i])
        status = "Released"
        if uc[3] < 0.002:
            status = ""
        elif (year_i >= 2016 and uc[4] < 0.06) or uc[4] < 0.002:
            status = _STATUS_RARE[title_codes[3][i] % len(_STATUS_RARE)]
        rt = int(runtime[i])
        runtime_s = "" if uc[5] < 0.006 else ("0.0" if uc[5] < 0.04 else f"{rt}.0")
        row = [
            "True" if uc[6] < 0.0002 else "False",
            coll_r[i] if has_coll[i] else "",
            str(int(budget[i])),
            _nested([_GENRE_R[j] for j in genres[i]]),
            f"http://www.{title.split()[-1].lower().strip(':,.')}movie.com/"
            if uc[7] < 0.17
            else "",
            str(tmdb[i]),
            "" if uc[8] < 0.0003 else f"tt{imdb[i]:07d}",
            "" if uc[9] < 0.0023 else _LANG_CODES[lg],
            orig_title,
            overview,
            repr(round(float(pop[i]), 6)),
            "" if uc[0] < 0.008 else posters[i],
            companies,
            _nested([_COUNTRY_R[j] for j in countries[i]]),
            "" if sent_r[i][4] < 0.0018 else dates[i],
            str(int(revenue[i])),
            runtime_s,
            _nested([_LANG_R[j] for j in spoken[i]]),
            status,
            tagline,
            "" if uc[3] > 0.99993 else title,
            "True" if uc[6] > 0.998 else "False",
            f"{float(va[i]):.1f}",
            str(int(vc[i])),
        ]
        if uc[9] > 0.9997:  # an unparseable number now and then
            row[(2, 10, 15, 16, 22, 23)[garbage_col[i]]] = _GARBAGE_NUMBERS[garbage[i]]
        if k == HEAD:
            # The original's three broken rows: the overview is cut, the next CSV row starts
            # with its tail and carries the remaining fields one column off, so id = a date.
            cut = overview or text.paragraph(2, [12, 9], [0.5, 0.5])
            head = row[:9] + [cut[: len(cut) // 2]] + [""] * 14
            shifted = [" - " + cut[len(cut) // 2 :].lstrip()] + row[10:24] + [""] * 9
            rows.append(head)
            rows.append(shifted)
            continue
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# credits.csv
# --------------------------------------------------------------------------------------------


def _credits_chunk(sk: Skeleton, c: int) -> list[list[str]]:
    rng = _rng(sk.seed, "credits", c)
    lo, hi = c * CHUNK, min(sk.n, (c + 1) * CHUNK)
    n = hi - lo
    z = sk.z[lo:hi].astype(float)
    kind = sk.kind[lo:hi]
    live = (kind == NORMAL) | (kind == HEAD)
    nz = rng.standard_normal((2, n))
    u = rng.random((4, n))
    n_cast = np.ceil(np.exp(np.log(9.0) + 0.45 * z + 0.7 * nz[0])).clip(1, 350).astype(np.int64)
    n_cast = np.where(u[0] < 0.053, 0, n_cast)
    n_crew = np.ceil(np.exp(np.log(5.4) + 0.75 * z + 0.75 * nz[1])).clip(1, 450).astype(np.int64)
    n_crew = np.where(u[1] < 0.019, 0, n_crew)
    n_cast = np.where(live, n_cast, 0)
    n_crew = np.where(live, n_crew, 0)
    n_dir = np.where(n_crew > 0, np.where(u[2] < 0.03, 0, np.where(u[3] < 0.1, 2, 1)), 0)
    n_dir = np.minimum(n_dir, n_crew)
    tc, tw = int(n_cast.sum()), int(n_crew.sum())
    pool = max(100, 5 * sk.n)
    q = pool / 300

    # cast
    cast_p = _people(_zipf_rank(rng.random(tc), pool, q), sk.seed)
    # cast_id: increasing with gaps from a small random start; order: 0, 1, 2...
    starts = np.cumsum(n_cast) - n_cast
    steps = np.cumsum(rng.geometric(0.6, tc))
    first = np.repeat(starts, n_cast)
    cast_cid = (steps - steps[first] + np.repeat(rng.integers(0, 15, n), n_cast)).tolist()
    order = (np.arange(tc) - first).tolist()
    e = rng.random(tc)
    chars = np.where(e < 0.1, 0, _zipf_rank(rng.random(tc), len(_CHARS) - 1, 30) + 1).tolist()
    special = np.flatnonzero(e > 0.9995).tolist()
    special_pick = rng.integers(0, len(_SPECIAL_R), len(special)).tolist()
    char_r = [_CHARS_R[i] for i in chars]
    for j, s in zip(special, special_pick, strict=True):
        char_r[j] = _SPECIAL_R[s]
    cast_ids: list[object] = list(cast_p.pid)
    for j in np.flatnonzero(rng.random(tc) < 0.005).tolist():
        cast_ids[j] = None
    cr = _credit_ids(rng, tc)
    cast = [
        f"{{'cast_id': {a}, 'character': {ch}, 'credit_id': {cd}, 'gender': {g}, 'id': {pid}, "
        f"'name': {nm!r}, 'order': {o}, 'profile_path': {pp}}}"
        for a, ch, cd, g, pid, nm, o, pp in zip(
            cast_cid,
            char_r,
            cr,
            cast_p.gender,
            cast_ids,
            cast_p.name,
            order,
            cast_p.profile,
            strict=True,
        )
    ]

    # crew: a different bijection of the same pool, so crew stars are not the cast stars
    crew_idx = (_zipf_rank(rng.random(tw), pool, q) * 7919 + 104729) % pool
    crew_p = _people(crew_idx, sk.seed)
    jobs = rng.choice(len(DEPT_JOBS), tw, p=_DJ_P).tolist()
    dj = [_DJ_R[j] for j in jobs]
    # directors sit among the first few crew entries
    d_pos = np.cumsum(n_crew) - n_crew
    d_pos += np.floor(rng.random(n) * np.maximum(1, np.minimum(n_crew, 4) - n_dir + 1)).astype(
        np.int64
    )
    for s, nd in zip(d_pos.tolist(), n_dir.tolist(), strict=True):
        for j in range(s, s + nd):
            dj[j] = _DIRECTOR_R
    crew_ids: list[object] = list(crew_p.pid)
    for j in np.flatnonzero(rng.random(tw) < 0.005).tolist():
        crew_ids[j] = None
    cw = _credit_ids(rng, tw)
    crew = [
        f"{{'credit_id': {cd}, 'department': {d[0]}, 'gender': {g}, 'id': {pid}, "
        f"'job': {d[1]}, 'name': {nm!r}, 'profile_path': {pp}}}"
        for cd, d, g, pid, nm, pp in zip(
            cw, dj, crew_p.gender, crew_ids, crew_p.name, crew_p.profile, strict=True
        )
    ]

    rows: list[list[str]] = []
    by_slot: dict[int, list[str]] = {}
    a = w = 0
    extra = rng.random(n) < 0.0003
    for i, (k, nc, nw) in enumerate(
        zip(kind.tolist(), n_cast.tolist(), n_crew.tolist(), strict=True)
    ):
        g = lo + i
        if k == SHIFTED:
            continue
        if k == DUPLICATE:
            rows.append(by_slot[int(sk.src[g])])
            continue
        row = [_nested(cast[a : a + nc]), _nested(crew[w : w + nw]), str(int(sk.tmdb[g]))]
        a += nc
        w += nw
        by_slot[g] = row
        rows.append(row)
        if extra[i]:
            rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# keywords.csv, links.csv, ratings.csv
# --------------------------------------------------------------------------------------------


def _keywords_chunk(sk: Skeleton, c: int) -> list[list[str]]:
    rng = _rng(sk.seed, "keywords", c)
    lo, hi = c * CHUNK, min(sk.n, (c + 1) * CHUNK)
    n = hi - lo
    z = sk.z[lo:hi].astype(float)
    nk = np.ceil(np.exp(np.log(3.5) + 0.35 * z + 0.7 * rng.standard_normal(n))).clip(1, 150)
    nk = np.where(rng.random(n) < 0.32, 0, nk).astype(np.int64)
    pool = max(100, int(sk.n * 0.45))
    kw = _keywords_repr(_zipf_rank(rng.random(int(nk.sum())), pool, pool / 4000), sk.seed)
    again = rng.random(n) < 0.021
    rows: list[list[str]] = []
    later: list[list[str]] = []
    by_slot: dict[int, list[str]] = {}
    p = 0
    for i, (k, m) in enumerate(zip(sk.kind[lo:hi].tolist(), nk.tolist(), strict=True)):
        g = lo + i
        if k == SHIFTED:
            continue
        if k == DUPLICATE:
            rows.append(by_slot[int(sk.src[g])])
            continue
        row = [str(int(sk.tmdb[g])), _nested(kw[p : p + m])]
        p += m
        by_slot[g] = row
        rows.append(row)
        if again[i]:
            later.append(row)
    return rows + later


def _links_chunk(sk: Skeleton, c: int) -> list[tuple[str, str, str]]:
    rng = _rng(sk.seed, "links", c)
    lo, hi = c * CHUNK, min(sk.n, (c + 1) * CHUNK)
    blank = rng.random(hi - lo) < 0.0048
    rows = []
    for i, (m, im, tm) in enumerate(
        zip(sk.mlid[lo:hi].tolist(), sk.imdb[lo:hi].tolist(), sk.tmdb[lo:hi].tolist(), strict=True)
    ):
        if m >= 0:
            rows.append((str(m), f"{im:07d}", "" if blank[i] else str(tm)))
    return rows


USERS_PER_CHUNK = 64


def _ratings_chunk(
    sk: Skeleton, c: int, users: int, movie_ids: np.ndarray, movie_cdf: np.ndarray
) -> list[tuple[int, int, str, int]]:
    rng = _rng(sk.seed, "ratings", c)
    u0, u1 = c * USERS_PER_CHUNK, min(users, (c + 1) * USERS_PER_CHUNK)
    n_users = u1 - u0
    per = (20 + np.floor(np.exp(4.05 + 1.36 * rng.standard_normal(n_users)))).astype(np.int64)
    per = np.minimum(per, max(1, len(movie_ids) // 2))
    t_lo, t_hi = 789652009, 1476640644
    base = rng.integers(t_lo, t_hi, n_users)
    spread = np.exp(rng.uniform(np.log(60), np.log(3e8), n_users))
    rows: list[tuple[int, int, str, int]] = []
    for k in range(n_users):
        picks = np.searchsorted(movie_cdf, rng.random(int(per[k])) * movie_cdf[-1], side="right")
        mids = np.unique(movie_ids[np.minimum(picks, len(movie_ids) - 1)])
        m = len(mids)
        vals = rng.choice(len(_RATING_VALUES), m, p=_RATING_P / _RATING_P.sum()).tolist()
        ts = base[k] + rng.exponential(spread[k], m).astype(np.int64)
        ts = (t_lo + (ts - t_lo) % (t_hi - t_lo)).tolist()
        uid = u0 + k + 1
        rows.extend(
            zip([uid] * m, mids.tolist(), [_RATING_VALUES[v] for v in vals], ts, strict=True)
        )
    return rows


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------

_SK: Skeleton | None = None  # set before the worker processes fork
PART_CHUNKS = 8  # chunks per part; fixed, so even the gzip bytes do not depend on --jobs
HEADERS = {
    "movies": MOVIES_HEADER,
    "credits": ["cast", "crew", "id"],
    "keywords": ["id", "keywords"],
    "links": ["movieId", "imdbId", "tmdbId"],
    "ratings": ["userId", "movieId", "rating", "timestamp"],
}


@dataclass(frozen=True)
class Part:
    name: str
    index: int
    last: bool
    c_lo: int
    c_hi: int
    path: str
    gz: bool
    level: int
    users: int


@dataclass
class PartResult:
    part: Part
    rows: int
    seconds: float
    crc: int
    length: int


def _n_chunks(name: str, sk: Skeleton, users: int) -> int:
    if name == "ratings":
        return (users + USERS_PER_CHUNK - 1) // USERS_PER_CHUNK
    return sk.n_chunks


def _write_part(part: Part) -> PartResult:
    sk = _SK
    assert sk is not None
    t0 = time.perf_counter()
    sink = Sink(Path(part.path), part.gz, part.level, part.last)
    w = ChunkWriter(sink, "\r\n" if part.name == "ratings" else "\n")
    if part.index == 0:
        w.header(HEADERS[part.name])
    if part.name == "ratings":
        live = sk.mlid >= 0
        ids, cdf = sk.mlid[live], np.cumsum(np.exp(1.6 * sk.z[live].astype(float)))

        def make(c: int) -> list:
            return _ratings_chunk(sk, c, part.users, ids, cdf)
    else:
        chunk_fns: dict[str, Callable[[Skeleton, int], list[Any]]] = {
            "movies": _movies_chunk,
            "credits": _credits_chunk,
            "keywords": _keywords_chunk,
            "links": _links_chunk,
        }
        chunk_fn = chunk_fns[part.name]

        def make(c: int) -> list:
            return chunk_fn(sk, c)

    for c in range(part.c_lo, part.c_hi):
        w.writerows(make(c))
    sink.close()
    return PartResult(part, w.rows, time.perf_counter() - t0, sink.crc, sink.length)


def _copy_into(dst: io.BufferedWriter, src_path: str) -> None:
    with open(src_path, "rb") as src:
        size = os.fstat(src.fileno()).st_size
        dst.flush()
        copied = 0
        if hasattr(os, "copy_file_range"):
            try:
                while copied < size:
                    n = os.copy_file_range(src.fileno(), dst.fileno(), size - copied)
                    if n == 0:
                        break
                    copied += n
            except OSError:
                pass
        if copied < size:
            src.seek(copied)
            dst.seek(0, os.SEEK_END)
            while block := src.read(1 << 22):
                dst.write(block)
        dst.seek(0, os.SEEK_END)
    os.remove(src_path)


def _assemble(final: Path, results: list[PartResult], gz: bool) -> None:
    """Join the parts in order; with gz, under one gzip header and trailer."""
    results = sorted(results, key=lambda r: r.part.index)
    with open(final, "wb") as f:
        if gz:  # magic, deflate, no flags, mtime 0, no extra flags, OS unknown
            f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
        for r in results:
            _copy_into(f, r.part.path)
        if gz:
            crc, length = 0, 0
            for r in results:
                crc = crc32_combine(crc, r.crc, r.length)
                length += r.length
            f.write(crc.to_bytes(4, "little") + (length & 0xFFFFFFFF).to_bytes(4, "little"))


def generate(
    out: Path,
    movies: int,
    seed: int = 0,
    gz: bool = False,
    ratings_users: int | None = None,
    jobs: int | None = None,
    level: int = 6,
    log: Callable[[str], None] = print,
) -> dict[str, tuple[int, float]]:
    """Write the five files into out; return {file name: (data rows, CPU-side seconds)}."""
    global _SK
    out.mkdir(parents=True, exist_ok=True)
    users = ratings_users
    if users is None:
        users = max(1, round(movies * RATINGS_SMALL_USERS_PER_MOVIE))
    _SK = build_skeleton(movies, seed)
    parts: list[Part] = []
    for name in FILES:
        final = out / (FILE_NAMES[name] + (".gz" if gz else ""))
        n = _n_chunks(name, _SK, users)
        k = max(1, (n + PART_CHUNKS - 1) // PART_CHUNKS)
        for i in range(k):
            parts.append(
                Part(
                    name,
                    i,
                    i == k - 1,
                    i * PART_CHUNKS,
                    min(n, (i + 1) * PART_CHUNKS),
                    f"{final}.part{i:05d}",
                    gz,
                    level,
                    users,
                )
            )
    parts.sort(key=lambda p: ({"credits": 0, "movies": 1}.get(p.name, 2), p.index))
    jobs = jobs or os.cpu_count() or 1
    by_file: dict[str, list[PartResult]] = {name: [] for name in FILES}
    if jobs > 1 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(jobs) as pool:
            for r in pool.imap_unordered(_write_part, parts):
                by_file[r.part.name].append(r)
    else:
        for p in parts:
            by_file[p.name].append(_write_part(p))
    summary = {}
    for name in FILES:
        _assemble(out / (FILE_NAMES[name] + (".gz" if gz else "")), by_file[name], gz)
        rows = sum(r.rows for r in by_file[name])
        secs = sum(r.seconds for r in by_file[name])
        summary[FILE_NAMES[name]] = (rows, secs)
        log(f"  {FILE_NAMES[name]:<20} {rows:>11,} rows  {secs:7.1f} s in workers")
    return summary


# --------------------------------------------------------------------------------------------
# Verification: re-read the files, check field counts and that nested cells are exact reprs
# --------------------------------------------------------------------------------------------


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _check_cell(cell: str, nullable: bool = False) -> bool:
    if nullable and cell == "":
        return True
    try:
        return repr(ast.literal_eval(cell)) == cell
    except (ValueError, SyntaxError):
        return False


def verify(out: Path, sample: float = 0.01, seed: int = 1) -> bool:
    """Check every movies row has 24 fields and a random sample of nested cells round-trips
    through ast.literal_eval -> repr byte for byte (which also shows they parse)."""
    csv.field_size_limit(1 << 30)
    rng = np.random.default_rng(seed)
    ok = True

    def find(stem: str) -> Path:
        for p in (out / stem, out / (stem + ".gz")):
            if p.exists():
                return p
        raise FileNotFoundError(out / stem)

    nested = {"movies_dataset.csv": [1, 3, 12, 13, 17], "credits.csv": [0, 1], "keywords.csv": [1]}
    widths = {
        "movies_dataset.csv": 24,
        "credits.csv": 3,
        "keywords.csv": 2,
        "links.csv": 3,
        "ratings.csv": 4,
    }
    for stem, width in widths.items():
        path = find(stem)
        rows = bad_width = checked = bad = 0
        with _open_text(path) as f:
            reader = csv.reader(f)
            header = next(reader)
            if stem == "movies_dataset.csv" and header != MOVIES_HEADER:
                print(f"  {stem}: unexpected header {header}")
                ok = False
            for row in reader:
                rows += 1
                if len(row) != width:
                    bad_width += 1
                    continue
                if stem == "movies_dataset.csv" and not row[5].isdigit():
                    continue  # a shifted (malformed) row: its cells are in other columns
                if stem in nested and rng.random() < sample:
                    for j in nested[stem]:
                        checked += 1
                        # movies: '' is allowed (no collection; a broken row's head)
                        bad += not _check_cell(row[j], nullable=(width == 24))
        good = bad_width == 0 and bad == 0
        ok &= good
        print(
            f"  {stem:<20} {rows:>11,} rows, {bad_width} with != {width} fields, "
            f"{checked:,} nested cells checked, {bad} not exact reprs  {'ok' if good else 'FAIL'}"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="output directory")
    ap.add_argument("--movies", type=int, default=45466, help="rows of movies_dataset.csv")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gzip", action="store_true", help="write .csv.gz files")
    ap.add_argument("--gzip-level", type=int, default=6, help="zlib level (default 6)")
    ap.add_argument(
        "--ratings-users",
        type=int,
        default=None,
        help="users in ratings.csv (default: ratings_small's 671 per 45,466 movies)",
    )
    ap.add_argument("--jobs", type=int, default=None, help="parallel processes (default: cores)")
    ap.add_argument("--verify", type=Path, metavar="DIR", help="only check files in DIR")
    args = ap.parse_args(argv)
    if args.verify:
        return 0 if verify(args.verify) else 1
    if args.out is None:
        ap.error("--out is required")
    t0 = time.perf_counter()
    print(f"generating {args.movies:,} movies into {args.out} (seed {args.seed})")
    generate(
        args.out, args.movies, args.seed, args.gzip, args.ratings_users, args.jobs, args.gzip_level
    )
    total = 0
    for name in FILES:
        p = args.out / (FILE_NAMES[name] + (".gz" if args.gzip else ""))
        total += p.stat().st_size
        print(f"  {p.name:<23} {p.stat().st_size / 1e6:10.1f} MB")
    print(f"done in {time.perf_counter() - t0:.1f} s, {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
