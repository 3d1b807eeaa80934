import { z } from 'zod';

// zod probes whether eval works (`new Function('')`) the first time it parses an object. The
// pages' security policy forbids eval: the probe's failure is caught, but the browser still
// reports a CSP violation (console error, securitypolicyviolation event). jitless skips the
// probe. Each page's entry imports this module first: a setting made in the entry's own body
// comes too late, after its imports (the stores) have already parsed something.
z.config({ jitless: true });
