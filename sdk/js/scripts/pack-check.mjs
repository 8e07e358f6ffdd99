// What an integrator gets: each package packed (npm pack), installed offline into a new project
// with React and TypeScript, the docs' examples (docs/frontend.md, docs/backend.md) type-checked
// against what was installed, the packages imported, and their sizes minified and gzipped.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const sdk = new URL("../", import.meta.url).pathname;
const docs = new URL("../../../docs/", import.meta.url);
const run = (cwd, command, ...args) => execFileSync(command, args, { cwd, encoding: "utf8" });

const work = await mkdtemp(join(tmpdir(), "memberflow-pack-"));
const packs = JSON.parse(run(sdk, "npm", "pack", "--workspaces", "--json", "--pack-destination", work));

// A new project: the tarballs, and what the examples use beside them, at the versions the SDK's
// lockfile pins, from npm's cache only.
const app = join(work, "app");
await mkdir(app);
await writeFile(join(app, "package.json"), JSON.stringify({ name: "integrator-app", private: true, type: "module" }));
const pinned = JSON.parse(await readFile(join(sdk, "package.json"), "utf8")).devDependencies;
const beside = ["react", "react-dom", "standardwebhooks", "typescript", "@types/react", "@types/react-dom", "@types/node"];
// npm ci keeps tarballs but not the registry's metadata, which an install resolves versions with:
// put in npm's cache, at the lockfile's versions, what the new project's install will resolve.
const lock = JSON.parse(await readFile(join(sdk, "package-lock.json"), "utf8")).packages;
const resolved = new Set();
const resolve = (name) => {
  const entry = lock[`node_modules/${name}`];
  if (!entry || resolved.has(`${name}@${entry.version}`)) return;
  resolved.add(`${name}@${entry.version}`);
  Object.keys({ ...entry.dependencies, ...entry.peerDependencies }).forEach(resolve);
};
// What the examples use beside the packages, and what the packages depend on.
[...beside, ...Object.keys(lock["packages/client"].dependencies)].forEach(resolve);
run(sdk, "npm", "cache", "add", ...resolved);
run(app, "npm", "install", "--offline", "--no-audit", "--no-fund",
  ...packs.map((p) => join(work, p.filename)),
  ...beside.map((name) => `${name}@${pinned[name]}`));

// The docs' TypeScript, each block a file of the new project, type-checked strictly.
let blocks = 0;
for (const page of ["frontend.md", "backend.md"]) {
  const text = await readFile(new URL(page, docs), "utf8");
  for (const [, lang, code] of text.matchAll(/```(tsx?)\n([\s\S]*?)```/g)) {
    await writeFile(join(app, `${page.replace(".md", "")}-${++blocks}.${lang}`), code);
  }
}
await writeFile(join(app, "tsconfig.json"), JSON.stringify({
  compilerOptions: {
    target: "ES2022", module: "ESNext", moduleResolution: "bundler", lib: ["ES2022", "DOM"],
    jsx: "react-jsx", strict: true, noEmit: true, types: ["node"],
  },
}));
run(app, join(app, "node_modules/.bin/tsc"), "-p", ".");

// Imported as installed: the names the docs use are there.
const exported = JSON.parse(run(app, "node", "--input-type=module", "-e", `
  const names = {};
  for (const p of ["@memberflow/browser", "@memberflow/react", "@memberflow/client"]) {
    names[p] = Object.keys(await import(p));
  }
  console.log(JSON.stringify(names));`));
const needed = {
  "@memberflow/browser": ["Memberflow", "MemberflowError", "appReturn", "eventFor", "retryAfterMs"],
  "@memberflow/react": ["useMemberflow", "nextState", "IDLE"],
  "@memberflow/client": ["createMemberflowClient"],
};
for (const [name, names] of Object.entries(needed)) {
  const missing = names.filter((n) => !exported[name].includes(n));
  if (missing.length) throw new Error(`${name} as installed lacks ${missing}`);
}

// Sizes as a bundler ships them: minified, then gzipped. React stays the app's own; the hook
// includes the browser package, the Node client openapi-fetch.
console.log("package               tarball   unpacked   minified   min+gz");
for (const pack of packs) {
  const out = await build({
    stdin: { contents: `export * from "${pack.name}";`, resolveDir: app },
    bundle: true, minify: true, write: false, format: "esm",
    platform: pack.name === "@memberflow/client" ? "node" : "browser",
    external: ["react"], logLevel: "error",
  });
  const code = out.outputFiles[0].contents;
  console.log([pack.name.padEnd(20), `${pack.size} B`.padStart(9), `${pack.unpackedSize} B`.padStart(10),
    `${code.length} B`.padStart(10), `${gzipSync(code, { level: 9 }).length} B`.padStart(8)].join(" "));
}
console.log(`pack-check: ${packs.length} tarballs installed offline in ${app}; ${blocks} examples of the docs type-checked; exports present`);
