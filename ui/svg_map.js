// Cakupan's light map renderer (ui/svg_map.py): the choropleth as SVG paths, drawn from the
// view's /geo/ boundary file (fetched once per page, kept by the browser: immutable) and the
// values of this rerun (a fill and a tooltip per region code, as indices into the distinct
// colours and lines: cakupan/present/svgmap.py; never geometry).
// Written here, never built from data: every value from data goes into the page as text
// (textContent) or as an attribute value, never as markup.

const NS = "http://www.w3.org/2000/svg";
const SCALE = 1000; // projected units per radian
const GEO = new Map(); // url -> Promise of {shapes: [{code, name, d}], box: [x0, y0, x1, y1]}
const COLOUR = /^(#[0-9A-Fa-f]{3,8}|rgba?\([0-9., ]+\))$/;
const ENTITY = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };

// Names in the /geo/ file are HTML-escaped (plotly reads them as markup); here they are text.
function decode(s) {
  return String(s).replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_m, e) => ENTITY[e]);
}

// Web Mercator, as the tile maps draw Indonesia (y grows downwards, as in SVG).
function xy(lon, lat) {
  const y = -Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [((lon * Math.PI) / 180) * SCALE, y * SCALE];
}

function build(geojson) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const shapes = [];
  for (const f of geojson.features || []) {
    const g = f.geometry;
    if (!g || !f.properties) continue;
    const polygons = g.type === "Polygon" ? [g.coordinates]
      : g.type === "MultiPolygon" ? g.coordinates : [];
    const parts = [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let d = "";
        for (let i = 0; i < ring.length; i++) {
          const [x, y] = xy(ring[i][0], ring[i][1]);
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
        }
        parts.push(d + "Z");
      }
    }
    shapes.push({ code: String(f.properties.code), name: decode(f.properties.name || ""),
                  d: parts.join("") });
  }
  return { shapes, box: [x0, y0, x1, y1] };
}

function load(url) {
  if (!GEO.has(url)) {
    const p = fetch(url, { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(build);
    p.catch(() => GEO.delete(url)); // a later rerun tries again
    GEO.set(url, p);
  }
  return GEO.get(url);
}

function el(tag, cls) {
  const e = tag === "svg" || tag === "g" || tag === "path" || tag === "circle"
    ? document.createElementNS(NS, tag) : document.createElement(tag);
  if (cls) e.setAttribute("class", cls);
  return e;
}

function setView(s, box) {
  s.view = box.slice();
  s.svg.setAttribute("viewBox", box.join(" "));
}

function fitBox(box) {
  const [x0, y0, x1, y1] = box;
  const padX = (x1 - x0) * 0.03 || 1, padY = (y1 - y0) * 0.03 || 1;
  return [x0 - padX, y0 - padY, x1 - x0 + 2 * padX, y1 - y0 + 2 * padY];
}

// The frame's height follows the view's shape (at most the height asked for): a wide view
// (Indonesia) on a narrow screen gets a short frame instead of a tall, mostly empty one.
function fitHeight(s) {
  const most = Number(s.data.height) || 500;
  const width = s.svg.clientWidth || s.root.clientWidth;
  if (!s.home || !width) { s.svg.style.height = most + "px"; return; }
  const wanted = Math.round(width * (s.home[3] / s.home[2]));
  s.svg.style.height = Math.max(160, Math.min(most, wanted)) + "px";
}

function draw(s, geo) {
  s.layer.replaceChildren();
  s.dots.replaceChildren();
  s.paths = new Map();
  s.names = new Map();
  for (const shape of geo.shapes) {
    const p = el("path");
    p.setAttribute("d", shape.d);
    p.setAttribute("data-code", shape.code);
    p.setAttribute("fill", "#D9D9D9");
    s.layer.appendChild(p);
    s.paths.set(shape.code, p);
    s.names.set(shape.code, shape.name);
  }
  s.home = fitBox(geo.box);
  setView(s, s.home);
  fitHeight(s);
}

function paint(s) {
  const d = s.data;
  const tips = new Map();
  let painted = 0;
  d.codes.forEach((code, i) => {
    const p = s.paths.get(code);
    const fill = d.colours[d.fill[i]];
    tips.set(code, d.lines[d.tip[i]] || "");
    if (p && COLOUR.test(fill)) { p.setAttribute("fill", fill); painted++; }
  });
  s.tips = tips;
  s.dots.replaceChildren();
  const r = (s.home ? s.home[2] : 100) * 0.006;
  for (const [lon, lat, name, detail] of d.markers || []) {
    const [x, y] = xy(lon, lat);
    const c = el("circle", "cm-dot");
    c.setAttribute("cx", x.toFixed(1));
    c.setAttribute("cy", y.toFixed(1));
    c.setAttribute("r", r.toFixed(2));
    c.__tip = name + "\n" + detail;
    s.dots.appendChild(c);
  }
  s.status.textContent = "";
  s.status.hidden = true;
  // Drawn once the browser has painted the fills: the frame after the next one.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    s.root.setAttribute("data-drawn", String(painted));
  }));
}

function legend(s) {
  const d = s.data;
  s.legend.replaceChildren();
  if (d.legendTitle) {
    const t = el("span", "cm-legend-title");
    t.textContent = d.legendTitle;
    s.legend.appendChild(t);
  }
  for (const [label, colour] of d.legend || []) {
    const item = el("span", "cm-item");
    const sw = el("span", "cm-swatch");
    if (COLOUR.test(colour)) sw.style.background = colour;
    const text = el("span");
    text.textContent = label;
    item.append(sw, text);
    s.legend.appendChild(item);
  }
}

function showTip(s, target, clientX, clientY) {
  let text = null;
  if (target && target.__tip) text = target.__tip;
  else if (target && target.getAttribute && target.getAttribute("data-code")) {
    const code = target.getAttribute("data-code");
    text = (s.names.get(code) || code) + " (" + code + ")\n" + (s.tips.get(code) || "");
  }
  if (!text) { s.tip.hidden = true; return; }
  s.tip.textContent = text;
  s.tip.hidden = false;
  const box = s.root.getBoundingClientRect();
  const w = s.tip.offsetWidth, h = s.tip.offsetHeight;
  let left = clientX - box.left + 14, top = clientY - box.top + 14;
  if (left + w > box.width) left = Math.max(0, clientX - box.left - w - 14);
  if (top + h > box.height) top = Math.max(0, clientY - box.top - h - 14);
  s.tip.style.left = left + "px";
  s.tip.style.top = top + "px";
}

function zoomAt(s, clientX, clientY, factor) {
  const rect = s.svg.getBoundingClientRect();
  const [vx, vy, vw, vh] = s.view;
  // The viewBox is fitted inside the element (xMidYMid meet): map the pointer through it.
  const k = Math.min(rect.width / vw, rect.height / vh);
  const ox = (rect.width - vw * k) / 2, oy = (rect.height - vh * k) / 2;
  const px = vx + (clientX - rect.left - ox) / k, py = vy + (clientY - rect.top - oy) / k;
  const nw = Math.min(Math.max(vw * factor, s.home[2] / 40), s.home[2] * 1.5);
  const f = nw / vw;
  setView(s, [px - (px - vx) * f, py - (py - vy) * f, vw * f, vh * f]);
}

function events(s) {
  const svg = s.svg;
  let drag = null;
  svg.addEventListener("pointermove", (e) => {
    if (drag && e.pointerType === "mouse" && (e.buttons & 1)) {
      const rect = svg.getBoundingClientRect();
      const k = Math.min(rect.width / s.view[2], rect.height / s.view[3]);
      const dx = (e.clientX - drag.x) / k, dy = (e.clientY - drag.y) / k;
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 4) drag.moved = true;
      setView(s, [drag.view[0] - dx, drag.view[1] - dy, drag.view[2], drag.view[3]]);
      s.tip.hidden = true;
      return;
    }
    showTip(s, e.target, e.clientX, e.clientY);
  });
  svg.addEventListener("pointerdown", (e) => {
    drag = { x: e.clientX, y: e.clientY, view: s.view.slice(), moved: false };
    if (e.pointerType !== "mouse") showTip(s, e.target, e.clientX, e.clientY);
  });
  svg.addEventListener("pointerleave", () => { s.tip.hidden = true; });
  svg.addEventListener("click", (e) => {
    const moved = drag && drag.moved;
    drag = null;
    if (moved || !s.data.select) return;
    const target = e.target.closest ? e.target.closest("path[data-code]") : null;
    if (target) s.setTriggerValue("clicked", target.getAttribute("data-code"));
  });
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    zoomAt(s, e.clientX, e.clientY, e.deltaY > 0 ? 1.25 : 0.8);
  }, { passive: false });
  svg.addEventListener("dblclick", () => { if (s.home) setView(s, s.home); });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector("div.cakupan-map");
  if (!root) {
    root = el("div", "cakupan-map");
    const status = el("div", "cm-status");
    status.setAttribute("role", "status");
    const svg = el("svg");
    svg.setAttribute("role", "img");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    const layer = el("g", "cm-regions");
    const dots = el("g", "cm-dots");
    svg.append(layer, dots);
    const tip = el("div", "cm-tip");
    tip.hidden = true;
    const key = el("div", "cm-legend");
    root.append(status, svg, tip, key);
    parentElement.appendChild(root);
    root.__cakupan = { root, status, svg, layer, dots, tip, legend: key, url: null,
                       paths: new Map(), names: new Map(), tips: new Map() };
    events(root.__cakupan);
    const s0 = root.__cakupan;
    if (window.ResizeObserver) new ResizeObserver(() => fitHeight(s0)).observe(root);
  }
  const s = root.__cakupan;
  s.data = data;
  s.setTriggerValue = setTriggerValue;
  fitHeight(s);
  s.svg.setAttribute("aria-label", data.label || "");
  legend(s);
  if (s.url === data.url) { paint(s); return; }
  root.removeAttribute("data-drawn");
  s.status.hidden = false;
  s.status.textContent = (data.texts && data.texts.loading) || "";
  const url = data.url;
  load(url).then((geo) => {
    if (s.data.url !== url) return; // another view was asked for meanwhile
    draw(s, geo);
    s.url = url;
    paint(s);
  }).catch(() => {
    if (s.data.url !== url) return;
    s.status.textContent = (data.texts && data.texts.failed) || "";
  });
}
