// Did the caller ask for a person? A handful of phrasings ("talk to a human", "get me an agent",
// "transfer me to a representative", a bare "operator!"), excluding the same words in a
// question about the assistant ("am I talking to a human?") or a refusal ("I don't want an agent").
import { normalise } from './normalise.ts';

const ARTICLE = String.raw`(?:(?:a|an|the|some|one|your|another|actual|to)\s+)?`;
const QUALIFIER = String.raw`(?:(?:real|live|actual|human|flesh and blood|proper)\s+)?`;
/** Someone who is clearly a person, not the assistant. */
const HUMAN = String.raw`(?:human(?:\s+being|\s+agent)?|person|agent|representative|operator|someone\s+real|somebody\s+real|customer\s+(?:service|support)(?:\s+(?:agent|representative|rep))?|support\s+agent|staff\s+member)`;
/** After "talk to" or "transfer me to", a manager or a bare "someone" also means a person. */
const ANYONE = String.raw`(?:${HUMAN}|rep|manager|supervisor|someone|somebody)`;

const PATTERNS: RegExp[] = [
  // talk / speak / chat to or with …
  new RegExp(String.raw`\b(?:talk|talking|speak|speaking|chat|chatting)\s+(?:to|with)\s+${ARTICLE}${QUALIFIER}${ANYONE}\b`, 'u'),
  // connect / transfer / put through / pass / escalate me to …
  new RegExp(String.raw`\b(?:connect|transfer|put|pass|forward|switch|escalate|hand)\s+(?:me|this|us)?\s*(?:through\s+|over\s+|back\s+)?(?:to|with)\s+${ARTICLE}${QUALIFIER}${ANYONE}\b`, 'u'),
  // get / give / want / need … a human ("have" only as "can I have": "I have an agent" is not a request)
  new RegExp(String.raw`\b(?:get|give|want|need|request|prefer|(?:can|could|may)\s+i\s+have)\s+(?:me\s+)?${ARTICLE}${QUALIFIER}${HUMAN}\b`, 'u'),
  // a bare request, as people say to phone menus: "Agent!", "Representative, please", "human please"
  new RegExp(String.raw`^(?:(?:i\s+want|give\s+me|get\s+me)\s+)?${ARTICLE}${QUALIFIER}(?:human|person|agent|representative|operator)(?:\s+(?:please|now))*$`, 'u'),
];

/** Words before the match that turn it into a refusal or a question about the assistant. */
const NEGATED = /\b(?:don't|dont|do not|doesn't|does not|didn't|did not|never|no need to|not)\s+(?:\S+\s+){0,2}$/u;
const ABOUT_THE_ASSISTANT = /\b(?:am i|are we|was i|were we|is this|are you|is it)\s+(?:\S+\s+){0,1}$/u;

/** The phrase that asked for a person, or null. */
export function matchExplicitRequest(text: string): string | null {
  const clean = normalise(text);
  for (const pattern of PATTERNS) {
    const match = pattern.exec(clean);
    if (!match) continue;
    const before = clean.slice(0, match.index);
    if (NEGATED.test(before) || ABOUT_THE_ASSISTANT.test(before)) continue;
    return match[0];
  }
  return null;
}
