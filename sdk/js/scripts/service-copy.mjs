// memberflow serves @memberflow/browser as /memberflow.js for its demo page and for pages that load
// it from the service: the built package, committed so that the service needs only a JDK.
// node scripts/service-copy.mjs writes it; with --check it fails when the copy is not the build.
import { readFile, writeFile } from "node:fs/promises";

const pkg = JSON.parse(await readFile(new URL("../packages/browser/package.json", import.meta.url), "utf8"));
const built = await readFile(new URL("../packages/browser/dist/index.js", import.meta.url), "utf8");
const copy = new URL("../../../service/src/main/resources/static/memberflow.js", import.meta.url);
const expected =
  `// ${pkg.name} ${pkg.version}, built from sdk/js/packages/browser: do not edit here.\n` +
  `// cd sdk/js && npm run build && npm run service-copy\n` +
  built;

if (process.argv.includes("--check")) {
  const served = await readFile(copy, "utf8").catch(() => "");
  if (served !== expected) {
    console.error(`${copy.pathname} is not the built ${pkg.name}: cd sdk/js && npm run build && npm run service-copy`);
    process.exit(1);
  }
  console.log(`${copy.pathname} is the built ${pkg.name} ${pkg.version}`);
} else {
  await writeFile(copy, expected);
  console.log(`wrote ${copy.pathname}`);
}
