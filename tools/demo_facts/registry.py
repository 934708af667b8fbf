"""Lookup tables and the compact movie-record helper used by the demo facts.

All facts in this package were written by hand from general knowledge.
Overviews are one-sentence summaries in our own words.

Compact notations used by the ``movies_*`` modules:

* genres, companies, countries, spoken languages, keywords: ``"A|B|C"``.
* cast: ``"Actor Name=Character|..."`` in billing order.
* crew: ``"D:Name|S:Name|..."`` where the code is a key of ``CREW_CODES``.
* person-name prefixes (anywhere a person appears):
  ``*`` female (gender 1), ``~`` gender unknown (0), ``?`` credit without a
  person id (``'id': None``, a real-data quirk).  Unprefixed names are
  gender 2 unless the same person is marked elsewhere.
"""

from typing import Any

# fmt: off

GENRES = {
    "Action": 28, "Adventure": 12, "Animation": 16, "Comedy": 35, "Crime": 80,
    "Documentary": 99, "Drama": 18, "Family": 10751, "Fantasy": 14,
    "History": 36, "Horror": 27, "Music": 10402, "Mystery": 9648,
    "Romance": 10749, "Science Fiction": 878, "Thriller": 53, "War": 10752,
    "Western": 37,
}

COUNTRIES = {
    "US": "United States of America", "GB": "United Kingdom", "FR": "France",
    "ES": "Spain", "JP": "Japan", "DE": "Germany", "IT": "Italy",
    "MX": "Mexico", "BR": "Brazil", "KR": "South Korea", "CN": "China",
    "TW": "Taiwan", "HK": "Hong Kong", "NZ": "New Zealand", "CA": "Canada",
    "AU": "Australia", "FI": "Finland", "CZ": "Czech Republic",
}

LANGUAGES = {
    "en": "English", "fr": "Français", "es": "Español", "ja": "日本語",
    "de": "Deutsch", "it": "Italiano", "pt": "Português",
    "ko": "한국어/조선말", "zh": "普通话", "cn": "广州话 / 廣州話",
    "ru": "Pусский", "la": "Latin", "ar": "العربية", "hi": "हिन्दी",
    "he": "עִבְרִית", "pl": "Polski", "sv": "svenska", "cs": "Český",
    "hu": "Magyar", "el": "ελληνικά", "tr": "Türkçe", "sw": "Kiswahili",
    "fa": "فارسی", "ur": "اردو", "ga": "Gaeilge",
}

# key -> (TMDB-style collection id, name)
COLLECTIONS = {
    "toy": (10194, "Toy Story Collection"),
    "nemo": (137697, "Finding Nemo Collection"),
    "incredibles": (468222, "The Incredibles Collection"),
    "monsters": (137696, "Monsters, Inc. Collection"),
    "shrek": (2150, "Shrek Collection"),
    "lionking": (94032, "The Lion King Collection"),
    "frozen": (386382, "Frozen Collection"),
    "httyd": (89137, "How to Train Your Dragon Collection"),
    "sw": (10, "Star Wars Collection"),
    "hp": (1241, "Harry Potter Collection"),
    "tdk": (263, "The Dark Knight Collection"),
    "bond": (645, "James Bond Collection"),
    "lotr": (119, "The Lord of the Rings Collection"),
    "jp": (328, "Jurassic Park Collection"),
    "bttf": (264, "Back to the Future Collection"),
    "gf": (230, "The Godfather Collection"),
    "alien": (8091, "Alien Collection"),
    "term": (528, "The Terminator Collection"),
    "avatar": (87096, "Avatar Collection"),
    "indy": (84, "Indiana Jones Collection"),
    "potc": (295, "Pirates of the Caribbean Collection"),
    "matrix": (2344, "The Matrix Collection"),
    "ironman": (131292, "Iron Man Collection"),
    "avengers": (86311, "The Avengers Collection"),
    "cap": (131295, "Captain America Collection"),
    "gotg": (284433, "Guardians of the Galaxy Collection"),
    "jaws": (2366, "Jaws Collection"),
    "killbill": (2883, "Kill Bill Collection"),
    "dollars": (2908, "The Man With No Name Collection"),
    "oceans": (304, "Ocean's Collection"),
    "mi": (87359, "Mission: Impossible Collection"),
    "diehard": (1570, "Die Hard Collection"),
    "rocky": (1575, "Rocky Collection"),
    "madmax": (8945, "Mad Max Collection"),
    "startrek": (115575, "Star Trek: Alternate Reality Collection"),
    "ghostbusters": (2980, "Ghostbusters Collection"),
    "trainspotting": (426, "Trainspotting Collection"),
}

# Production companies with TMDB-like ids.  Companies not listed here get a
# stable made-up id (>= 200000) assigned by the generator.
COMPANIES = {
    "Lucasfilm": 1, "Walt Disney Pictures": 2, "Pixar Animation Studios": 3,
    "Paramount Pictures": 4, "Columbia Pictures": 5, "RKO Radio Pictures": 6,
    "Gaumont": 9, "WingNut Films": 11, "New Line Cinema": 12,
    "Miramax Films": 14, "Imagine Entertainment": 23,
    "DreamWorks SKG": 27, "Orion Pictures": 41,
    "Fox Searchlight Pictures": 43, "El Deseo": 49,
    "Amblin Entertainment": 56, "A Band Apart": 59, "United Artists": 60,
    "American Zoetrope": 70, "Village Roadshow Pictures": 79,
    "Plan B Entertainment": 81, "Castle Rock Entertainment": 97,
    "Jerry Bruckheimer Films": 130, "Malpaso Productions": 171,
    "Twentieth Century Fox Film Corporation": 306,
    "The Weinstein Company": 308, "Heyday Films": 437,
    "Dune Entertainment": 444, "Summit Entertainment": 491,
    "Regency Enterprises": 508, "DreamWorks Animation": 521,
    "Lightstorm Entertainment": 574, "Marvel Studios": 420,
    "DC Comics": 429, "StudioCanal": 694, "Legendary Pictures": 923,
    "Silver Pictures": 1885, "Scott Free Productions": 1645,
    "Canal+": 5358, "Walt Disney Animation Studios": 6125,
    "Warner Bros.": 6194, "Relativity Media": 7295, "Eon Productions": 7576,
    "Metro-Goldwyn-Mayer (MGM)": 8411, "Touchstone Pictures": 9195,
    "Syncopy": 9996, "Working Title Films": 10163, "Studio Ghibli": 10342,
    "Danjaq": 10761, "New Regency Pictures": 10104,
    "Focus Features": 10146, "Bad Robot": 11461,
    "Universal Pictures": 33,
}

# Person ids.  Where we are fairly confident of the real TMDB person id we use
# it; every other person gets a stable made-up id (>= 3000001) assigned by the
# generator in order of first appearance.
PEOPLE = {
    "George Lucas": 1, "Mark Hamill": 2, "Harrison Ford": 3,
    "Carrie Fisher": 4, "Peter Cushing": 5, "Anthony Daniels": 6,
    "Andrew Stanton": 7, "Robert Zemeckis": 24, "Tom Hanks": 31,
    "Robin Wright": 32, "Gary Sinise": 33, "Sally Field": 35,
    "Alan Silvestri": 37, "Orson Welles": 40, "Sean Bean": 48,
    "Luc Besson": 59, "Bruce Willis": 62, "Gary Oldman": 64, "Ian Holm": 65,
    "Johnny Depp": 85, "Mark Ruffalo": 103, "Peter Jackson": 108,
    "Elijah Wood": 109, "Viggo Mortensen": 110, "Cate Blanchett": 112,
    "Christopher Lee": 113, "Orlando Bloom": 114, "Keira Knightley": 116,
    "Howard Shore": 117, "Geoffrey Rush": 118, "Jake Gyllenhaal": 131,
    "Quentin Tarantino": 138, "Uma Thurman": 139, "Clint Eastwood": 190,
    "Morgan Freeman": 192, "Gene Hackman": 193, "Richard Harris": 194,
    "Kate Winslet": 204, "Jim Carrey": 206, "Stanley Kubrick": 240,
    "Brad Pitt": 287, "Pedro Almodóvar": 309, "Robert De Niro": 380,
    "Steven Spielberg": 488, "Kathleen Kennedy": 489, "John Williams": 491,
    "Janusz Kamiński": 492, "Michael Kahn": 493, "Tom Cruise": 500,
    "Tim Robbins": 504, "Jack Nicholson": 514, "Pierce Brosnan": 517,
    "Michael J. Fox": 521, "Natalie Portman": 524, "Christopher Nolan": 525,
    "Jonathan Nolan": 527, "Guy Pearce": 529, "Carrie-Anne Moss": 530,
    "Joe Pantoliano": 532, "Emma Thomas": 556, "Ridley Scott": 578,
    "Hayao Miyazaki": 608, "Frank Marshall": 664, "Dan Aykroyd": 707,
    "Sean Connery": 738, "Jerry Bruckheimer": 770, "Edward Norton": 819,
    "Russell Crowe": 934, "Hans Zimmer": 947, "Penélope Cruz": 955,
    "Jean Reno": 1003, "Mads Mikkelsen": 1019, "Martin Scorsese": 1032,
    "Jodie Foster": 1038, "Christopher Lloyd": 1062, "Lea Thompson": 1063,
    "Arnold Schwarzenegger": 1100, "Al Pacino": 1158, "Julia Roberts": 1204,
    "Scarlett Johansson": 1245, "Ennio Morricone": 1259,
    "Helena Bonham Carter": 1283, "Ian McKellen": 1327, "Sean Astin": 1328,
    "Andy Serkis": 1333, "George Clooney": 1461, "Bill Murray": 1532,
    "Ang Lee": 1614, "Chow Yun-fat": 1619, "Michelle Yeoh": 1620,
    "Gore Verbinski": 1704, "James Horner": 1729,
    "Francis Ford Coppola": 1776, "Heath Ledger": 1810,
    "Anne Hathaway": 1813, "Steven Soderbergh": 1884, "Matt Damon": 1892,
    "Robbie Coltrane": 1923, "Kevin Spacey": 1979, "Cillian Murphy": 2037,
    "Brendan Gleeson": 2039, "Samuel L. Jackson": 2231,
    "Michael Keaton": 2232, "Mel Gibson": 2461, "Tom Hardy": 2524,
    "Alfred Hitchcock": 2636, "James Cameron": 2710, "Michael Biehn": 2712,
    "Linda Hamilton": 2713, "Laurence Fishburne": 2975,
    "Ewan McGregor": 3061, "Marlon Brando": 3084, "James Caan": 3085,
    "Robert Duvall": 3087, "Diane Keaton": 3092, "Antonio Banderas": 3131,
    "Robert Downey Jr.": 3223, "Javier Bardem": 3810,
    "Christian Bale": 3894, "Michael Caine": 3895, "Liam Neeson": 3896,
    "Katie Holmes": 3897, "Ken Watanabe": 3899, "Frank Darabont": 4027,
    "Humphrey Bogart": 4110, "Ingrid Bergman": 4111,
    "Anthony Hopkins": 4173, "Joe Pesci": 4517, "Alan Rickman": 4566,
    "Sam Neill": 4783, "Laura Dern": 4784, "Jeff Goldblum": 4785,
    "Richard Attenborough": 4786, "Roberto Benigni": 4818,
    "Judi Dench": 5309, "Ralph Fiennes": 5469, "Wes Anderson": 5655,
    "Michael Gambon": 5658, "Leonardo DiCaprio": 6193,
    "Aaron Eckhart": 6383, "Keanu Reeves": 6384, "Charlize Theron": 6885,
    "Hugh Jackman": 6968, "Don Rickles": 7167, "David Fincher": 7467,
    "Stan Lee": 7624, "John Lasseter": 7879, "John Ratzenberger": 7907,
    "Marion Cotillard": 8293, "Zoe Saldana": 8691, "Daniel Craig": 8784,
    "Annie Potts": 8873, "John Travolta": 8891, "Lilly Wachowski": 9339,
    "Lana Wachowski": 9340, "Sigourney Weaver": 10205,
    "Matthew McConaughey": 10297, "Kevin Feige": 10850, "Eva Green": 10912,
    "David Heyman": 10968, "Maggie Smith": 10978, "Daniel Radcliffe": 10980,
    "Rupert Grint": 10989, "Emma Watson": 10990, "Tom Felton": 10993,
    "Alfonso Cuarón": 11218, "Ray Liotta": 11477, "Pete Docter": 12890,
    "Joss Whedon": 12891, "Tim Allen": 12898, "Jim Varney": 12899,
    "Wallace Shawn": 12900, "Sylvester Stallone": 16483,
    "Chris Evans": 16828, "Jeremy Renner": 17604, "Sandra Bullock": 18277,
    "Joseph Gordon-Levitt": 24045, "Ellen Page": 27578,
    "Ryan Gosling": 30614, "Emma Stone": 54693, "Sam Worthington": 65731,
    "Joaquin Phoenix": 73421, "Chris Hemsworth": 74568,
    "Jessica Chastain": 83002,
}

# crew code -> (department, job)
CREW_CODES = {
    "D": ("Directing", "Director"),
    "S": ("Writing", "Screenplay"),
    "W": ("Writing", "Writer"),
    "N": ("Writing", "Novel"),
    "T": ("Writing", "Story"),
    "P": ("Production", "Producer"),
    "X": ("Production", "Executive Producer"),
    "M": ("Sound", "Original Music Composer"),
    "C": ("Camera", "Director of Photography"),
    "E": ("Editing", "Editor"),
}

FIELDS = (
    "id", "title", "orig", "lang", "date", "budget", "revenue", "runtime",
    "genres", "coll", "companies", "countries", "spoken", "va", "vc", "imdb",
    "tagline", "overview", "crew", "cast", "kw",
)


def M(*args: Any, **extra: Any) -> dict[str, Any]:
    """Build one raw movie record from positional facts (see FIELDS).

    Keyword extras: ``home`` (homepage), ``pop`` (explicit popularity text),
    ``broken`` (emit only as a column-shifted broken row), ``duplicate``
    (emit the movie row, its credits and keywords a second time),
    ``junk`` (text that spills into ``adult`` for a broken row).
    """
    if len(args) != len(FIELDS):
        raise ValueError(f"movie {args[:2]!r}: expected {len(FIELDS)} fields, got {len(args)}")
    rec = dict(zip(FIELDS, args, strict=True))
    rec.update(extra)
    return rec
