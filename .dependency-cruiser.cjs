// Dependency rules, checked by `npm run deps` (and by `npm test`): dependencies point down.
//
// The rooms of src/, lowest first. A room may import from the rooms below it, never from one above
// it, so there can be no cycle between rooms:
//
//   protocol       the relay's shared contracts (zod schemas and types); imports nothing from the app
//   lib            generic helpers (async queue)
//   ui             design tokens and shared styles
//   net            HTTP call + SSE stream client for the relay API, used by the device and the dashboard
//   engines        the model stages that run models (workers, runtimes, the model files' URLs and caches)
//   models         which models to run and keeping them on the device (catalogue, capabilities, model store)
//   metrics        turn timing and sending it to the relay
//   voice          the voice loop (turns, player, microphone)
//   conversations  the conversation service and its storage
//   handoff        handing a conversation to a person
//   stores         the UI's state (settings, session, timing, models)
//   app            the device app: wires everything together
//
// `agent` (the agent dashboard, a separate app) stands beside them: it may use only protocol, net,
// ui and lib. The relay (relay/) runs in Node: from src/ it may use the shared contracts
// (src/protocol) and the model catalogue (src/models/catalogue.ts, plain data) only. The Node
// tools (tools/) may use protocol, lib, engines and models (model file rules, fixtures), never
// the app's browser rooms. Nothing in src/ imports the relay.
const ROOMS = ['protocol', 'lib', 'ui', 'net', 'engines', 'models', 'metrics', 'voice', 'conversations', 'handoff', 'stores', 'app'];

const room = (name) => `^src/${name}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

const layerRules = ROOMS.map((name, index) => {
  const above = [...ROOMS.slice(index + 1), 'agent'];
  return {
    name: `${name}-depends-down`,
    comment: `src/${name} may import only the rooms below it (${ROOMS.slice(0, index).join(', ') || 'none'}).`,
    severity: 'error',
    from: { path: room(name) },
    to: { path: anyOf(above) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module imports itself through others (type-only imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'agent-uses-shared-rooms-only',
      comment: 'The agent dashboard is its own app: it shares only protocol, net, ui and lib with the device.',
      severity: 'error',
      from: { path: room('agent') },
      to: { path: '^src/', pathNot: ['^src/agent/', anyOf(['protocol', 'net', 'ui', 'lib'])] },
    },
    {
      name: 'relay-uses-contracts-only',
      comment: 'The relay runs in Node: from src/ it uses the shared contracts and the model catalogue only.',
      severity: 'error',
      from: { path: '^relay/' },
      to: { path: '^src/', pathNot: ['^src/protocol/', '^src/models/catalogue\\.ts$'] },
    },
    {
      name: 'tools-stay-out-of-browser-rooms',
      comment: 'Node tools may reuse the model file rules (engines, models), protocol and lib, not the app.',
      severity: 'error',
      from: { path: '^tools/' },
      to: { path: '^src/', pathNot: anyOf(['protocol', 'lib', 'engines', 'models']) },
    },
    {
      name: 'src-does-not-import-the-relay',
      comment: 'The browser code never imports the relay (the relay imports the shared contracts instead).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^relay/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test-results|scratch)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
