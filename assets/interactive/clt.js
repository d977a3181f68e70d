// The central limit theorem: dropping reveals the model's Galton balls in order; the exact sums,
// their distance to the normal and the Berry-Esseen bound are the model's, per die and n.
MR.start({
  init(shared) {
    this.sh = shared;
    this.board = this.surface(document.getElementById("galton"), 0.48, 0.85);
    this.sum = this.surface(document.getElementById("sum"), 0.62, 0.7);
    this.ks = this.surface(document.getElementById("ks"), 0.62, 0.7);
    this.die = this.surface(document.getElementById("die"), 0.2, 0.45);
    this.choice = { die: shared.die, n: shared.dice[shared.die].ns[shared.dice[shared.die].ns.length - 1] };
    const make = (box, action, values, name) => {
      for (const v of values) {
        const b = document.createElement("button");
        b.type = "button";
        b.dataset.action = action;
        b.dataset.choice = String(v);
        b.textContent = name(v);
        box.appendChild(b);
      }
    };
    make(document.getElementById("die-choices"), "die", Object.keys(shared.dice), (d) => d);
    make(document.getElementById("n-choices"), "n", shared.dice[shared.die].ns, String);
  },
  reset(run) {
    this.run = run;
    this.balls = 0;
    this.from = 0;
  },
  act(action, el) {
    this.from = this.balls;
    if (action === "die") this.choice.die = el.dataset.choice;
    if (action === "n") this.choice.n = Number(el.dataset.choice);
    if (action !== "drop") return 0;
    this.balls = Math.min(this.sh.balls, this.balls + Number(el.dataset.count));
    const one = this.balls - this.from === 1 && this.from < this.sh.shown;
    return one ? 1400 : 800;
  },
  readouts() {
    const b = this.balls, sh = this.sh;
    MR.readout("balls", b, MR.count(b));
    const bucket = b ? this.run.buckets[b - 1] : NaN;
    MR.readout("bucket", bucket, b ? bucket + " of 0–" + sh.rows : "none yet");
    for (const el of MR.root.querySelectorAll('[data-action="drop"]')) el.disabled = b >= sh.balls;
    const die = sh.dice[this.choice.die], n = this.choice.n, sum = die.sums[String(n)];
    MR.readout("n", n, String(n));
    MR.readout("ks", sum.ks, sum.ks.toFixed(4));
    const bound = die.berry_esseen_bound[n - 1];
    MR.readout("bound", bound, bound.toFixed(4));
    MR.press('[data-action="die"]', this.choice.die);
    MR.press('[data-action="n"]', n);
  },
  draw(p) {
    this.drawBoard(p);
    this.drawSum();
    this.drawDistance();
    this.drawDie();
  },
  drawBoard(p) {
    const s = this.board, ctx = s.ctx, sh = this.sh, rows = sh.rows, run = this.run;
    const one = this.balls - this.from === 1 && this.from < sh.shown && p < 1;
    const shown = one ? this.from : Math.round(this.from + (this.balls - this.from) * p);
    const counts = new Array(rows + 1).fill(0);
    for (let i = 0; i < shown; i++) counts[run.buckets[i]]++;
    const dx = Math.min(s.w / (rows + 2), 44), top = 16, pegH = Math.min(s.h * 0.45, dx * rows * 0.8);
    const dy = pegH / rows, cx = s.w / 2, floor = s.h - 22, binTop = top + pegH + 12;
    const px = (pos, r) => cx + (pos - r / 2) * dx, py = (r) => top + r * dy;
    ctx.fillStyle = MR.colour.muted;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k <= r; k++) { ctx.beginPath(); ctx.arc(px(k, r), py(r), 2.2, 0, 2 * Math.PI); ctx.fill(); }
    }
    const expected = (k) => sh.bucket_pmf[k] * Math.max(shown, 1);
    const peak = Math.max(...counts, expected(rows >> 1), 1);
    const scale = (floor - binTop) / peak;
    ctx.fillStyle = MR.colour.primary;
    for (let k = 0; k <= rows; k++) {
      const x = px(k, rows);
      ctx.fillRect(x - dx * 0.4, floor - counts[k] * scale, dx * 0.8, counts[k] * scale);
    }
    if (shown > 0) {
      ctx.strokeStyle = MR.colour.secondary;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let k = 0; k <= rows; k++) {
        const x = px(k, rows), y = floor - expected(k) * scale;
        ctx.moveTo(x - dx * 0.45, y);
        ctx.lineTo(x + dx * 0.45, y);
      }
      ctx.stroke();
    }
    ctx.strokeStyle = MR.colour.grid;
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(px(-0.5, rows), floor); ctx.lineTo(px(rows + 0.5, rows), floor); ctx.stroke();
    ctx.fillStyle = MR.colour.muted;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let k = 0; k <= rows; k += rows > 12 ? 2 : 1) ctx.fillText(String(k), px(k, rows), floor + 4);
    if (one) {
      // the ball's own bounces, peg by peg, then down into its bucket
      const path = run.paths, i = this.from, pts = [[px(0, 0), top - 10]];
      let right = 0;
      for (let r = 0; r < rows; r++) {
        pts.push([px(right, r), py(r) - 6]);
        right += path[i * rows + r];
      }
      pts.push([px(right, rows), binTop], [px(right, rows), floor - counts[right] * scale - 6]);
      const at = p * (pts.length - 1), seg = Math.min(pts.length - 2, Math.floor(at)), f = at - seg;
      const x = pts[seg][0] + (pts[seg + 1][0] - pts[seg][0]) * f, y = pts[seg][1] + (pts[seg + 1][1] - pts[seg][1]) * f;
      ctx.fillStyle = MR.colour.secondary;
      ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI); ctx.fill();
    }
  },
  drawSum() {
    const sh = this.sh, die = sh.dice[this.choice.die], sum = die.sums[String(this.choice.n)];
    const peak = Math.max(0.45, ...sum.density) * 1.1;
    const c = MR.chart(this.sum, { lo: -4.5, hi: 4.5 }, { lo: 0, hi: peak }, { left: 38, xTicks: 9 });
    c.axes("z = (sum − nμ) / (σ√n)", "density");
    c.clip((ctx) => {
      ctx.fillStyle = MR.alpha(MR.colour.primary, 0.75);
      const w = sum.width;
      for (let i = 0; i < sum.z.length; i++) {
        const x0 = c.X(sum.z[i] - w / 2), x1 = c.X(sum.z[i] + w / 2);
        ctx.fillRect(x0, c.Y(sum.density[i]), Math.max(1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0)), c.Y(0) - c.Y(sum.density[i]));
      }
    });
    const zi = Array.from(sh.z_grid, (_, i) => i);
    c.line((i) => sh.z_grid[i], (i) => sh.normal_density[i], zi, MR.colour.secondary, 2);
  },
  drawDistance() {
    const die = this.sh.dice[this.choice.die], ns = die.ks_ns, last = ns[ns.length - 1];
    const lo = Math.min(...die.ks_distance) / 1.5;
    const c = MR.chart(this.ks, { lo: 1, hi: last, log: true }, { lo: Math.pow(10, Math.floor(Math.log10(lo))), hi: 1, log: true }, { left: 46 });
    c.axes("rolls n", "distance");
    const idx = Array.from(ns, (_, i) => i), n = (i) => ns[i];
    c.line(n, (i) => die.berry_esseen_bound[i], idx, MR.colour.accent, 2, [6, 4]);
    c.line(n, (i) => die.ks_distance[i], idx, MR.colour.primary, 2);
    const k = this.choice.n - 1;
    c.clip((ctx) => {
      ctx.fillStyle = MR.colour.secondary;
      ctx.beginPath(); ctx.arc(c.X(ns[k]), c.Y(die.ks_distance[k]), 5, 0, 2 * Math.PI); ctx.fill();
    });
  },
  drawDie() {
    const die = this.sh.dice[this.choice.die];
    const c = MR.chart(this.die, { lo: 0.5, hi: 6.5 }, { lo: 0, hi: 0.5 }, { left: 38, xTicks: 6, yTicks: 3 });
    c.axes("face", "probability");
    c.clip((ctx) => {
      ctx.fillStyle = MR.colour.primary;
      die.pmf.forEach((q, f) => {
        const x0 = c.X(f + 1 - 0.35), x1 = c.X(f + 1 + 0.35);
        ctx.fillRect(x0, c.Y(q), x1 - x0, c.Y(0) - c.Y(q));
      });
    });
  },
});
