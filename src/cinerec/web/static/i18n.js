"use strict";
// The page's words in English and Spanish, and the number and date formats of each (Intl).
// The API's JSON is language-neutral data; everything a person reads is chosen here.
const MESSAGES = {
  en: {
    title: "cinerec — find your next movie",
    navStats: "Stats", navDocs: "API docs", language: "Language",
    searchLabel: "Search a movie", searchPlaceholder: "Type a title… (typos are fine)",
    searchHelp: "Case, accents and small typos do not matter.", searchResults: "Search results",
    noMovieFound: "No movie found for “{q}”.",
    footer: "Data: The Movies Dataset (TMDB, MovieLens). Recommendations: a model learned from film fans' lists of similar films and from what the same viewers liked, over what the films share (makers, cast, story, kind).",
    demo: "Demo catalogue: this is the small bundled demo dataset ({n} movies), not The Movies Dataset. Build from the real files with cinerec build --raw PATH (a directory or Kaggle's zip).",
    homeTitle: "Find your next movie",
    homeText: "Search a title above, open it and browse the movies like it and what people with the same taste liked — with the reasons why.",
    homeStats: "Or look at <a href=\"#/stats\">the catalogue in numbers</a>.",
    posterOf: "Poster of {title}", noPoster: "No poster", noOverview: "No overview in the data.",
    directedBy: "Directed by", cast: "Cast", as: "as {character}",
    released: "Released", runtime: "Runtime", minutes: "{n} min", rating: "Rating",
    votes: "{n} votes", weightedRating: "Weighted rating", budget: "Budget", revenue: "Revenue",
    return: "Return", collection: "Collection",
    moviesLike: "Movies like {title}", ifYouLiked: "If you liked {title}",
    ifYouLikedHelp: "More picks, with what the same viewers liked.", genre: "Genre", anyGenre: "Any", fromYear: "From year",
    toYear: "To year", apply: "Apply", noRecs: "No recommendation matches these filters.",
    filmsAsActor: "Films as actor", totalReturnActor: "Total return (actor)",
    meanReturnActor: "Average return (actor)", filmsAsDirector: "Films as director",
    totalReturnDirector: "Total return (director)", directed: "Directed", actedIn: "Acted in",
    statsTitle: "The catalogue in numbers", statsPage: "Stats",
    perMonth: "Releases per month", perWeekday: "Releases per weekday", perYear: "Releases per year",
    moviesAxis: "movies", topCollections: "Top-grossing collections",
    topCompanies: "Top-grossing companies", name: "Name", movies: "Movies",
    sorry: "Sorry", notFound: "Nothing found.", didYouMean: "Did you mean: {names}?",
    invalid: "Invalid request.", failed: "Something went wrong; please try again.",
  },
  es: {
    title: "cinerec — encuentra tu próxima película",
    navStats: "Estadísticas", navDocs: "Documentación de la API", language: "Idioma",
    searchLabel: "Busca una película", searchPlaceholder: "Escribe un título… (las erratas no importan)",
    searchHelp: "Mayúsculas, tildes y pequeñas erratas no importan.", searchResults: "Resultados de la búsqueda",
    noMovieFound: "Ninguna película encontrada para «{q}».",
    footer: "Datos: The Movies Dataset (TMDB, MovieLens). Recomendaciones: un modelo aprendido de listas de películas parecidas hechas por cinéfilos y de lo que gustó a los mismos espectadores, sobre lo que las películas comparten (creadores, reparto, historia, género).",
    demo: "Catálogo de demostración: son los pocos datos de ejemplo incluidos ({n} películas), no The Movies Dataset. Construye el catálogo con los archivos reales: cinerec build --raw RUTA (una carpeta o el zip de Kaggle).",
    homeTitle: "Encuentra tu próxima película",
    homeText: "Busca un título arriba, ábrelo y mira las películas parecidas y lo que les gustó a quienes tienen tus gustos, con el porqué.",
    homeStats: "O mira <a href=\"#/stats\">el catálogo en cifras</a>.",
    posterOf: "Póster de {title}", noPoster: "Sin póster", noOverview: "Sin sinopsis en los datos.",
    directedBy: "Dirigida por", cast: "Reparto", as: "como {character}",
    released: "Estreno", runtime: "Duración", minutes: "{n} min", rating: "Valoración",
    votes: "{n} votos", weightedRating: "Valoración ponderada", budget: "Presupuesto",
    revenue: "Recaudación", return: "Retorno", collection: "Colección",
    moviesLike: "Películas como {title}", ifYouLiked: "Si te gustó {title}",
    ifYouLikedHelp: "Más propuestas, con lo que gustó a los mismos espectadores.", genre: "Género", anyGenre: "Cualquiera", fromYear: "Desde el año",
    toYear: "Hasta el año", apply: "Aplicar", noRecs: "Ninguna recomendación cumple estos filtros.",
    filmsAsActor: "Películas como actor", totalReturnActor: "Retorno total (actor)",
    meanReturnActor: "Retorno medio (actor)", filmsAsDirector: "Películas como director",
    totalReturnDirector: "Retorno total (director)", directed: "Dirigió", actedIn: "Actuó en",
    statsTitle: "El catálogo en cifras", statsPage: "Estadísticas",
    perMonth: "Estrenos por mes", perWeekday: "Estrenos por día de la semana", perYear: "Estrenos por año",
    moviesAxis: "películas", topCollections: "Colecciones más taquilleras",
    topCompanies: "Productoras más taquilleras", name: "Nombre", movies: "Películas",
    sorry: "Lo sentimos", notFound: "No se encontró nada.", didYouMean: "¿Quisiste decir: {names}?",
    invalid: "Petición no válida.", failed: "Algo salió mal; inténtalo de nuevo.",
  },
};

// TMDB's genre names, and the reasons the recommender gives ("same director: …"), in Spanish
const GENRES_ES = {
  "Action": "Acción", "Adventure": "Aventura", "Animation": "Animación", "Comedy": "Comedia",
  "Crime": "Crimen", "Documentary": "Documental", "Drama": "Drama", "Family": "Familia",
  "Fantasy": "Fantasía", "Foreign": "Extranjera", "History": "Historia", "Horror": "Terror",
  "Music": "Música", "Mystery": "Misterio", "Romance": "Romance",
  "Science Fiction": "Ciencia ficción", "TV Movie": "Película de TV", "Thriller": "Suspense",
  "War": "Bélica", "Western": "Western",
};
const REASONS_ES = {
  "same director": "mismo director", "same collection": "misma colección",
  "same writer": "mismo escritor", "same makers": "mismo equipo",
  "shared cast": "reparto en común", "shared keywords": "palabras clave en común",
  "liked by the same viewers": "gustó a los mismos espectadores", "same genres": "mismos géneros",
  "well rated": "bien valorada", "a similar story": "una historia parecida",
  "film fans name them together": "los cinéfilos las nombran juntas",
};

// the jobs a "same makers: Name (job)" reason names
const ROLES_ES = {
  "producer": "producción", "executive producer": "producción ejecutiva", "music": "música",
  "cinematography": "fotografía", "editing": "montaje", "production design": "diseño de producción",
};

const LANG_KEY = "cinerec.lang";

function browserLanguage() {
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (base === "es" || base === "en") return base;
  }
  return "en";
}

const i18n = {
  lang: (() => { try { const v = localStorage.getItem(LANG_KEY); if (v === "es" || v === "en") return v; } catch (e) { /* storage off */ } return browserLanguage(); })(),
  get locale() { return this.lang === "es" ? "es-ES" : "en-US"; },
  set(lang) {
    this.lang = lang === "es" ? "es" : "en";
    try { localStorage.setItem(LANG_KEY, this.lang); } catch (e) { /* storage off: this page only */ }
  },
  t(key, vars = {}) {
    const text = (MESSAGES[this.lang] || MESSAGES.en)[key] ?? MESSAGES.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
  },
  number(value, digits = 0) {
    if (value === null || value === undefined || Number.isNaN(Number(value))) return "—";
    return new Intl.NumberFormat(this.locale, {minimumFractionDigits: digits, maximumFractionDigits: digits}).format(Number(value));
  },
  money(value) {
    if (!value) return "—";
    return new Intl.NumberFormat(this.locale, {style: "currency", currency: "USD", maximumFractionDigits: 0}).format(value);
  },
  compact(value) {
    return new Intl.NumberFormat(this.locale, {notation: "compact", maximumFractionDigits: 1}).format(value);
  },
  date(iso) {
    if (!iso) return "—";
    const [y, m, d] = String(iso).split("-").map(Number);
    if (!y || !m || !d) return String(iso);
    return new Intl.DateTimeFormat(this.locale, {dateStyle: "long", timeZone: "UTC"}).format(new Date(Date.UTC(y, m - 1, d)));
  },
  month(number, width = "short") {  // 1-12
    return new Intl.DateTimeFormat(this.locale, {month: width, timeZone: "UTC"}).format(new Date(Date.UTC(2001, number - 1, 1)));
  },
  weekday(number, width = "short") {  // ISO 1 (Monday) - 7
    return new Intl.DateTimeFormat(this.locale, {weekday: width, timeZone: "UTC"}).format(new Date(Date.UTC(2001, 0, number)));
  },
  genre(name) { return this.lang === "es" ? (GENRES_ES[name] || name) : name; },
  reason(text) {
    if (this.lang !== "es") return text;
    const [head, ...rest] = String(text).split(": ");
    const label = REASONS_ES[head];
    if (!label) return text;
    if (!rest.length) return label;
    const names = rest.join(": ");
    if (head === "same genres") return `${label}: ${names.split(", ").map((g) => this.genre(g)).join(", ")}`;
    if (head === "same makers") return `${label}: ${names.replace(/\(([^()]+)\)/g, (all, role) => `(${ROLES_ES[role] || role})`)}`;
    return `${label}: ${names}`;
  },
};
