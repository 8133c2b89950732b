// Bundles the front ends with esbuild into wwwroot/ (generated, gitignored):
//   src/widget/index.js   -> wwwroot/widget.js       one classic script (site owners paste <script src=".../widget.js">)
//   src/console/agent.js  -> wwwroot/agent/agent.js  the agent console (index.html loads it as a module)
// Run by Server/ChatHub.Server.csproj at build time; `npm run build` by hand.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const common = { bundle: true, target: ["es2020"], legalComments: "inline", logLevel: "warning", sourcemap: "linked" };

await Promise.all([
  build({ ...common, entryPoints: [here("src/widget/index.js")], outfile: here("../wwwroot/widget.js"), format: "iife", minify: true }),
  build({ ...common, entryPoints: [here("src/console/agent.js")], outfile: here("../wwwroot/agent/agent.js"), format: "esm", minify: true }),
]);
