"use strict";
// The page's shared machinery: the embedded model data, the readouts, the controls, the animation
// and the chart drawing. Each scene's script calls MR.start(scene) with what its controls reveal.
const MR = (() => {
  const root = document.querySelector(".mr");
  const raw = JSON.parse(document.getElementById("mathreel-data").textContent);
  const css = getComputedStyle(document.documentElement);
  const colour = {};
  for (const name of ["background", "text", "muted", "grid", "primary", "secondary", "accent", "good", "violet"]) {
    colour[name] = css.getPropertyValue("--" + name).trim();
  }
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  // ---- the data: typed arrays packed by the exporter (little-endian, base64)
  function buffer(b64) {
    const s = atob(b64);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes.buffer;
  }
  function decode(v) {
    const buf = buffer(v.b);
    switch (v.t) {
      case "f64": return new Float64Array(buf);
      case "f32": return new Float32Array(buf);
      case "u8": return new Uint8Array(buf);
      case "u16": return new Uint16Array(buf);
      case "u32": return new Uint32Array(buf);
      case "q16": {
        const q = new Uint16Array(buf), out = new Float64Array(q.length), step = (v.hi - v.lo) / 65535;
        for (let i = 0; i < q.length; i++) out[i] = v.lo + q[i] * step;
        return out;
      }
      case "q8rows": {
        const q = new Uint8Array(buf), max = decode(v.max), cols = v.cols;
        return { cols, rows: max.length, max, at: (r, c) => (q[r * cols + c] / 255) * max[r] };
      }
    }
    throw new Error("unknown packed array " + v.t);
  }
  function unpack(v) {
    if (Array.isArray(v)) return v.map(unpack);
    if (v === null || typeof v !== "object") return v;
    if (typeof v.t === "string" && typeof v.b === "string") return decode(v);
    const out = {};
    for (const key of Object.keys(v)) out[key] = unpack(v[key]);
    return out;
  }
  const data = { scene: raw.scene, seeds: raw.seeds, shared: unpack(raw.shared), runs: raw.runs.map(unpack) };

  // ---- readouts: data-value holds the raw number, the text what a reader sees
  function readout(name, value, text) {
    for (const el of root.querySelectorAll('[data-readout="' + name + '"]')) {
      const raw = typeof value === "number" ? String(value) : value;
      if (el.dataset.value !== raw) el.dataset.value = raw;
      if (el.textContent !== text) el.textContent = text;
    }
  }
  const fixed = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : "none yet");
  const count = (n) => n.toLocaleString("en-US");
  function text(name, value) {
    for (const el of root.querySelectorAll('[data-text="' + name + '"]')) el.textContent = value;
  }

  // ---- animation: one tween at a time; a new action finishes the running one first
  let tween = null;
  function animate(ms, frame) {
    if (tween) { cancelAnimationFrame(tween.id); tween.frame(1); tween = null; }
    if (reducedMotion.matches || ms <= 0) { frame(1); return; }
    const start = performance.now();
    const t = { frame, id: 0 };
    const step = (now) => {
      const p = Math.min(1, (now - start) / ms);
      frame(1 - Math.pow(1 - p, 3));
      if (p < 1) t.id = requestAnimationFrame(step); else tween = null;
    };
    tween = t;
    t.id = requestAnimationFrame(step);
  }

  // ---- canvases: sharp at any pixel ratio, taller on narrow screens
  function surface(canvas, wide, narrow) {
    const s = { canvas, ctx: canvas.getContext("2d"), w: 0, h: 0 };
    s.fit = () => {
      const w = Math.max(1, Math.round(canvas.getBoundingClientRect().width || canvas.parentElement.clientWidth));
      const h = Math.round(w * (w < 520 ? narrow : wide));
      const dpr = window.devicePixelRatio || 1;
      if (s.w !== w || s.h !== h || canvas.width !== Math.round(w * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
        s.w = w;
        s.h = h;
      }
      s.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      s.ctx.clearRect(0, 0, w, h);
      s.ctx.font = "12px system-ui, sans-serif";
      s.ctx.lineCap = "round";
      return s;
    };
    return s;
  }

  function niceStep(span, target) {
    const raw = span / Math.max(1, target);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  }
  function ticks(axis, target) {
    if (axis.log) {
      const out = [];
      for (let e = Math.ceil(Math.log10(axis.lo) - 1e-9); Math.pow(10, e) <= axis.hi * (1 + 1e-9); e++) out.push(Math.pow(10, e));
      return out;
    }
    const step = niceStep(axis.hi - axis.lo, target);
    const out = [];
    for (let v = Math.ceil(axis.lo / step - 1e-9) * step; v <= axis.hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  }
  function label(v) {
    if (Math.abs(v) >= 1000) return count(Math.round(v));
    return String(Number(v.toPrecision(6)));
  }

  // A chart: x and y axes ({lo, hi, log}) mapped into the surface minus margins.
  function chart(s, x, y, opts) {
    const o = Object.assign({ left: 44, right: 10, top: 22, bottom: 40, xTicks: 5, yTicks: 4 }, opts || {});
    const box = { x: o.left, y: o.top, w: s.w - o.left - o.right, h: s.h - o.top - o.bottom };
    const f = (axis, lo, len, flip) => (v) => {
      const t = axis.log ? (Math.log(v) - Math.log(axis.lo)) / (Math.log(axis.hi) - Math.log(axis.lo)) : (v - axis.lo) / (axis.hi - axis.lo);
      return flip ? lo + len - t * len : lo + t * len;
    };
    const c = { s, ctx: s.ctx, box, x, y, X: f(x, box.x, box.w, false), Y: f(y, box.y, box.h, true) };
    c.axes = (xName, yName) => {
      const ctx = s.ctx;
      ctx.save();
      ctx.strokeStyle = colour.grid;
      ctx.fillStyle = colour.muted;
      ctx.lineWidth = 1;
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      const xt = ticks(x, o.xTicks);
      for (const v of xt) {
        const px = c.X(v);
        ctx.beginPath(); ctx.moveTo(px, box.y); ctx.lineTo(px, box.y + box.h); ctx.stroke();
        const text = label(v), half = ctx.measureText(text).width / 2 + 1;
        ctx.fillText(text, Math.min(Math.max(px, half), s.w - half), box.y + box.h + 4);
      }
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (const v of ticks(y, o.yTicks)) {
        const py = c.Y(v);
        ctx.beginPath(); ctx.moveTo(box.x, py); ctx.lineTo(box.x + box.w, py); ctx.stroke();
        ctx.fillText(label(v), box.x - 5, py);
      }
      // the axes' names outside the plotted area: x under its numbers, y above the box
      ctx.textAlign = "right";
      ctx.textBaseline = "bottom";
      if (xName) ctx.fillText(xName, s.w - 4, s.h - 3);
      ctx.textAlign = "left";
      if (yName) ctx.fillText(yName, 4, box.y - 6);
      ctx.restore();
    };
    c.clip = (draw) => {
      const ctx = s.ctx;
      ctx.save();
      ctx.beginPath(); ctx.rect(box.x, box.y, box.w, box.h); ctx.clip();
      draw(ctx);
      ctx.restore();
    };
    // A polyline through (xs[i], ys[i]) for the given indices; gaps where a value is not finite.
    c.line = (xs, ys, idx, style, width, dash) => c.clip((ctx) => {
      ctx.strokeStyle = style; ctx.lineWidth = width || 2; ctx.setLineDash(dash || []);
      ctx.beginPath();
      let pen = false;
      for (const i of idx) {
        const xv = xs(i), yv = ys(i);
        if (!Number.isFinite(yv) || !Number.isFinite(xv)) { pen = false; continue; }
        const px = c.X(xv), py = c.Y(yv);
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    });
    c.band = (xs, lo, hi, idx, style) => c.clip((ctx) => {
      const list = Array.from(idx);
      if (list.length < 2) return;
      ctx.fillStyle = style;
      ctx.beginPath();
      list.forEach((i, k) => (k ? ctx.lineTo(c.X(xs(i)), c.Y(hi(i))) : ctx.moveTo(c.X(xs(i)), c.Y(hi(i)))));
      for (let k = list.length - 1; k >= 0; k--) ctx.lineTo(c.X(xs(list[k])), c.Y(lo(list[k])));
      ctx.closePath();
      ctx.fill();
    });
    return c;
  }
  function alpha(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  // Indices into a running curve up to n (exclusive): the drawn log-spaced ones, then n - 1 itself.
  function upTo(drawn, n) {
    const out = [];
    for (const i of drawn) { if (i >= n) break; out.push(i); }
    if (n > 0 && out[out.length - 1] !== n - 1) out.push(n - 1);
    return out;
  }

  // ---- the controller: every [data-action] control; reset and seed are common to all pages
  function start(scene) {
    let run = 0;
    const surfaces = [];
    const draw = () => { for (const s of surfaces) s.fit(); scene.draw(1); };
    scene.surface = (canvas, wide, narrow) => { const s = surface(canvas, wide, narrow); surfaces.push(s); return s; };
    scene.init(data.shared);
    const refresh = (ms) => {
      scene.readouts();
      readout("seed", data.seeds[run], String(data.seeds[run]));
      animate(ms, (p) => { for (const s of surfaces) s.fit(); scene.draw(p); });
    };
    const begin = () => { scene.reset(data.runs[run]); refresh(0); };
    const act = (el) => {
      const action = el.dataset.action;
      if (action === "reset") { begin(); return; }
      if (action === "seed") { run = (run + 1) % data.runs.length; begin(); return; }
      const ms = scene.act(action, el);
      refresh(ms || 0);
    };
    root.addEventListener("click", (e) => {
      const el = e.target.closest("button[data-action]");
      if (el && !el.disabled) act(el);
    });
    root.addEventListener("input", (e) => { if (e.target.matches("input[data-action]")) act(e.target); });
    new ResizeObserver(() => { draw(); reportHeight(); }).observe(root);
    begin();
  }

  // An embedding page may listen for this to size its iframe to the page (no layout jump).
  function reportHeight() {
    if (window.parent === window) return;
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ mathreel: "height", scene: data.scene, height }, "*");
  }

  // A chart's legend: [colour name, text] pairs, rewritten only when they change.
  function legend(id, items) {
    const ul = document.getElementById(id);
    const html = items.map(([c, t]) => '<li class="mr-c-' + c + '"><span>' + t + "</span></li>").join("");
    if (ul.innerHTML !== html) ul.innerHTML = html;
  }

  function press(selector, value) {
    for (const el of root.querySelectorAll(selector)) el.setAttribute("aria-pressed", String(el.dataset.choice === String(value)));
  }

  return { data, colour, readout, text, fixed, count, chart, alpha, upTo, start, press, legend, root };
})();
