// Preloaded into every Node process the supervisor starts (NODE_OPTIONS=--import): when the
// process that started this one dies without stopping it (SIGKILL, a crash, a CI runner killing
// the job), the kernel re-parents this process and it would live on. Notice that and go, taking
// this process's own group (the programs it started: esbuild, a Hardhat node) with it.
const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  try {
    // A supervised child leads its own process group (spawned detached); a deeper descendant
    // does not, and kill(-pid) then fails harmlessly.
    process.kill(-process.pid, "SIGTERM");
  } catch {
    // not a group leader
  }
  setTimeout(() => process.exit(143), 2000).unref();
  process.kill(process.pid, "SIGTERM");
}, 250);
timer.unref();
