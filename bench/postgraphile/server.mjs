// The server the benchmark starts (bench/src/java/io/tally/bench/PostGraphile.java): one
// PostGraphile worker per core behind node's cluster module (as nginx gets a worker per core),
// on 127.0.0.1:$PORT; prints "ready" once every worker listens.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const port = Number(process.env.PORT ?? 5678);
const workers = Number(process.env.WORKERS ?? availableParallelism());

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening === workers) {
      console.log(`ready: ${workers} workers on 127.0.0.1:${port}`);
    }
  });
  cluster.on("exit", (worker, code, signal) => {
    console.error(`worker ${worker.process.pid} exited (${signal ?? code})`);
  });
  for (let i = 0; i < workers; i++) {
    cluster.fork();
  }
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers)) {
      worker.kill("SIGTERM");
    }
    process.exit(0);
  });
} else {
  const pgl = postgraphile(preset);
  // Introspected and built before listening: "ready" means the first request is answered.
  await pgl.getSchema();
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  await serv.addTo(server);
  server.keepAliveTimeout = 60_000;
  server.listen(port, "127.0.0.1");
}
