// Buffon's needle: each throw reveals the model's next needles and darts; the readouts are the
// model's running count and estimates at n, never recomputed here.
MR.start({
  init(shared) {
    this.sh = shared;
    this.floor = this.surface(document.getElementById("floor"), 0.625, 0.66);
    this.est = this.surface(document.getElementById("estimate"), 0.625, 0.75);
    this.square = this.surface(document.getElementById("square"), 0.6, 0.62);
    this.darts = this.surface(document.getElementById("darts"), 0.6, 0.75);
    this.long = false;
    const ratio = shared.long_needle_length / shared.line_spacing;
    MR.text("long_ratio", "l = " + Number(ratio.toPrecision(3)) + "t");
  },
  reset(run) {
    this.run = run;
    this.n = 0;
    this.from = 0;
  },
  act(action, el) {
    if (action === "long") {
      this.long = !this.long;
      el.setAttribute("aria-pressed", String(this.long));
      this.from = this.n;
      return 0;
    }
    if (action !== "throw") return 0;
    this.from = this.n;
    this.n = Math.min(this.sh.count, this.n + Number(el.dataset.count));
    const thrown = this.n - this.from;
    return thrown === 0 ? 0 : thrown === 1 ? 450 : 900;
  },
  // The experiment on the floor: the short needles or the long ones.
  view() {
    const r = this.run, s = this.sh;
    if (!this.long) {
      return { needles: r.needles, length: s.needle_length, hits: r.hits, estimate: r.estimate,
               se: s.standard_error, crossings: (i) => r.hits[i] - (i ? r.hits[i - 1] : 0) };
    }
    return { needles: r.long_needles, length: s.long_needle_length, hits: r.long_hits, estimate: r.long_estimate,
             se: s.long_standard_error || null, crossings: (i) => r.long_crossings[i] };
  },
  readouts() {
    const n = this.n, v = this.view(), i = n - 1;
    MR.readout("n", n, MR.count(n));
    MR.readout("hits", n ? v.hits[i] : 0, MR.count(n ? v.hits[i] : 0));
    const est = n ? v.estimate[i] : NaN;
    MR.readout("estimate", est, MR.fixed(est, 4));
    const se = n && v.se ? v.se[i] : NaN;
    MR.readout("se", se, Number.isFinite(se) ? "±" + se.toFixed(4) : n ? "—" : "none yet");
    const dart = n ? this.run.dart_estimate[i] : NaN;
    MR.readout("dart_estimate", dart, MR.fixed(dart, 4));
    for (const b of MR.root.querySelectorAll('[data-action="throw"]')) b.disabled = n >= this.sh.count;
  },
  draw(p) {
    const shown = Math.round(this.from + (this.n - this.from) * p);
    const fresh = this.n - this.from === 1 && p < 1 ? p : 1;
    this.drawFloor(shown, fresh);
    this.drawSquare(shown);
    this.drawDarts(shown);
    this.drawEstimate(shown);
  },
  drawFloor(shown, fresh) {
    const s = this.floor, ctx = s.ctx, sh = this.sh, v = this.view();
    const pad = 8, scale = Math.min((s.w - 2 * pad) / sh.board_width, (s.h - 2 * pad) / sh.board_height);
    const ox = (s.w - sh.board_width * scale) / 2, oy = (s.h - sh.board_height * scale) / 2;
    const X = (x) => ox + x * scale, Y = (y) => oy + (sh.board_height - y) * scale;
    ctx.save();
    ctx.beginPath(); ctx.rect(ox, oy, sh.board_width * scale, sh.board_height * scale); ctx.clip();
    ctx.strokeStyle = MR.colour.muted;
    ctx.lineWidth = 1;
    for (let y = 0; y <= sh.board_height + 1e-9; y += sh.line_spacing) {
      ctx.beginPath(); ctx.moveTo(X(0), Y(y)); ctx.lineTo(X(sh.board_width), Y(y)); ctx.stroke();
    }
    const half = v.length / 2, nd = v.needles;
    MR.legend("floor-legend", this.long
      ? [["secondary", "meets one line"], ["accent", "meets two or more"], ["muted", "misses"]]
      : [["secondary", "crosses a line"], ["muted", "misses"]]);
    ctx.lineWidth = shown > 600 ? 1 : 1.6;
    for (let i = 0; i < shown; i++) {
      const c = v.crossings(i);
      ctx.strokeStyle = c === 0 ? MR.alpha(MR.colour.muted, 0.75) : c === 1 ? MR.colour.secondary : MR.colour.accent;
      if (i === shown - 1) ctx.globalAlpha = fresh;
      const dx = half * Math.cos(nd.angle[i]), dy = half * Math.sin(nd.angle[i]);
      ctx.beginPath();
      ctx.moveTo(X(nd.x[i] - dx), Y(nd.y[i] - dy));
      ctx.lineTo(X(nd.x[i] + dx), Y(nd.y[i] + dy));
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    if (shown > 0 && shown <= 100) {
      const i = shown - 1;
      ctx.strokeStyle = MR.colour.text;
      ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(X(nd.x[i]), Y(nd.y[i]), 6, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.restore();
  },
  drawSquare(shown) {
    const s = this.square, sh = this.sh, v = this.view(), t = sh.line_spacing;
    const c = MR.chart(s, { lo: 0, hi: Math.PI }, { lo: 0, hi: t / 2 }, { yTicks: 3 });
    c.axes("angle", "distance to the nearest line");
    const half = v.length / 2;
    const idx = Array.from({ length: 121 }, (_, k) => k);
    c.band((k) => (k / 120) * Math.PI, () => 0, (k) => Math.min(t / 2, half * Math.sin((k / 120) * Math.PI)), idx, MR.alpha(MR.colour.secondary, 0.12));
    const nd = v.needles;
    c.clip((ctx) => {
      for (let i = 0; i < shown; i++) {
        // the distance to the nearest line, read off the centre (the model's distance_to_line)
        const off = nd.y[i] % t, d = Math.min(off, t - off);
        ctx.fillStyle = v.crossings(i) ? MR.colour.secondary : MR.alpha(MR.colour.muted, 0.8);
        ctx.fillRect(c.X(nd.angle[i]) - 1.5, c.Y(d) - 1.5, 3, 3);
      }
    });
    c.line((k) => (k / 120) * Math.PI, (k) => half * Math.sin((k / 120) * Math.PI), idx, MR.colour.secondary, 2);
  },
  drawDarts(shown) {
    const s = this.darts, ctx = s.ctx, run = this.run;
    const side = Math.min(s.w, s.h) - 24, ox = (s.w - side) / 2, oy = (s.h - side) / 2;
    ctx.strokeStyle = MR.colour.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(ox, oy, side, side);
    ctx.strokeStyle = MR.colour.good;
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(ox, oy + side, side, -Math.PI / 2, 0); ctx.stroke();
    for (let i = 0; i < shown; i++) {
      ctx.fillStyle = run.dart_inside[i] ? MR.colour.good : MR.alpha(MR.colour.muted, 0.85);
      ctx.fillRect(ox + run.darts.x[i] * side - 1.5, oy + (1 - run.darts.y[i]) * side - 1.5, 3, 3);
    }
  },
  drawEstimate(shown) {
    const s = this.est, sh = this.sh, v = this.view(), run = this.run;
    const y = this.long ? { lo: 2, hi: 5.5 } : { lo: 2.2, hi: 4.2 };
    const c = MR.chart(s, { lo: 1, hi: sh.count, log: true }, y, { left: 36 });
    c.axes("needles n", "estimate");
    const idx = MR.upTo(sh.drawn, shown), n = (i) => i + 1;
    const legend = [];
    if (v.se) {
      c.band(n, (i) => Math.PI - 2 * v.se[i], (i) => Math.PI + 2 * v.se[i], idx, MR.alpha(MR.colour.primary, 0.2));
      legend.push(["primary", "needles, ±2 standard errors"]);
    } else {
      legend.push(["primary", "needles"]);
    }
    if (!this.long) {
      const dse = sh.dart_standard_error;
      c.band(n, (i) => Math.PI - 2 * dse[i], (i) => Math.PI + 2 * dse[i], idx, MR.alpha(MR.colour.good, 0.16));
      c.line(n, (i) => run.dart_estimate[i], idx, MR.colour.good, 1.6);
      legend.push(["good", "darts, ±2 standard errors"]);
    } else {
      const naive = Array.from(sh.drawn).filter((i) => i < shown);
      const at = new Map(Array.from(sh.drawn, (i, k) => [i, run.long_naive_drawn[k]]));
      c.line(n, (i) => at.get(i), naive, MR.colour.accent, 1.8);
      legend.push(["accent", "the short-needle formula applied anyway"]);
    }
    c.line(n, () => Math.PI, [0, sh.count - 1], MR.colour.text, 1, [5, 4]);
    c.line(n, (i) => v.estimate[i], idx, MR.colour.primary, 2);
    legend.push(["text", "π"]);
    MR.legend("estimate-legend", legend);
  },
});
