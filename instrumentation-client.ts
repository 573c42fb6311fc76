import { z } from "zod";

/**
 * Runs in the browser before the app's own code. The pages' Content-Security-Policy forbids eval,
 * and zod probes for it with `new Function` when its first object schema is built: the probe's
 * error is caught, but the browser still reports a violation. Without the JIT, zod never probes.
 */
z.config({ jitless: true });
