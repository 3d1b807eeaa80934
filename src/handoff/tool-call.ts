// The LLM's `transfer_to_human` tool. The on-device engines stream plain text and do not all
// support tools, so the contract is textual: the model may write a call in
// its reply, in one of the shapes small models use:
//   transfer_to_human(reason="the caller wants a refund")
//   {"name": "transfer_to_human", "arguments": {"reason": "..."}}   (optionally in <tool_call> tags)
// Either shape triggers the handoff and is removed before the reply is spoken or kept. A model
// without tools tends to promise the transfer in words instead ("I will transfer you to a human
// agent now."); that promise is honoured too, but stays in the reply: it is what the caller hears.
import { normalise } from './normalise.ts';

const NAME = 'transfer_to_human';
const CALL = /`{0,3}\s*transfer_to_human\s*\(([^()]*)\)\s*`{0,3}/giu;
const JSON_CALL = /\{[^{}]*"(?:name|function|tool)"\s*:\s*"transfer_to_human"[^{}]*(?:\{[^{}]*\}[^{}]*)?\}/giu;
const TAGS = /<\/?tool_call>/giu;
const PROMISE =
  /\bi(?: will|'ll| am going to|'m going to| am now| am| 'm|m)? (?:now )?(?:transfer|transferring|connect|connecting|put|putting|pass|passing|hand|handing)\s+you\s+(?:through\s+|over\s+)?(?:to|with)\s+(?:a|an|one of our|our|the)?\s*(?:real\s+|live\s+)?(?:human(?:\s+agent|\s+being)?|person|agent|representative|colleague|member of (?:our|the) team)/u;

export interface TransferCall {
  /** `transfer_to_human(...)` as written, or its arguments, for the handoff reason. */
  detail: string;
  /** The model promised the transfer in words rather than writing the call. */
  stated: boolean;
}

function reasonFromJson(call: string): string | null {
  return /"reason"\s*:\s*"([^"]*)"/u.exec(call)?.[1] ?? null;
}

/** The transfer the reply asks for, or null. */
export function findTransferCall(reply: string): TransferCall | null {
  const call = new RegExp(CALL.source, 'iu').exec(reply);
  if (call) {
    const args = (call[1] ?? '').trim();
    return { detail: args === '' ? `${NAME}()` : `${NAME}(${args})`.slice(0, 500), stated: false };
  }
  const json = new RegExp(JSON_CALL.source, 'iu').exec(reply);
  if (json) {
    const reason = reasonFromJson(json[0]);
    return { detail: reason ? `${NAME}(reason="${reason}")`.slice(0, 500) : `${NAME}()`, stated: false };
  }
  const promise = PROMISE.exec(normalise(reply));
  if (promise) return { detail: `stated in the reply: "${promise[0]}"`, stated: true };
  return null;
}

/** The reply without tool-call markup, for speaking and keeping. */
export function stripToolCalls(reply: string): string {
  if (!/transfer_to_human|tool_call/iu.test(reply)) return reply;
  return reply
    .replace(JSON_CALL, ' ')
    .replace(CALL, ' ')
    .replace(TAGS, ' ')
    .replace(/[ \t]{2,}/gu, ' ')
    .replace(/\s*\n\s*\n\s*/gu, '\n')
    .trim();
}
