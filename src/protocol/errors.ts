import { z } from 'zod';

// Every 4xx/5xx the relay sends has this one shape, so clients need one error path.

export const ApiErrorDetailSchema = z.object({
  /** Dotted path into the request body (`transcript.3.text`), empty for the whole body. */
  path: z.string(),
  message: z.string(),
});

export const ApiErrorSchema = z.object({
  error: z.object({
    /** Stable machine-readable code, e.g. `invalid_body`, `not_found`, `already_claimed`. */
    code: z.string(),
    /** Human-readable explanation of what is wrong. */
    message: z.string(),
    details: z.array(ApiErrorDetailSchema).optional(),
  }),
});

export type ApiErrorDetail = z.infer<typeof ApiErrorDetailSchema>;
export type ApiError = z.infer<typeof ApiErrorSchema>;
