// What the caller hears (in the assistant's voice) and reads as the handoff moves along.

export const announce = {
  connecting: 'Connecting you to a person…',
  joined: (name: string) => `${name} has joined. You're talking with a person now.`,
  returned: "You're back with the assistant.",
  nobodyFree: "Sorry, no one is free to take your call right now. You're back with the assistant.",
  ended: (name: string) => `${name} has ended the conversation. You're back with the assistant.`,
  unreachable: "Sorry, I couldn't reach a person right now. I'm still here to help.",
  lost: "The connection to a person was lost. You're back with the assistant.",
} as const;

/** The announcements with no name in them: the same words every time, so their audio is made ahead (src/voice/phrase-cache/). */
export const fixedAnnouncements: readonly string[] = Object.values<string | ((name: string) => string)>(announce).filter(
  (text): text is string => typeof text === 'string',
);
