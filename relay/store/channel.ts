/**
 * Channel names go into LISTEN statements, which take no parameters: only plain identifiers
 * are allowed. A `namespace` (the schema, when one database hosts several relays or test
 * runs) keeps their notifications apart, since channels are database-wide.
 */
export function channelName(channel: string, namespace = ''): string {
  const full = namespace ? `${namespace}__${channel}` : channel;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(full)) throw new Error(`Invalid channel name: ${full}`);
  return full;
}
