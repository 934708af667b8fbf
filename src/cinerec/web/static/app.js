"use strict";
// One API round trip per view: search, /views/movie/{id}, /people/{id}, /views/stats.
// Every word and number a person reads comes from i18n.js (English or Spanish).
const $ = (s) => document.querySelector(s);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const t = (key, vars) => i18n.t(key, vars);

class ApiError extends Error {
  constructor(status, detail, suggestions) {
    super(detail);
    this.status = status;
    this.suggestions = suggestions;
  }
}

async function api(path) {
  const response = await fetch(path, {headers: {"Accept": "application/json"}});
  const body = await response.json();
  if (!response.ok) {
    const detail = typeof body.detail === "string" ? body.detail : "invalid request";
    throw new ApiError(response.status, detail, body.suggestions || body.sugerencias || []);
  }
  return body;
}

function errorText(error) {
  // the API's sentences are English; the page says the same in the reader's language
  const hint = error.suggestions && error.suggestions.length ? " " + t("didYouMean", {names: error.suggestions.join(", ")}) : "";
  if (error instanceof ApiError && i18n.lang === "en") return error.message + hint;
  if (error instanceof ApiError && error.status === 404) return t("notFound") + hint;
  if (error instanceof ApiError && error.status === 422) return t("invalid");
  return t("failed");
}

// --- the page's fixed texts and the language switch -------------------------------------------

function applyLanguage() {
  document.documentElement.lang = i18n.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const button of document.querySelectorAll(".lang button")) button.setAttribute("aria-pressed", String(button.dataset.lang === i18n.lang));
  showDemo();
}

for (const button of document.querySelectorAll(".lang button")) {
  button.addEventListener("click", () => {
    if (button.dataset.lang === i18n.lang) return;
    i18n.set(button.dataset.lang);
    applyLanguage();
    route();
  });
}

let service = null;
async function loadService() {
  try { service = await api("/healthz"); } catch (error) { service = null; }
  showDemo();
}

function showDemo() {
  const banner = $("#demo");
  banner.hidden = !(service && service.demo);
  if (!banner.hidden) banner.textContent = t("demo", {n: i18n.number(service.movies)});
}

// --- search ---------------------------------------------------------------------------------------

let searchTimer = null;
let searchSeq = 0;
$("#q").addEventListener("input", (event) => {
  clearTimeout(searchTimer);
  const q = event.target.value.trim();
  searchTimer = setTimeout(() => search(q), 150);
});
$("#q").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") { const first = $("#results a"); if (first) { first.focus(); event.preventDefault(); } }
  if (event.key === "Enter") { const first = $("#results a"); if (first) { location.hash = first.getAttribute("href"); } }
});

async function search(q) {
  const seq = ++searchSeq;
  const list = $("#results");
  if (!q) { list.innerHTML = ""; return; }
  try {
    const body = await api(`/api/v1/movies/search?q=${encodeURIComponent(q)}&limit=8`);
    if (seq !== searchSeq) return;
    list.innerHTML = body.items.length
      ? body.items.map((m) => `<li role="option"><a href="#/movie/${m.id}">${esc(m.title)} <span class="muted">(${m.year})</span></a></li>`).join("")
      : `<li class="muted">${esc(t("noMovieFound", {q}))}</li>`;
  } catch (error) {
    if (seq === searchSeq) list.innerHTML = `<li class="muted">${esc(errorText(error))}</li>`;
  }
}

// --- a movie --------------------------------------------------------------------------------------

const GENRES = ["Action", "Adventure", "Animation", "Comedy", "Crime", "Drama", "Family", "Fantasy",
  "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "Thriller", "War", "Western"];

function movieFilters(params) {
  const options = [["", t("anyGenre")], ...GENRES.map((g) => [g, i18n.genre(g)])];
  return `<form class="filters" id="recfilters">
    <div><label for="genre">${esc(t("genre"))}</label><select id="genre" name="genre">${options.map(([value, label]) =>
      `<option value="${esc(value)}" ${params.get("genre") === value ? "selected" : ""}>${esc(label)}</option>`).join("")}</select></div>
    <div><label for="year_from">${esc(t("fromYear"))}</label><input id="year_from" name="year_from" type="number" min="1874" max="2100" value="${esc(params.get("year_from") || "")}"></div>
    <div><label for="year_to">${esc(t("toYear"))}</label><input id="year_to" name="year_to" type="number" min="1874" max="2100" value="${esc(params.get("year_to") || "")}"></div>
    <button type="submit">${esc(t("apply"))}</button></form>`;
}

async function showMovie(id, params) {
  const query = new URLSearchParams();
  for (const key of ["genre", "year_from", "year_to"]) if (params.get(key)) query.set(key, params.get(key));
  const view = await api(`/api/v1/views/movie/${id}?${query}`);
  const m = view.movie;
  const noPoster = esc(t("noPoster"));
  const poster = m.poster_url
    ? `<img class="poster" src="${esc(m.poster_url)}" alt="${esc(t("posterOf", {title: m.title}))}" onerror="this.replaceWith(Object.assign(document.createElement('div'),{className:'poster noposter',textContent:'${noPoster}'}))">`
    : `<div class="poster noposter" role="img" aria-label="${noPoster}">${noPoster}</div>`;
  const people = (list) => list.map((p) => `<a href="#/person/${p.id}">${esc(p.name)}</a>`).join(", ") || "—";
  // what a fan calls similar first; then what the blend adds from the same viewers' likes
  const similar = view.similar.items;
  const shown = new Set(similar.map((r) => r.id));
  const more = view.recommendations.items.filter((r) => !shown.has(r.id));
  const recList = (items) => `<div class="recs">${items.map((r) => `
        <div class="rec"><a href="#/movie/${r.id}">${esc(r.title)}</a> <span class="muted">(${r.year})</span>
          <ul class="why">${r.reasons.map((why) => `<li>${esc(i18n.reason(why))}</li>`).join("")}</ul></div>`).join("")}</div>`;
  $("#view").innerHTML = `
    <article class="card movie">
      ${poster}
      <div>
        <h1>${esc(m.title)} <span class="muted">(${m.year})</span></h1>
        ${m.original_title !== m.title ? `<p class="muted">${esc(m.original_title)}</p>` : ""}
        ${m.tagline ? `<p><em>${esc(m.tagline)}</em></p>` : ""}
        <p>${esc(m.overview || t("noOverview"))}</p>
        <p class="tags">${m.genres.map((g) => `<span>${esc(i18n.genre(g))}</span>`).join("")}</p>
        <p><b>${esc(t("directedBy"))}</b> ${people(m.directors)}</p>
        <p><b>${esc(t("cast"))}</b> ${m.cast.slice(0, 8).map((c) => `<a href="#/person/${c.id}">${esc(c.name)}</a>${c.character ? ` <span class="muted">${esc(t("as", {character: c.character}))}</span>` : ""}`).join(", ") || "—"}</p>
        <div class="facts">
          <div><b>${esc(t("released"))}</b>${esc(i18n.date(m.release_date))}</div>
          <div><b>${esc(t("runtime"))}</b>${m.runtime ? esc(t("minutes", {n: i18n.number(m.runtime)})) : "—"}</div>
          <div><b>${esc(t("rating"))}</b>${i18n.number(m.vote_average, 1)} (${esc(t("votes", {n: i18n.number(m.vote_count)}))})</div>
          <div><b>${esc(t("weightedRating"))}</b>${i18n.number(m.weighted_rating, 2)}</div>
          <div><b>${esc(t("budget"))}</b>${esc(i18n.money(m.budget))}</div>
          <div><b>${esc(t("revenue"))}</b>${esc(i18n.money(m.revenue))}</div>
          <div><b>${esc(t("return"))}</b>${m.return ? i18n.number(m.return, 2) + "×" : "—"}</div>
          <div><b>${esc(t("collection"))}</b>${esc(m.collection || "—")}</div>
        </div>
        ${m.keywords.length ? `<p class="tags">${m.keywords.slice(0, 12).map((k) => `<span>${esc(k)}</span>`).join("")}</p>` : ""}
      </div>
    </article>
    <section class="card" id="similar">
      <h2>${esc(t("moviesLike", {title: m.title}))}</h2>
      ${movieFilters(params)}
      ${similar.length ? recList(similar)
        : `<p class="muted">${esc(i18n.lang === "en" && view.similar.note ? view.similar.note : t("noRecs"))}</p>`}
    </section>
    ${more.length ? `<section class="card" id="more">
      <h2>${esc(t("ifYouLiked", {title: m.title}))}</h2>
      <p class="muted">${esc(t("ifYouLikedHelp"))}</p>
      ${recList(more)}
    </section>` : ""}`;
  $("#recfilters").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const next = new URLSearchParams();
    for (const [key, value] of form) if (value) next.set(key, value);
    location.hash = `#/movie/${id}?${next}`;
  });
  document.title = `${m.title} — cinerec`;
}

// --- a person -------------------------------------------------------------------------------------

async function showPerson(id) {
  const p = await api(`/api/v1/people/${id}`);
  const films = (list) => list.map((m) => `<li><a href="#/movie/${m.id}">${esc(m.title)}</a> <span class="muted">(${m.year})</span></li>`).join("");
  $("#view").innerHTML = `
    <article class="card">
      <h1>${esc(p.name)}</h1>
      <div class="facts">
        <div><b>${esc(t("filmsAsActor"))}</b>${i18n.number(p.as_actor.films)}</div>
        <div><b>${esc(t("totalReturnActor"))}</b>${i18n.number(p.as_actor.return_total, 2)}</div>
        <div><b>${esc(t("meanReturnActor"))}</b>${i18n.number(p.as_actor.return_mean, 2)}</div>
        <div><b>${esc(t("filmsAsDirector"))}</b>${i18n.number(p.as_director.films)}</div>
        <div><b>${esc(t("totalReturnDirector"))}</b>${i18n.number(p.as_director.return_total, 2)}</div>
      </div>
      ${p.directed.length ? `<h2>${esc(t("directed"))}</h2><ul>${films(p.directed)}</ul>` : ""}
      ${p.acted_in.length ? `<h2>${esc(t("actedIn"))}</h2><ul>${films(p.acted_in)}</ul>` : ""}
    </article>`;
  document.title = `${p.name} — cinerec`;
}

// --- the stats page: bar charts drawn at the width they get, with a value axis --------------------

let charts = [];

function niceStep(max, ticks) {
  const raw = Math.max(1, max) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return Math.max(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power);  // counts: whole steps
}

const textWidth = (text, size) => String(text).length * size * 0.62;  // a safe estimate

function chartSvg(chart, width) {
  const small = width < 520;
  const size = small ? 11 : 12;
  const height = small ? 200 : 240;
  const max = Math.max(1, ...chart.items.map((i) => i.count));
  const step = niceStep(max, small ? 3 : 4);
  const top = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  const tickLabels = ticks.map((v) => (v >= 10000 ? i18n.compact(v) : i18n.number(v)));
  const left = Math.ceil(Math.max(...tickLabels.map((l) => textWidth(l, size)))) + 10;
  const right = 8, upper = 10, bottom = size + 14;
  const plotW = width - left - right, plotH = height - upper - bottom;
  const n = chart.items.length;
  const w = plotW / Math.max(1, n);
  // the x labels: the widest form that fits, else every k-th (round numbers for years)
  let labels = chart.items.map((item) => chart.label(item, "short"));
  if (Math.max(...labels.map((l) => textWidth(l, size))) + 6 > w && chart.narrow) labels = chart.items.map((item) => chart.label(item, "narrow"));
  const need = Math.max(...labels.map((l) => textWidth(l, size))) + 8;
  let every = 1;
  if (need > w) {
    const k = Math.ceil(need / w);
    every = [1, 2, 5, 10, 20, 25, 50, 100].find((c) => c >= k) || k;
  }
  const y = (v) => upper + plotH - (plotH * v) / top;
  const grid = ticks.map((v, i) => `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}"/>
    <text class="axis" x="${left - 6}" y="${y(v) + size * 0.35}" text-anchor="end">${esc(tickLabels[i])}</text>`).join("");
  const bars = chart.items.map((item, i) => {
    const h = (plotH * item.count) / top;
    const x = left + i * w;
    const show = chart.every ? chart.every(item, every) : i % every === 0;
    let label = "";
    if (show) {
      const half = textWidth(labels[i], size) / 2;
      const cx = Math.min(Math.max(x + w / 2, left + half), width - half - 1);
      label = `<text class="axis" x="${cx}" y="${height - 6}" text-anchor="middle">${esc(labels[i])}</text>`;
    }
    return `<rect class="bar" x="${x + (w > 3 ? 1 : 0)}" y="${upper + plotH - h}" width="${Math.max(0.5, w - (w > 3 ? 2 : 0))}" height="${h}"><title>${esc(chart.label(item, "long"))}: ${esc(i18n.number(item.count))}</title></rect>${label}`;
  }).join("");
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(chart.title)}" style="font-size:${size}px">
    ${grid}<line class="baseline" x1="${left}" x2="${width - right}" y1="${y(0)}" y2="${y(0)}"/>${bars}</svg>`;
}

function drawCharts() {
  for (const chart of charts) {
    const box = document.getElementById(chart.id);
    if (box) box.innerHTML = chartSvg(chart, Math.max(240, Math.floor(box.clientWidth)));
  }
}

let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawCharts, 100); });

function chartFigure(chart) {
  return `<figure class="card"><figcaption><h2>${esc(chart.title)}</h2><p class="muted">${esc(t("moviesAxis"))}</p></figcaption>
    <div class="chart-box" id="${chart.id}"></div></figure>`;
}

function topTable(title, items) {
  return `<section class="card"><h2>${esc(title)}</h2><table><thead><tr><th>${esc(t("name"))}</th><th class="num">${esc(t("movies"))}</th><th class="num">${esc(t("revenue"))}</th></tr></thead><tbody>
    ${items.map((e) => `<tr><td>${esc(e.name)}</td><td class="num">${i18n.number(e.count)}</td><td class="num">${esc(i18n.money(e.value))}</td></tr>`).join("")}</tbody></table></section>`;
}

async function showStats() {
  const s = await api("/api/v1/views/stats");
  const counts = new Map(s.by_year.map((b) => [Number(b.key), b.count]));
  const known = [...counts.keys()].filter((y) => y >= 1900);
  const years = [];
  for (let y = Math.min(...known); y <= Math.max(...known); y++) years.push({key: y, count: counts.get(y) || 0});
  // the API names months and weekdays in Spanish (the course's words); their position is the number
  const months = s.by_month.map((b, i) => ({key: i + 1, count: b.count}));
  const weekdays = s.by_weekday.map((b, i) => ({key: i + 1, count: b.count}));
  charts = [
    {id: "chart-month", title: t("perMonth"), items: months, narrow: true,
     label: (item, width) => i18n.month(item.key, width === "long" ? "long" : width)},
    {id: "chart-weekday", title: t("perWeekday"), items: weekdays, narrow: true,
     label: (item, width) => i18n.weekday(item.key, width === "long" ? "long" : width)},
    {id: "chart-year", title: t("perYear"), items: years, label: (item) => String(item.key),
     every: (item, k) => item.key % k === 0},
  ];
  $("#view").innerHTML = `<h1>${esc(t("statsTitle"))}</h1>
    ${charts.map(chartFigure).join("")}
    ${topTable(t("topCollections"), s.top_collections)}
    ${topTable(t("topCompanies"), s.top_companies)}`;
  drawCharts();
  document.title = `${t("statsPage")} — cinerec`;
}

function showHome() {
  $("#view").innerHTML = `<section class="card"><h1>${esc(t("homeTitle"))}</h1>
    <p>${esc(t("homeText"))}</p>
    <p class="muted">${t("homeStats")}</p></section>`;
  document.title = t("title");
}

async function route() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean);
  charts = [];
  try {
    if (parts[0] === "movie" && parts[1]) await showMovie(parts[1], params);
    else if (parts[0] === "person" && parts[1]) await showPerson(parts[1]);
    else if (parts[0] === "stats") await showStats();
    else showHome();
    $("#results").innerHTML = "";
    window.scrollTo(0, 0);
  } catch (error) {
    $("#view").innerHTML = `<section class="card" role="alert"><h1>${esc(t("sorry"))}</h1><p>${esc(errorText(error))}</p></section>`;
  }
}
window.addEventListener("hashchange", route);
applyLanguage();
loadService();
route();
