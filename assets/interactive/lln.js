// The law of large numbers: rolling reveals the model's rolls of its first run, one path of many;
// the readouts are the model's running mean, funnel and share of runs outside it at n.
MR.start({
  init(shared) {
    this.sh = shared;
    this.paths = this.surface(document.getElementById("paths"), 0.45, 0.8);
    this.faces = this.surface(document.getElementById("faces"), 0.25, 0.55);
    this.slider = document.getElementById("lln-n");
    this.slider.max = String(shared.count);
    this.cauchy = false;
    MR.text("mu", String(shared.mu));
  },
  reset(run) {
    this.run = run;
    this.n = 0;
    this.from = 0;
  },
  act(action, el) {
    this.from = this.n;
    if (action === "cauchy") {
      this.cauchy = !this.cauchy;
      el.setAttribute("aria-pressed", String(this.cauchy));
      return 0;
    }
    if (action === "n") { this.n = Number(el.value); return 0; }
    if (action !== "roll") return 0;
    this.n = Math.min(this.sh.count, this.n + Number(el.dataset.count));
    return this.n - this.from === 1 ? 250 : 700;
  },
  readouts() {
    const n = this.n, i = n - 1, r = this.run, sh = this.sh;
    MR.readout("n", n, MR.count(n));
    const mean = n ? (this.cauchy ? r.cauchy_mean[i] : r.mean[i]) : NaN;
    MR.readout("mean", mean, MR.fixed(mean, 4));
    const funnel = n && !this.cauchy;
    const lo = funnel ? sh.band_low[i] : NaN, hi = funnel ? sh.band_high[i] : NaN;
    const none = this.cauchy ? "none (no mean)" : "none yet";
    MR.readout("band_low", lo, funnel ? lo.toFixed(3) : none);
    MR.text("band_to", funnel ? " to " : "");
    MR.readout("band_high", hi, funnel ? hi.toFixed(3) : "");
    const out = funnel ? r.outside[i] : NaN;
    MR.readout("outside", out, funnel ? (100 * out).toFixed(1) + "% of " + sh.paths : none);
    if (this.slider.value !== String(n)) this.slider.value = String(n);
    this.slider.setAttribute("aria-valuetext", MR.count(n) + " rolls");
    for (const b of MR.root.querySelectorAll('[data-action="roll"]')) b.disabled = n >= sh.count;
    document.getElementById("faces-panel").hidden = this.cauchy;
  },
  draw(p) {
    const shown = Math.round(this.from + (this.n - this.from) * p);
    this.drawPaths(shown);
    if (!this.cauchy) this.drawFaces(shown);
  },
  drawPaths(shown) {
    const sh = this.sh, r = this.run, drawn = sh.drawn;
    const y = this.cauchy ? { lo: -6, hi: 6 } : { lo: 1, hi: 6 };
    const c = MR.chart(this.paths, { lo: 1, hi: sh.count, log: true }, y, { left: 34 });
    c.axes("rolls n", this.cauchy ? "running mean of Cauchy draws" : "running mean");
    const n = (i) => i + 1;
    const idx = MR.upTo(drawn, shown);
    const drawnIdx = (k) => drawn[k];
    const upToK = Array.from(drawn).filter((i) => i < shown).map((_, k) => k);
    const legend = [];
    if (!this.cauchy) {
      c.band(n, (i) => sh.band_low[i], (i) => sh.band_high[i], Array.from(drawn), MR.alpha(MR.colour.primary, 0.14));
      const faint = r.faint, cols = drawn.length;
      for (let row = 0; row < faint.rows; row++) {
        c.line((k) => n(drawnIdx(k)), (k) => faint.values[row * cols + k], upToK, MR.alpha(MR.colour.muted, 0.35), 1);
      }
      c.line(n, () => sh.mu, [0, sh.count - 1], MR.colour.text, 1, [5, 4]);
      c.line(n, (i) => r.mean[i], idx, MR.colour.secondary, 2.2);
      legend.push(["secondary", "the highlighted run"], ["muted", faint.rows + " other runs"], ["primary", "95% funnel μ ± 1.96σ/√n"], ["text", "μ = " + sh.mu]);
    } else {
      const faint = r.cauchy_faint, cols = drawn.length;
      for (let row = 0; row < faint.rows; row++) {
        c.line((k) => n(drawnIdx(k)), (k) => faint.values[row * cols + k], upToK, MR.alpha(MR.colour.violet, 0.55), 1.2);
      }
      c.line(n, () => 0, [0, sh.count - 1], MR.colour.text, 1, [5, 4]);
      c.line(n, (i) => r.cauchy_mean[i], idx, MR.colour.accent, 2.2);
      legend.push(["accent", "the highlighted run"], ["violet", faint.rows + " other runs"], ["text", "the centre, 0"]);
    }
    MR.legend("lln-legend", legend);
  },
  drawFaces(shown) {
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < shown; i++) counts[this.run.rolls[i] - 1]++;
    const top = Math.max(5, ...counts, shown / 6) * 1.15;
    const c = MR.chart(this.faces, { lo: 0.5, hi: 6.5 }, { lo: 0, hi: top }, { left: 40, xTicks: 6 });
    c.axes("face", "count");
    c.clip((ctx) => {
      ctx.fillStyle = MR.colour.primary;
      counts.forEach((k, f) => {
        const x0 = c.X(f + 1 - 0.35), x1 = c.X(f + 1 + 0.35);
        ctx.fillRect(x0, c.Y(k), x1 - x0, c.Y(0) - c.Y(k));
      });
    });
    c.line((x) => x, () => shown / 6, [0.5, 6.5], MR.colour.secondary, 1.5, [5, 4]);
  },
});
