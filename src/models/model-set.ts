// The model-set contracts moved down to src/protocol/model-set.ts (the relay shares them). This
// re-export stays only for importers in src/app until they import from src/protocol directly.
export type { ClientConfig, ModelSet } from '../protocol/model-set.ts';
