// Preloaded into the Prisma CLI (node --require): the WASM schema engine leaves a 10 s timer
// that keeps each migrate command alive; unref long timers created by Prisma so the CLI exits.
const original = global.setTimeout;
global.setTimeout = function patched(fn, ms, ...args) {
  const t = original(fn, ms, ...args);
  if (ms >= 1000 && t && typeof t.unref === 'function') {
    const stack = new Error().stack || '';
    if (stack.includes('prisma') || stack.includes('pglite')) t.unref();
  }
  return t;
};
