// Builds one MDX post into a static page, as an MDX site does: @mdx-js/mdx compiles the post to
// a React component, esbuild bundles it with React, and the page renders it in the browser.
// React's development build is bundled on purpose: it reports every invalid DOM property on the
// console, which the test reads.
//
//   node mdx_page.mjs POST.mdx OUT_DIR   ->   OUT_DIR/index.html and OUT_DIR/post.js
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "@mdx-js/mdx";
import { build } from "esbuild";

const [source, outDir] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const post = String(await compile(await readFile(source, "utf8")));
const entry = [
  'import { createRoot } from "react-dom/client";',
  'import { jsx } from "react/jsx-runtime";',
  'import Post from "mdx:post";',
  'createRoot(document.getElementById("root")).render(jsx(Post, {}));',
].join("\n");
const compiledPost = {
  name: "compiled-post",
  setup(bundler) {
    bundler.onResolve({ filter: /^mdx:post$/ }, () => ({ path: "post", namespace: "mdx" }));
    bundler.onLoad({ filter: /.*/, namespace: "mdx" }, () => ({
      contents: post,
      loader: "js",
      resolveDir: here,
    }));
  },
};
await mkdir(outDir, { recursive: true });
await build({
  stdin: { contents: entry, resolveDir: here, loader: "js" },
  bundle: true,
  format: "iife",
  outfile: path.join(outDir, "post.js"),
  define: { "process.env.NODE_ENV": '"development"' },
  plugins: [compiledPost],
  logLevel: "warning",
});
await writeFile(
  path.join(outDir, "index.html"),
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">' +
    '<title>A post</title></head><body><div id="root"></div><script src="post.js"></script>' +
    "</body></html>\n",
);
