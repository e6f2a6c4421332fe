// The hostile neighbours of bench:gate in a process of their own (test/helpers/hostile.ts):
// started with the server's public URL and a session cookie, they run until the parent sends
// "stop", then report what they saw. They stand for clients on other machines, so this process
// runs at the lowest priority: on the benchmark's one machine its own CPU use must not be counted
// against the server it attacks.
import { setPriority } from "node:os";

import { startHostileNeighbours } from "../test/helpers/hostile.js";

setPriority(19);
const [serverUrl, cookie] = process.argv.slice(2);
const neighbours = startHostileNeighbours({ serverUrl, cookie, graphqlClients: Number(process.env.BENCH_GQL ?? 8), uploadClients: Number(process.env.BENCH_UP ?? 1) });
process.on("message", (message) => {
  if (message !== "stop") return;
  void neighbours.stop().then((seen) => {
    process.send!(seen);
    process.exit(0);
  });
});
process.send!("started");
