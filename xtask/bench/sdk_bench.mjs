// The official Node SDK's side of `cargo xtask bench` (our own driver script).
//
//     LIVEBLOCKS_BENCH_NODE_DIR=.tools/bench-node node sdk_bench.mjs seq|conc|pages URL COUNT INFLIGHT
//
// Sends COUNT requests through `@liveblocks/node` (installed by the harness into the folder
// named by LIVEBLOCKS_BENCH_NODE_DIR) after a short untimed warm-up, and prints
// `RESULT requests=N seconds=S cpu=C`, where `cpu` is this process's user + system CPU time
// during the timed part. `conc` runs INFLIGHT calls per `Promise.all` batch.

import { createRequire } from "node:module";
import path from "node:path";

const dir = process.env.LIVEBLOCKS_BENCH_NODE_DIR;
if (!dir) {
  throw new Error("set LIVEBLOCKS_BENCH_NODE_DIR to the folder where @liveblocks/node is installed");
}
const require = createRequire(path.join(path.resolve(dir), "package.json"));
const { Liveblocks } = require("@liveblocks/node");

const SECRET = "sk_bench_0123456789";
const [workload, url, countText, inflightText] = process.argv.slice(2);
const count = Number(countText);
const inflight = Number(inflightText);
if (!["seq", "conc", "pages"].includes(workload)) {
  throw new Error(`unknown workload ${workload}`);
}

const client = new Liveblocks({ secret: SECRET, baseUrl: url });

async function one(i) {
  if (workload === "pages") {
    const page = await client.getRooms({ limit: 100 });
    if (page.data.length !== 100) {
      throw new Error(`expected 100 rooms, got ${page.data.length}`);
    }
  } else {
    const room = await client.getRoom(`room-${i % 1000}`);
    if (!room.id) {
      throw new Error("empty room id");
    }
  }
}

async function drive(total) {
  if (workload !== "conc") {
    for (let i = 0; i < total; i++) {
      await one(i);
    }
    return;
  }
  for (let start = 0; start < total; start += inflight) {
    const batch = [];
    for (let i = start; i < Math.min(total, start + inflight); i++) {
      batch.push(one(i));
    }
    await Promise.all(batch);
  }
}

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

await drive(Math.max(1, Math.min(200, Math.floor(count / 20))));
const cpu = cpuSeconds();
const started = process.hrtime.bigint();
await drive(count);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const used = cpuSeconds() - cpu;
console.log(`RESULT requests=${count} seconds=${seconds.toFixed(6)} cpu=${used.toFixed(6)}`);
