// Bayesian updating: flipping reveals the model's coin flips in order; the readouts are the
// model's posterior after k flips (mean, credible interval, the predictive of each flip).
MR.start({
  init(shared) {
    this.sh = shared;
    this.flat = this.surface(document.getElementById("flat"), 0.62, 0.7);
    this.stub = this.surface(document.getElementById("stubborn"), 0.62, 0.7);
    this.strip = this.surface(document.getElementById("flips"), 0.12, 0.3);
    MR.text("true_p", String(shared.true_p));
    MR.text("prior", shared.prior.join(", "));
    MR.text("stubborn_prior", shared.stubborn_prior.join(", "));
  },
  reset(run) {
    this.run = run;
    this.k = 0;
    this.from = 0;
  },
  act(action, el) {
    this.from = this.k;
    if (action !== "flip") return 0;
    this.k = Math.min(this.sh.flips, this.k + Number(el.dataset.count));
    return this.k - this.from === 1 ? 700 : 900;
  },
  readouts() {
    const k = this.k, r = this.run;
    MR.readout("flips", k, MR.count(k));
    MR.readout("heads", r.heads[k], MR.count(r.heads[k]));
    MR.readout("last", k ? r.flips[k - 1] : NaN, k ? (r.flips[k - 1] ? "heads" : "tails") : "none yet");
    const pred = k ? r.predictive[k - 1] : NaN;
    MR.readout("predictive", pred, MR.fixed(pred, 4));
    MR.readout("mean", r.mean[k], r.mean[k].toFixed(4));
    MR.readout("low", r.low[k], r.low[k].toFixed(3));
    MR.readout("high", r.high[k], r.high[k].toFixed(3));
    MR.readout("stubborn_mean", r.stubborn_mean[k], r.stubborn_mean[k].toFixed(4));
    for (const b of MR.root.querySelectorAll('[data-action="flip"]')) b.disabled = k >= this.sh.flips;
  },
  draw(p) {
    const r = this.run;
    this.drawBelief(this.flat, r.density, MR.colour.primary, p, true);
    this.drawBelief(this.stub, r.stubborn_density, MR.colour.violet, p, false);
    this.drawStrip(Math.round(this.from + (this.k - this.from) * p));
  },
  // The density before the last flip, that flip's likelihood, and the posterior, morphing in.
  drawBelief(s, rows, hue, p, detail) {
    const g = this.sh.grid, k = this.k, before = Math.max(0, k - 1), r = this.run;
    const prev = k === this.from ? k : this.from;
    const at = (c) => (1 - p) * rows.at(prev, c) + p * rows.at(k, c);
    const top = Math.max(rows.max[prev], rows.max[k], rows.max[before]) * 1.12 || 1;
    const c = MR.chart(s, { lo: 0, hi: 1 }, { lo: 0, hi: top }, { left: 40 });
    c.axes("heads probability p", "density");
    const idx = Array.from(g, (_, i) => i), x = (i) => g[i];
    if (k > 0) c.line(x, (i) => rows.at(before, i), idx, MR.colour.muted, 1.5, [5, 4]);
    if (detail && k > 0) {
      const heads = r.flips[k - 1] === 1;
      c.line(x, (i) => (heads ? g[i] : 1 - g[i]) * top * 0.85, idx, MR.alpha(MR.colour.secondary, 0.9), 1.5);
    }
    c.band(x, () => 0, at, idx, MR.alpha(hue, 0.22));
    c.line(x, at, idx, hue, 2.2);
    if (detail) c.line(() => this.sh.true_p, (i) => i * top, [0, 1], MR.colour.good, 1, [2, 3]);
  },
  drawStrip(shown) {
    const s = this.strip, ctx = s.ctx, total = this.sh.flips, r = this.run;
    const w = (s.w - 8) / total, base = s.h - 6;
    for (let i = 0; i < shown; i++) {
      const heads = r.flips[i] === 1, h = heads ? s.h - 16 : (s.h - 16) * 0.4;
      ctx.fillStyle = heads ? MR.colour.secondary : MR.colour.muted;
      ctx.fillRect(4 + i * w, base - h, Math.max(1, w - 1), h);
    }
  },
});
