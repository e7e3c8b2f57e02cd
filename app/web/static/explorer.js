/* Painmap body-map explorer: tap where it hurts, see the muscles, their
   patterns and self-care. Plain JavaScript that calls only the public API
   (/v1/...); the page's state lives in its URL. */
(() => {
  "use strict";

  const API = "/v1";
  const MAX_AREAS = 10; // the API takes up to 10 region slugs per lookup
  const RESULTS = 10;
  const SUMMARY_MUSCLES = 5;
  const VIEWS = ["front", "back", "head", "sole"];
  // The figures each "show" button puts on screen: the whole body, or a close-up.
  const SHOWS = { body: ["front", "back"], head: ["head"], sole: ["sole"] };
  const FIGURE_NAMES = {
    front: "Front of the body",
    back: "Back of the body",
    head: "Head and neck, left side and right side",
    sole: "Soles of the feet, left and right",
  };
  const SHOW_NAMES = {
    body: "the front and back of the body",
    head: "the head and neck from each side",
    sole: "the soles of both feet",
  };
  // Parts of the figures (panel coordinates of /v1/body-map.svg) to zoom into.
  const ZOOMS = {
    head: "45 28 110 96",
    hands: "14 276 172 68",
    feet: "60 458 80 74",
  };
  // Region names that read badly after "Right ...": say the side after them.
  const PHRASE = /^(behind|between|around|above|below|inside|outside|top|front|back|side|point|crook|ball|arch|thumb side|little-finger)\b/i;

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  const state = { areas: [], q: "", conditions: [], muscle: null, print: false, zoom: "body", show: "body" };
  const regions = new Map(); // slug -> {slug, name, sided, views, parent, children}
  const names = new Map(); // muscle / condition slug -> name, learnt from answers
  let answer = null; // the last /v1/pain-sources answer
  let muscleData = null; // {detail, care} of the chosen muscle
  let lookupController = null;
  let figureToken = 0;

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replaces a node's children, skipping the empty (null or false) ones. */
  function fill(node, ...children) {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  async function getJSON(path, signal) {
    const response = await fetch(path, { signal, headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.detail || body.title);
      throw new Error(detail || `The service answered ${response.status}.`);
    }
    return body;
  }

  function lowerFirst(text) {
    return /^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
  }

  function listText(items) {
    if (items.length <= 1) return items.join("");
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  }

  // ------------------------------------------------------ areas and naming

  /** An area key: "left-heel", "right-heel", or a bare slug ("sternum", or a
   * sided region asked on either side). */
  function parseKey(key) {
    if (regions.has(key)) return { slug: key, side: null };
    const match = /^(left|right)-(.+)$/.exec(key);
    if (match && regions.has(match[2]) && regions.get(match[2]).sided) {
      return { slug: match[2], side: match[1] };
    }
    return null;
  }

  function keyOf(slug, side) {
    return side ? `${side}-${slug}` : slug;
  }

  function areaName(slug, side) {
    const region = regions.get(slug);
    const name = region ? region.name : slug;
    if (!side) return region && region.sided ? `${name} (either side)` : name;
    const Side = side === "left" ? "Left" : "Right";
    return PHRASE.test(name) ? `${name}, ${side} side` : `${Side} ${lowerFirst(name)}`;
  }

  function leavesOf(slug) {
    const region = regions.get(slug);
    if (!region) return [];
    if (!region.children.length) return [slug];
    return region.children.flatMap(leavesOf);
  }

  /** Every figure shape key the selection covers. */
  function selectedShapes() {
    const keys = new Set();
    for (const key of state.areas) {
      const area = parseKey(key);
      if (!area) continue;
      for (const leaf of leavesOf(area.slug)) {
        const sided = regions.get(leaf).sided;
        if (!sided) keys.add(leaf);
        else if (area.side) keys.add(keyOf(leaf, area.side));
        else keys.add(keyOf(leaf, "left")).add(keyOf(leaf, "right"));
      }
    }
    return keys;
  }

  /** The side to ask about: the one side every sided selection lies on. */
  function commonSide() {
    const sides = new Set();
    for (const key of state.areas) {
      const area = parseKey(key);
      if (!area || !regions.get(area.slug).sided) continue;
      sides.add(area.side || "both");
    }
    return sides.size === 1 && !sides.has("both") ? [...sides][0] : null;
  }

  // ------------------------------------------------------------ URL state

  function readURL() {
    const params = new URLSearchParams(location.search);
    state.areas = [...new Set(params.getAll("region"))].filter(parseKey).slice(0, MAX_AREAS);
    state.q = (params.get("q") || "").slice(0, 500);
    state.conditions = [...new Set(params.getAll("condition"))].slice(0, 5);
    state.muscle = params.get("muscle") || null;
    state.print = params.get("print") === "1";
    state.show = params.get("view") in SHOWS ? params.get("view") : "body";
    return params.getAll("choir");
  }

  function writeURL(push) {
    const params = new URLSearchParams();
    for (const key of state.areas) params.append("region", key);
    if (state.q) params.set("q", state.q);
    for (const slug of state.conditions) params.append("condition", slug);
    if (state.muscle) params.set("muscle", state.muscle);
    if (state.print) params.set("print", "1");
    if (state.show !== "body") params.set("view", state.show);
    const query = params.toString();
    const url = query ? `${location.pathname}?${query}` : location.pathname;
    if (url === `${location.pathname}${location.search}`) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }

  // --------------------------------------------------------------- figure

  async function drawFigures() {
    const token = ++figureToken;
    // The muscle as it was asked: loading its page may forget it meanwhile.
    const muscle = state.muscle;
    const side = muscle ? commonSide() : null;
    const svgs = await Promise.all(
      VIEWS.map(async (view) => {
        const params = new URLSearchParams({ view });
        if (muscle) params.set("muscle", muscle);
        if (side) params.set("side", side);
        const response = await fetch(`${API}/body-map.svg?${params}`);
        if (response.status === 404 && muscle) return null; // an unknown muscle
        if (!response.ok) throw new Error(`The ${view} view did not load.`);
        return response.text();
      }),
    );
    if (token !== figureToken) return; // a newer drawing is on its way
    if (svgs.includes(null)) {
      if (state.muscle === muscle) forgetMuscle();
      return drawFigures();
    }
    VIEWS.forEach((view, index) => mountFigure(view, svgs[index]));
    paintSelection();
  }

  function mountFigure(view, text) {
    const host = $(`#figure-${view}`);
    const previous = $("path.r[tabindex='0']", host);
    const focusKey = previous ? previous.dataset.key : null;
    const hadFocus = previous && host.contains(document.activeElement);
    // The page's stylesheet draws the figure: drop the picture's own style
    // (before parsing: a parsed document shares the page's CSP), its legend
    // and titles (their ids would repeat across the two views).
    const bare = text.replace(/<style[^>]*>[\s\S]*?<\/style>/g, "");
    const parsed = new DOMParser().parseFromString(bare, "image/svg+xml").documentElement;
    $$(":scope > defs, :scope > title, :scope > desc, .legend", parsed).forEach((n) => n.remove());
    const svg = document.importNode(parsed, true);
    for (const attr of ["width", "height", "aria-labelledby"]) svg.removeAttribute(attr);
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", `${FIGURE_NAMES[view]}: selectable areas`);
    svg.dataset.width = String(svg.viewBox.baseVal.width);
    svg.setAttribute("aria-describedby", "map-help");
    svg.dataset.view = view;
    $$("text", svg).forEach((t) => t.setAttribute("aria-hidden", "true"));
    for (const marker of $$("g.trigger-point", svg)) {
      const title = $("title", marker);
      marker.setAttribute("role", "img");
      marker.setAttribute("aria-label", `Trigger point: ${title ? title.textContent : ""}`);
    }
    const shapes = $$("path.r", svg);
    for (const shape of shapes) {
      const slug = shape.dataset.region;
      const side = shape.dataset.side || null;
      const zone = shape.classList.contains("essential")
        ? ", essential zone"
        : shape.classList.contains("spillover")
          ? ", spillover zone"
          : "";
      const title = $("title", shape);
      if (title) title.textContent = areaName(slug, side) + zone;
      shape.dataset.key = keyOf(slug, side);
      shape.setAttribute("role", "checkbox");
      shape.setAttribute("aria-label", areaName(slug, side) + zone);
      shape.setAttribute("tabindex", "-1");
    }
    host.replaceChildren(svg);
    fitView(svg);
    const start = shapes.find((s) => s.dataset.key === focusKey) || shapes[0];
    if (start) start.setAttribute("tabindex", "0");
    if (hadFocus && start) start.focus();
  }

  function fitView(svg) {
    const wholeBody = SHOWS.body.includes(svg.dataset.view);
    if (wholeBody && state.zoom !== "body") {
      svg.setAttribute("viewBox", ZOOMS[state.zoom]);
      return;
    }
    const view = $("g.view", svg);
    const box = view ? view.getBBox() : null; // empty while its figure is not on screen
    if (box && box.height) {
      const top = Math.max(0, Math.floor(box.y) - 2);
      svg.setAttribute("viewBox", `0 ${top} ${svg.dataset.width} ${Math.ceil(box.height) + 6}`);
    }
  }

  /** Shows the figures of one "show" button: the whole body or a close-up. */
  function showFigures(show, announceIt) {
    state.show = show in SHOWS ? show : "body";
    for (const figure of $$(".figure")) figure.classList.toggle("off", !SHOWS[state.show].includes(figure.dataset.view));
    for (const button of $$(".views button")) {
      button.setAttribute("aria-pressed", button.dataset.show === state.show ? "true" : "false");
    }
    $(".zoom").hidden = state.show !== "body";
    $$(".svg-host svg").forEach(fitView);
    if (announceIt) announce(`Showing ${SHOW_NAMES[state.show]}.`);
  }

  /** Which "show" holds an area's shapes, when the one on screen has none of them. */
  function showFor(key) {
    const area = parseKey(key);
    if (!area) return null;
    const views = new Set(leavesOf(area.slug).flatMap((leaf) => regions.get(leaf).views));
    if (SHOWS[state.show].some((view) => views.has(view))) return null;
    return Object.keys(SHOWS).find((show) => SHOWS[show].some((view) => views.has(view))) || null;
  }

  function paintSelection() {
    const selected = selectedShapes();
    for (const shape of $$(".svg-host path.r")) {
      const on = selected.has(shape.dataset.key);
      shape.classList.toggle("is-selected", on);
      shape.setAttribute("aria-checked", on ? "true" : "false");
    }
    markFigures();
  }

  /** Which figures have selected areas or a pattern's zones: their buttons
   * say so, and the print view shows just those (front and back if none). */
  function markFigures() {
    const marked = new Set(
      VIEWS.filter((view) => $(`#figure-${view} path.r:is(.is-selected, .essential, .spillover)`)),
    );
    for (const figure of $$(".figure")) {
      const view = figure.dataset.view;
      const shown = marked.size ? marked.has(view) : SHOWS.body.includes(view);
      figure.dataset.print = shown ? "show" : "hide";
    }
    for (const button of $$(".views button")) {
      const has = SHOWS[button.dataset.show].some((view) => marked.has(view));
      button.classList.toggle("has-marks", has);
      $(".marked", button).textContent = has ? " (has marked areas)" : "";
    }
  }

  function toggleShape(shape) {
    const key = shape.dataset.key;
    const slug = shape.dataset.region;
    const side = shape.dataset.side || null;
    const name = areaName(slug, side);
    if (state.areas.includes(key)) {
      state.areas = state.areas.filter((k) => k !== key);
      announce(`Removed ${lowerFirst(name)}.`);
    } else if (selectedShapes().has(key)) {
      // Covered by a larger selected area: unselect that area.
      const covering = state.areas.filter((k) => {
        const area = parseKey(k);
        return area && leavesOf(area.slug).includes(slug) && (!area.side || area.side === side);
      });
      state.areas = state.areas.filter((k) => !covering.includes(k));
      announce(`Removed ${listText(covering.map((k) => lowerFirst(labelOfKey(k))))}.`);
    } else {
      if (state.areas.length >= MAX_AREAS) {
        announce(`You can select up to ${MAX_AREAS} areas; remove one first.`);
        return;
      }
      state.areas = [...state.areas, key];
      announce(`Selected ${lowerFirst(name)}.`);
    }
    selectionChanged();
  }

  function labelOfKey(key) {
    const area = parseKey(key);
    return area ? areaName(area.slug, area.side) : key;
  }

  /** Arrow keys move to the nearest area in that direction (on screen),
   * measured to its centre or to its nearest edge, whichever is closer, so
   * that long thin areas and small ones inside others are reached too. */
  function neighbour(current, dx, dy) {
    const svg = current.ownerSVGElement;
    const box = current.getBBox();
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    let best = null;
    let bestScore = Infinity;
    for (const shape of $$("path.r", svg)) {
      if (shape === current) continue;
      const b = shape.getBBox();
      const centre = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      const edge = {
        x: Math.min(Math.max(from.x, b.x), b.x + b.width),
        y: Math.min(Math.max(from.y, b.y), b.y + b.height),
      };
      for (const to of [centre, edge]) {
        const along = (to.x - from.x) * dx + (to.y - from.y) * dy;
        if (along <= 0.5) continue;
        const across = Math.abs((to.x - from.x) * dy - (to.y - from.y) * dx);
        const score = along + across * 2.5;
        if (score < bestScore) {
          bestScore = score;
          best = shape;
        }
      }
    }
    return best;
  }

  function moveFocus(current, next) {
    if (!next) return;
    current.setAttribute("tabindex", "-1");
    next.setAttribute("tabindex", "0");
    next.focus();
  }

  function showPointing(shape) {
    const view = shape.ownerSVGElement.dataset.view;
    const line = $(`#pointing-${view}`);
    if (line) line.textContent = shape.getAttribute("aria-label");
  }

  function wireFigures() {
    for (const host of $$(".svg-host")) {
      host.addEventListener("click", (event) => {
        const shape = event.target.closest("path.r");
        if (!shape) return;
        const active = $("path.r[tabindex='0']", host);
        if (active && active !== shape) active.setAttribute("tabindex", "-1");
        shape.setAttribute("tabindex", "0");
        toggleShape(shape);
      });
      host.addEventListener("keydown", (event) => {
        const shape = event.target.closest("path.r");
        if (!shape) return;
        const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
        if (event.key in moves) {
          event.preventDefault();
          moveFocus(shape, neighbour(shape, ...moves[event.key]));
        } else if (event.key === "Home" || event.key === "End") {
          event.preventDefault();
          const all = $$("path.r", host);
          moveFocus(shape, event.key === "Home" ? all[0] : all[all.length - 1]);
        } else if (event.key === " " || event.key === "Enter") {
          event.preventDefault();
          toggleShape(shape);
        }
      });
      host.addEventListener("focusin", (event) => {
        const shape = event.target.closest("path.r");
        if (shape) showPointing(shape);
      });
      host.addEventListener("pointerover", (event) => {
        const shape = event.target.closest("path.r");
        if (shape) showPointing(shape);
      });
    }
    for (const button of $$(".views button")) {
      button.addEventListener("click", () => {
        showFigures(button.dataset.show, true);
        writeURL(false);
      });
    }
    for (const button of $$(".zoom button")) {
      button.addEventListener("click", () => {
        state.zoom = button.dataset.zoom;
        for (const other of $$(".zoom button")) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        }
        $$(".svg-host svg").forEach(fitView);
      });
    }
  }

  // ------------------------------------------------------------ selection

  function renderSelection() {
    const list = $("#selected-list");
    list.replaceChildren(
      ...state.areas.map((key) => {
        const label = labelOfKey(key);
        return el(
          "li",
          { "data-key": key },
          el("span", { text: label }),
          el("button", {
            type: "button",
            "aria-label": `Remove ${lowerFirst(label)}`,
            text: "×",
            onclick: () => {
              state.areas = state.areas.filter((k) => k !== key);
              announce(`Removed ${lowerFirst(label)}.`);
              selectionChanged();
            },
          }),
        );
      }),
      ...state.conditions.map((slug) =>
        el(
          "li",
          { "data-condition": slug },
          el("span", { text: names.get(slug) || slug }),
          el("button", {
            type: "button",
            "aria-label": `Remove ${names.get(slug) || slug}`,
            text: "×",
            onclick: () => {
              state.conditions = state.conditions.filter((c) => c !== slug);
              selectionChanged();
            },
          }),
        ),
      ),
    );
    if (state.q) {
      list.append(
        el(
          "li",
          { "data-question": "" },
          el("span", { text: `“${state.q}”` }),
          el("button", {
            type: "button",
            "aria-label": "Remove the question",
            text: "×",
            onclick: () => {
              state.q = "";
              selectionChanged();
            },
          }),
        ),
      );
    }
    $("#selection-empty").hidden = Boolean(state.areas.length + state.conditions.length || state.q);
  }

  function selectionChanged() {
    writeURL(false);
    renderSelection();
    paintSelection();
    lookup();
    if (state.muscle) drawFigures().catch(showError); // the pattern follows the side
  }

  function addArea(key) {
    if (state.areas.includes(key)) return;
    if (state.areas.length >= MAX_AREAS) {
      announce(`You can select up to ${MAX_AREAS} areas; remove one first.`);
      return;
    }
    state.areas = [...state.areas, key];
    const show = showFor(key);
    if (show) showFigures(show, false); // where the area is drawn
    announce(`Selected ${lowerFirst(labelOfKey(key))}${show ? `, drawn on ${SHOW_NAMES[show]}` : ""}.`);
    selectionChanged();
  }

  // -------------------------------------------------------------- results

  function announce(text) {
    $("#status").textContent = text;
  }

  function showError(error) {
    announce(`Something went wrong: ${error.message}`);
  }

  async function lookup() {
    if (lookupController) lookupController.abort();
    if (!state.areas.length && !state.q && !state.conditions.length) {
      answer = null;
      renderResults();
      return;
    }
    lookupController = new AbortController();
    const params = new URLSearchParams();
    for (const slug of new Set(state.areas.map((k) => parseKey(k).slug))) params.append("region", slug);
    const side = commonSide();
    if (side) params.set("side", side);
    if (state.q) params.set("q", state.q);
    for (const slug of state.conditions) params.append("condition", slug);
    params.set("limit", String(RESULTS));
    $("#result-list").setAttribute("aria-busy", "true");
    try {
      answer = await getJSON(`${API}/pain-sources?${params}`, lookupController.signal);
      for (const result of answer.results) names.set(result.muscle.slug, result.muscle.name);
      for (const condition of answer.query.conditions) names.set(condition.slug, condition.name);
      renderResults();
      renderSelection();
    } catch (error) {
      if (error.name !== "AbortError") showError(error);
    } finally {
      $("#result-list").removeAttribute("aria-busy");
    }
  }

  function askedText() {
    const parts = state.areas.map((k) => lowerFirst(labelOfKey(k)));
    if (state.q) parts.push(`“${state.q}”`);
    for (const slug of state.conditions) parts.push(lowerFirst(names.get(slug) || slug));
    return listText(parts);
  }

  function renderWarnings() {
    const box = $("#warnings");
    const warnings = answer ? answer.warnings : [];
    box.replaceChildren(
      ...warnings.map((w) =>
        el(
          "div",
          { class: `warning urgency-${w.urgency}` },
          el("h3", {
            text:
              w.urgency === "emergency"
                ? `Seek emergency care now: ${lowerFirst(w.name)}`
                : w.urgency === "urgent"
                  ? `See a doctor today: ${lowerFirst(w.name)}`
                  : `See a doctor soon: ${lowerFirst(w.name)}`,
          }),
          el("p", { text: w.message }),
        ),
      ),
    );
  }

  function renderUnderstood() {
    const line = $("#understood");
    if (!answer || !state.q) {
      line.hidden = true;
      return;
    }
    const query = answer.query;
    const places = query.regions.map((r) => lowerFirst(r.name));
    const bits = [];
    if (places.length) bits.push(`areas: ${listText(places)}`);
    if (query.conditions.length) bits.push(`conditions: ${listText(query.conditions.map((c) => lowerFirst(c.name)))}`);
    if (query.side) bits.push(`side: ${query.side}`);
    if (query.denied.length) bits.push(`not: ${listText(query.denied.map((r) => lowerFirst(r.name)))}`);
    line.textContent = bits.length ? `Understood as ${bits.join("; ")}.` : "";
    line.hidden = !bits.length;
  }

  function renderResults() {
    renderWarnings();
    renderUnderstood();
    const list = $("#result-list");
    const suggestions = $("#suggestion-list");
    suggestions.hidden = true;
    if (!answer) {
      list.replaceChildren();
      announce("Select areas on the figure or describe the pain to see the muscles that may be involved.");
      updateSummary();
      return;
    }
    $("#disclaimer").textContent = answer.disclaimer;
    list.replaceChildren(...answer.results.map(resultItem));
    markChosen();
    const count = answer.results.length;
    const warned = answer.warnings.length ? " Read the medical warning first." : "";
    if (count) {
      announce(`${count} muscle${count === 1 ? "" : "s"} may refer pain to ${askedText()}.${warned}`);
    } else {
      announce(`No muscle found for ${askedText()}. Try another area or other words.${warned}`);
      suggestions.replaceChildren(
        ...answer.suggestions
          .filter((s) => s.kind !== "muscle")
          .map((s) =>
            el("button", {
              type: "button",
              text: s.name,
              onclick: () => (s.kind === "region" ? addArea(s.slug) : addCondition(s.slug, s.name)),
            }),
          ),
      );
      suggestions.hidden = !answer.suggestions.length;
    }
    updateSummary();
  }

  function resultItem(result) {
    const chosen = result.muscle.slug === state.muscle;
    const percent = Math.round(result.score * 100);
    const bar = el("span", { class: "bar", "aria-hidden": "true" }, el("span"));
    bar.firstChild.style.width = `${percent}%`;
    return el(
      "li",
      { "data-muscle": result.muscle.slug },
      el(
        "h3",
        {},
        el("button", {
          type: "button",
          class: "muscle",
          "aria-pressed": chosen ? "true" : "false",
          "aria-describedby": `why-${result.muscle.slug}`,
          text: result.muscle.name,
          onclick: () => chooseMuscle(chosen ? null : result.muscle.slug),
        }),
        el("span", { class: "score" }, `score ${result.score.toFixed(2)}`, bar),
      ),
      el("p", { class: "why", id: `why-${result.muscle.slug}`, text: result.why }),
    );
  }

  // --------------------------------------------------------------- muscle

  async function chooseMuscle(slug) {
    state.muscle = slug;
    writeURL(true);
    markChosen();
    await Promise.all([drawFigures().catch(showError), loadMuscle()]);
  }

  /** The chosen result is pressed and links to its pattern and self-care. */
  function markChosen() {
    for (const item of $$("#result-list > li")) {
      const mine = item.dataset.muscle === state.muscle;
      const button = $("button.muscle", item);
      button.setAttribute("aria-pressed", mine ? "true" : "false");
      const link = $("a.to-muscle", item);
      if (mine && !link) {
        item.append(el("a", { class: "to-muscle", href: "#muscle", text: "Its pattern is on the figure; self-care is below" }));
      } else if (!mine && link) {
        link.remove();
      }
    }
  }

  async function loadMuscle() {
    const panel = $("#muscle");
    if (!state.muscle) {
      panel.hidden = true;
      muscleData = null;
      updateSummary();
      return;
    }
    const slug = state.muscle;
    try {
      const [detail, care] = await Promise.all([
        getJSON(`${API}/muscles/${encodeURIComponent(slug)}`),
        getJSON(`${API}/muscles/${encodeURIComponent(slug)}/self-care`),
      ]);
      if (slug !== state.muscle) return;
      muscleData = { detail, care };
      names.set(slug, detail.name);
      renderMuscle();
      announce(`Showing ${detail.name}: its referral pattern is drawn on the figure, with self-care below the results.`);
    } catch (error) {
      if (slug === state.muscle) forgetMuscle();
      showError(error);
    }
  }

  /** A muscle the address names but the API does not know is dropped. */
  function forgetMuscle() {
    state.muscle = null;
    muscleData = null;
    writeURL(false);
    $("#muscle").hidden = true;
    markChosen();
  }

  function zonesOf(detail) {
    const zones = { essential: new Map(), spillover: new Map() };
    for (const point of detail.trigger_points) {
      for (const zone of point.zones) zones[zone.kind].set(zone.region.slug, zone.region.name);
    }
    for (const slug of zones.essential.keys()) zones.spillover.delete(slug);
    return zones;
  }

  /** Cautions every trigger point repeats are shown once, before the steps. */
  function sharedCautions(care) {
    const lists = care.trigger_points.filter((p) => p.self_care).map((p) => p.self_care.cautions);
    if (lists.length < 2) return [];
    return lists[0].filter((c) => lists.every((list) => list.includes(c)));
  }

  function renderMuscle() {
    const { detail, care } = muscleData;
    const panel = $("#muscle");
    $("#muscle-title").textContent = `${detail.name}: pattern and self-care`;
    const zones = zonesOf(detail);
    const shared = sharedCautions(care);
    const body = $("#muscle-body");
    fill(
      body,
      el("p", { text: detail.description }),
      el(
        "dl",
        { class: "zones" },
        el("dt", {}, el("span", { class: "kind-tag kind-essential", text: "Essential" }), "Where its pain is nearly always felt (dark)"),
        el("dd", { text: listText([...zones.essential.values()].map(lowerFirst)) || "—" }),
        el("dt", {}, el("span", { class: "kind-tag kind-spillover", text: "Spillover" }), "Where it is sometimes felt (hatched)"),
        el("dd", { text: listText([...zones.spillover.values()].map(lowerFirst)) || "none recorded" }),
      ),
      el("p", { class: "hint", text: "Trigger points are marked on the figure with a circled cross." }),
      el("h3", { text: "Self-care" }),
      el("p", { class: "hint", text: care.disclaimer }),
      shared.length ? cautionBox("Before you press anywhere", shared) : null,
      ...care.trigger_points.map((point) => pointCare(point, shared)),
    );
    panel.hidden = false;
    updateSummary();
  }

  function cautionBox(title, items) {
    return el("div", { class: "cautions" }, el("h4", { text: title }), el("ul", {}, items.map((c) => el("li", { text: c }))));
  }

  function pointCare(point, shared) {
    const care = point.self_care;
    const own = care ? care.cautions.filter((c) => !shared.includes(c)) : [];
    return el(
      "div",
      { class: "point", "data-point": point.slug },
      el("h4", { text: point.label }),
      el("p", { text: point.location }),
      care
        ? el(
            "dl",
            {},
            el("dt", { text: "Find it" }),
            el("dd", { text: care.find }),
            el("dt", { text: "Release it" }),
            el("dd", { text: care.treat }),
            care.stretch ? [el("dt", { text: "Stretch" }), el("dd", { text: care.stretch })] : null,
            care.perpetuating.length
              ? [el("dt", { text: "What keeps it going" }), el("dd", { text: care.perpetuating.join("; ") })]
              : null,
          )
        : el("p", { class: "hint", text: "No self-care guidance is recorded for this trigger point yet." }),
      own.length ? cautionBox("Cautions", own) : null,
    );
  }

  // -------------------------------------------------------- print summary

  function updateSummary() {
    const body = $("#summary-body");
    const today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
    const areas = state.areas.map(labelOfKey);
    const results = answer ? answer.results.slice(0, SUMMARY_MUSCLES) : [];
    const care = muscleData && muscleData.care;
    const shared = care ? sharedCautions(care) : [];
    fill(
      body,
      el("p", { text: `Made with Painmap on ${today}, to show a therapist or doctor.` }),
      answer && answer.warnings.length
        ? el("div", { class: "warning" }, answer.warnings.map((w) => el("p", {}, el("strong", { text: `${w.name}: ` }), w.message)))
        : null,
      el("h3", { text: "Where it hurts" }),
      areas.length ? el("ul", {}, areas.map((a) => el("li", { text: a }))) : null,
      state.q ? el("p", { text: `In my words: “${state.q}”` }) : null,
      !areas.length && !state.q ? el("p", { text: "No areas selected." }) : null,
      el("h3", { text: "Muscles that may refer pain there" }),
      results.length
        ? el("ol", {}, results.map((r) => el("li", {}, el("strong", { text: r.muscle.name }), ` (score ${r.score.toFixed(2)}). ${r.why}`)))
        : el("p", { text: "No muscles found." }),
      care ? el("h3", { text: `Self-care: ${care.muscle.name}` }) : null,
      care && shared.length ? el("p", {}, el("strong", { text: "Before pressing: " }), shared.join(" ")) : null,
      care
        ? el(
            "ol",
            {},
            care.trigger_points.map((p) =>
              el(
                "li",
                {},
                el("strong", { text: `${p.label}. ` }),
                p.self_care ? `Find: ${p.self_care.find} Release: ${p.self_care.treat}` : "No guidance recorded.",
                p.self_care && p.self_care.cautions.filter((c) => !shared.includes(c)).length
                  ? ` Caution: ${p.self_care.cautions.filter((c) => !shared.includes(c)).join(" ")}`
                  : "",
              ),
            ),
          )
        : null,
      el("p", { class: "disclaimer", text: answer ? answer.disclaimer : $("#disclaimer").textContent }),
    );
  }

  async function enterPrintView(push) {
    state.print = true;
    writeURL(push);
    document.body.classList.add("print-view");
    $("#summary").hidden = false;
    $$(".svg-host svg").forEach(fitView);
    if (!state.muscle && answer && answer.results.length) {
      // Self-care for the top muscle, unless one was chosen.
      state.muscle = answer.results[0].muscle.slug;
      writeURL(false);
      await Promise.all([drawFigures().catch(showError), loadMuscle()]);
    }
    updateSummary();
    $("#summary").focus();
  }

  function leavePrintView() {
    state.print = false;
    writeURL(true);
    document.body.classList.remove("print-view");
    $("#summary").hidden = true;
    $("#print").focus();
  }

  // ----------------------------------------------------- search and ask

  function addCondition(slug, name) {
    names.set(slug, name);
    if (!state.conditions.includes(slug)) state.conditions = [...state.conditions, slug];
    announce(`Added ${name}.`);
    selectionChanged();
  }

  function wireSearch() {
    const input = $("#q");
    const list = $("#suggestions");
    let options = [];
    let active = -1;
    let timer = null;
    let searchController = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      active = index;
      $$("li", list).forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
      if (index >= 0) {
        const li = list.children[index];
        input.setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      close();
      input.value = "";
      option.run();
      input.focus();
    }

    function ask(text) {
      state.q = text.trim().slice(0, 500);
      writeURL(true);
      lookup();
    }

    function optionsFor(text, hits) {
      const made = [{ label: `Ask: “${text}”`, kind: "question", run: () => ask(text) }];
      for (const hit of hits) {
        const region = regions.get(hit.slug);
        if (hit.kind === "region" && region && region.sided) {
          for (const side of ["left", "right"]) {
            made.push({ label: areaName(hit.slug, side), kind: "area", run: () => addArea(keyOf(hit.slug, side)) });
          }
        } else if (hit.kind === "region") {
          made.push({ label: areaName(hit.slug, null), kind: "area", run: () => addArea(hit.slug) });
        } else if (hit.kind === "muscle") {
          made.push({ label: hit.name, kind: "muscle", run: () => chooseMuscle(hit.slug) });
        } else {
          made.push({ label: hit.name, kind: "condition", run: () => addCondition(hit.slug, hit.name) });
        }
      }
      return made;
    }

    function show(made) {
      options = made;
      list.replaceChildren(
        ...made.map((option, index) =>
          el(
            "li",
            {
              id: `suggestion-${index}`,
              role: "option",
              "aria-selected": "false",
              onmousedown: (event) => event.preventDefault(),
              onclick: () => choose(option),
            },
            option.label,
            option.kind !== "question" ? el("span", { class: "kind", text: option.kind }) : null,
          ),
        ),
      );
      list.hidden = !made.length;
      input.setAttribute("aria-expanded", made.length ? "true" : "false");
      active = -1;
    }

    async function suggest() {
      const text = input.value.trim();
      if (searchController) searchController.abort();
      if (text.length < 2) {
        close();
        return;
      }
      searchController = new AbortController();
      try {
        const found = await getJSON(`${API}/search?${new URLSearchParams({ q: text.slice(0, 100), limit: "6" })}`, searchController.signal);
        if (input.value.trim() === text) show(optionsFor(text, found.results));
      } catch (error) {
        if (error.name === "AbortError") return;
        show(optionsFor(text, [])); // letters-free text still gets "Ask"
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        if (list.hidden) show(options);
        setActive((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length && !list.hidden) {
        event.preventDefault();
        setActive(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        choose(options[active]);
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    $("#ask").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      close();
      if (text) {
        input.value = "";
        ask(text);
      }
    });
  }

  // ----------------------------------------------------------------- start

  function flatten(nodes, parent) {
    for (const node of nodes) {
      regions.set(node.slug, {
        slug: node.slug,
        name: node.name,
        sided: node.sided,
        views: node.views,
        parent,
        children: node.children.map((c) => c.slug),
      });
      flatten(node.children, node.slug);
    }
  }

  /** ?choir=112&choir=207 (a clinic's CHOIR body-map segments) become areas. */
  async function choirAreas(codes) {
    if (!codes.length) return;
    const scheme = await getJSON(`${API}/regions/schemes/choir`);
    const segments = new Map(scheme.results.map((s) => [String(s.code), s]));
    for (const code of codes) {
      const segment = segments.get(code);
      if (!segment) continue;
      for (const region of segment.regions) {
        const key = regions.get(region.slug).sided ? keyOf(region.slug, segment.side) : region.slug;
        if (!state.areas.includes(key) && state.areas.length < MAX_AREAS) state.areas.push(key);
      }
    }
  }

  async function start() {
    wireFigures();
    wireSearch();
    $("#clear").addEventListener("click", () => {
      state.areas = [];
      state.conditions = [];
      state.q = "";
      announce("Cleared the selection.");
      selectionChanged();
    });
    $("#close-muscle").addEventListener("click", () => {
      chooseMuscle(null);
      $("#results").focus();
    });
    $("#print").addEventListener("click", () => enterPrintView(true).then(() => window.print()));
    $("#print-now").addEventListener("click", () => window.print());
    $("#close-summary").addEventListener("click", leavePrintView);
    window.addEventListener("beforeprint", updateSummary);
    window.addEventListener("popstate", () => {
      readURL();
      refresh();
    });
    try {
      flatten((await getJSON(`${API}/regions`)).results, null);
    } catch (error) {
      showError(error);
      return;
    }
    const choir = readURL();
    await choirAreas(choir).catch(showError);
    writeURL(false);
    await refresh();
    document.documentElement.dataset.ready = "true";
  }

  async function refresh() {
    renderSelection();
    document.body.classList.toggle("print-view", state.print);
    $("#summary").hidden = !state.print;
    showFigures(state.show, false);
    await Promise.all([drawFigures().catch(showError), lookup(), loadMuscle()]);
    if (state.print) await enterPrintView(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
