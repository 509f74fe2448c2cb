// Runs the README's JavaScript example (its ```js block) from the
// repository root against the built Node package, and checks what it
// prints: the README's JS stays true.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(`${REPO}README.md`, "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length !== 1) throw new Error(`expected one js block in README.md, found ${blocks.length}`);
const out = execFileSync(process.execPath, ["-e", blocks[0]], { cwd: REPO, encoding: "utf8" });
const want = "true Gabriele Musterfrau-Gößinger 2036-11-25T00:00:00Z\n840539006\n";
if (out !== want) {
  console.log(`README js example printed:\n${out}\nexpected:\n${want}`);
  process.exit(1);
}
console.log("README js example: ok");
