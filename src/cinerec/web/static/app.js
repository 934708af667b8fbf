"use strict";
// One API round trip per view: search, /views/movie/{id}, /people/{id}, /views/stats.
const $ = (s) => document.querySelector(s);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const money = (v) => v ? "$" + Math.round(v).toLocaleString("en-US") : "—";
const num = (v, d = 1) => (v === null || v === undefined) ? "—" : Number(v).toFixed(d);

async function api(path) {
  const response = await fetch(path, {headers: {"Accept": "application/json"}});
  const body = await response.json();
  if (!response.ok) {
    const detail = typeof body.detail === "string" ? body.detail : "invalid request";
    const hint = (body.suggestions || body.sugerencias || []).join(", ");
    throw new Error(detail + (hint ? ` — did you mean: ${hint}?` : ""));
  }
  return body;
}

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
      : `<li class="muted">No movie found for “${esc(q)}”.</li>`;
  } catch (error) {
    list.innerHTML = `<li class="muted">${esc(error.message)}</li>`;
  }
}

function movieFilters(params) {
  const genres = ["", "Action", "Adventure", "Animation", "Comedy", "Crime", "Drama", "Family", "Fantasy",
    "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "Thriller", "War", "Western"];
  return `<form class="filters" id="recfilters">
    <div><label for="genre">Genre</label><select id="genre" name="genre">${genres.map((g) =>
      `<option value="${esc(g)}" ${params.get("genre") === g ? "selected" : ""}>${g || "Any"}</option>`).join("")}</select></div>
    <div><label for="year_from">From year</label><input id="year_from" name="year_from" type="number" min="1874" max="2100" value="${esc(params.get("year_from") || "")}"></div>
    <div><label for="year_to">To year</label><input id="year_to" name="year_to" type="number" min="1874" max="2100" value="${esc(params.get("year_to") || "")}"></div>
    <button type="submit">Apply</button></form>`;
}

async function showMovie(id, params) {
  const query = new URLSearchParams();
  for (const key of ["genre", "year_from", "year_to"]) if (params.get(key)) query.set(key, params.get(key));
  const view = await api(`/api/v1/views/movie/${id}?${query}`);
  const m = view.movie;
  const poster = m.poster_url
    ? `<img class="poster" src="${esc(m.poster_url)}" alt="Poster of ${esc(m.title)}" onerror="this.replaceWith(Object.assign(document.createElement('div'),{className:'poster noposter',textContent:'No poster'}))">`
    : `<div class="poster noposter" role="img" aria-label="No poster">No poster</div>`;
  const people = (list) => list.map((p) => `<a href="#/person/${p.id}">${esc(p.name)}</a>`).join(", ") || "—";
  const recs = view.recommendations.items;
  $("#view").innerHTML = `
    <article class="card movie">
      ${poster}
      <div>
        <h1>${esc(m.title)} <span class="muted">(${m.year})</span></h1>
        ${m.original_title !== m.title ? `<p class="muted">${esc(m.original_title)}</p>` : ""}
        ${m.tagline ? `<p><em>${esc(m.tagline)}</em></p>` : ""}
        <p>${esc(m.overview || "No overview in the data.")}</p>
        <p class="tags">${m.genres.map((g) => `<span>${esc(g)}</span>`).join("")}</p>
        <p><b>Directed by</b> ${people(m.directors)}</p>
        <p><b>Cast</b> ${m.cast.slice(0, 8).map((c) => `<a href="#/person/${c.id}">${esc(c.name)}</a>${c.character ? ` <span class="muted">as ${esc(c.character)}</span>` : ""}`).join(", ") || "—"}</p>
        <div class="facts">
          <div><b>Released</b>${esc(m.release_date)}</div>
          <div><b>Runtime</b>${m.runtime ? m.runtime + " min" : "—"}</div>
          <div><b>Rating</b>${num(m.vote_average)} (${m.vote_count.toLocaleString("en-US")} votes)</div>
          <div><b>Weighted rating</b>${num(m.weighted_rating, 2)}</div>
          <div><b>Budget</b>${money(m.budget)}</div>
          <div><b>Revenue</b>${money(m.revenue)}</div>
          <div><b>Return</b>${m.return ? num(m.return, 2) + "×" : "—"}</div>
          <div><b>Collection</b>${esc(m.collection || "—")}</div>
        </div>
        ${m.keywords.length ? `<p class="tags">${m.keywords.slice(0, 12).map((k) => `<span>${esc(k)}</span>`).join("")}</p>` : ""}
      </div>
    </article>
    <section class="card">
      <h2>If you liked ${esc(m.title)}</h2>
      ${movieFilters(params)}
      ${recs.length ? `<div class="recs">${recs.map((r) => `
        <div class="rec"><a href="#/movie/${r.id}">${esc(r.title)}</a> <span class="muted">(${r.year})</span>
          <ul class="why">${r.reasons.map((why) => `<li>${esc(why)}</li>`).join("")}</ul></div>`).join("")}</div>`
        : `<p class="muted">${esc(view.recommendations.note || "No recommendation matches these filters.")}</p>`}
    </section>`;
  $("#recfilters").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const next = new URLSearchParams();
    for (const [key, value] of form) if (value) next.set(key, value);
    location.hash = `#/movie/${id}?${next}`;
  });
  document.title = `${m.title} — cinerec`;
}

async function showPerson(id) {
  const p = await api(`/api/v1/people/${id}`);
  const films = (list) => list.map((m) => `<li><a href="#/movie/${m.id}">${esc(m.title)}</a> <span class="muted">(${m.year})</span></li>`).join("");
  $("#view").innerHTML = `
    <article class="card">
      <h1>${esc(p.name)}</h1>
      <div class="facts">
        <div><b>Films as actor</b>${p.as_actor.films}</div>
        <div><b>Total return (actor)</b>${num(p.as_actor.return_total, 2)}</div>
        <div><b>Average return (actor)</b>${num(p.as_actor.return_mean, 2)}</div>
        <div><b>Films as director</b>${p.as_director.films}</div>
        <div><b>Total return (director)</b>${num(p.as_director.return_total, 2)}</div>
      </div>
      ${p.directed.length ? `<h2>Directed</h2><ul>${films(p.directed)}</ul>` : ""}
      ${p.acted_in.length ? `<h2>Acted in</h2><ul>${films(p.acted_in)}</ul>` : ""}
    </article>`;
  document.title = `${p.name} — cinerec`;
}

function barChart(title, items, labelEvery = 1, labelLength = 3) {
  const width = 720, height = 220, pad = 30;
  const max = Math.max(1, ...items.map((i) => i.count));
  const w = (width - pad) / Math.max(1, items.length);
  const bars = items.map((item, i) => {
    const h = (height - pad - 10) * item.count / max;
    const label = i % labelEvery === 0 ? `<text class="axis" x="${pad + i * w + w / 2}" y="${height - 12}" text-anchor="middle">${esc(String(item.key).slice(0, labelLength))}</text>` : "";
    return `<rect class="bar" x="${pad + i * w + 1}" y="${height - pad - h}" width="${Math.max(1, w - 2)}" height="${h}"><title>${esc(item.key)}: ${item.count}</title></rect>${label}`;
  }).join("");
  return `<figure class="card"><figcaption><h2>${esc(title)}</h2></figcaption>
    <svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">${bars}</svg></figure>`;
}

function topTable(title, items, money_ = true) {
  return `<section class="card"><h2>${esc(title)}</h2><table><thead><tr><th>Name</th><th>Movies</th><th>${money_ ? "Revenue" : "Value"}</th></tr></thead><tbody>
    ${items.map((e) => `<tr><td>${esc(e.name)}</td><td>${e.count}</td><td>${money_ ? money(e.value) : num(e.value)}</td></tr>`).join("")}</tbody></table></section>`;
}

async function showStats() {
  const s = await api("/api/v1/views/stats");
  const counts = new Map(s.by_year.map((b) => [Number(b.key), b.count]));
  const known = [...counts.keys()].filter((y) => y >= 1900);
  const years = [];
  for (let y = Math.min(...known); y <= Math.max(...known); y++) years.push({key: String(y), count: counts.get(y) || 0});
  $("#view").innerHTML = `<h1>The catalogue in numbers</h1>
    ${barChart("Releases per month", s.by_month)}
    ${barChart("Releases per weekday", s.by_weekday)}
    ${barChart("Releases per year", years, 10, 4)}
    ${topTable("Top-grossing collections", s.top_collections)}
    ${topTable("Top-grossing companies", s.top_companies)}`;
  document.title = "Stats — cinerec";
}

function showHome() {
  $("#view").innerHTML = `<section class="card"><h1>Find your next movie</h1>
    <p>Search a title above, open it and browse what people with the same taste liked — with the reasons why.</p>
    <p class="muted">Or look at <a href="#/stats">the catalogue in numbers</a>.</p></section>`;
  document.title = "cinerec — find your next movie";
}

async function route() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean);
  try {
    if (parts[0] === "movie" && parts[1]) await showMovie(parts[1], params);
    else if (parts[0] === "person" && parts[1]) await showPerson(parts[1]);
    else if (parts[0] === "stats") await showStats();
    else showHome();
    $("#results").innerHTML = "";
    window.scrollTo(0, 0);
  } catch (error) {
    $("#view").innerHTML = `<section class="card" role="alert"><h1>Sorry</h1><p>${esc(error.message)}</p></section>`;
  }
}
window.addEventListener("hashchange", route);
route();
