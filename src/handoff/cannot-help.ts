// Did the assistant say it cannot help? Small models say so in a few stock ways; a caller who
// hears it again and again should be offered a person.
import { normalise } from './normalise.ts';

const CANNOT_HELP: RegExp[] = [
  /\b(?:i (?:can't|cannot|can not|am not able to|am unable to)|i'?m (?:not able to|unable to)) (?:help|assist|do that|do this|answer|find|understand|access|provide|process|handle)\b/u,
  /\bi (?:don't|do not) (?:know|understand|have (?:that|this|access|any|the) ?(?:information|details|data)?)\b/u,
  /\b(?:i (?:didn't|did not) (?:catch|understand|get) (?:that|what you said|you))\b/u,
  /\b(?:that's|that is|this is) (?:beyond|outside) (?:my|what i)\b/u,
  /\bi'?m not sure (?:i can|how to|what you mean)\b/u,
  /\bi'?m (?:sorry|afraid),? (?:but )?i (?:can't|cannot)\b/u,
];

export function saysCannotHelp(reply: string): boolean {
  const clean = normalise(reply);
  return CANNOT_HELP.some((pattern) => pattern.test(clean));
}
