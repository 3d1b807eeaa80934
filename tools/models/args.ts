// Command-line options of `npm run models:download`. Kept apart from the download so the parsing
// (and its error messages) can be tested without a network.
import { parseArgs } from 'node:util';
import { parseDtype, parseEncoderDecoderDtype } from '../../src/engines/transformers/dtypes.ts';
import type { ModelStage } from '../../src/models/capabilities.ts';
import type { ModelSet } from '../../src/protocol/model-set.ts';
import { KNOWN_SETS, findSet } from './sets.ts';

export const USAGE = `Usage: npm run models:download -- <set> [--dir <folder>] [--voices af_heart,bf_emma] [--dtypes llm=fp16,asr=q8/q8] [--no-webllm]

Fetches every file the app loads for a model set (CPU and GPU defaults) from the Hugging Face hub
into <folder> (default ./models), laid out for MODELS=<folder> npm start.

  <set>          ${Object.keys(KNOWN_SETS).join(', ')}
  --dir          the mirror folder (default ./models); a second run resumes and skips what is there
  --voices       Kokoro voices besides the set's own (comma-separated)
  --dtypes       extra dtypes users may pick in settings, per stage (asr takes encoder/decoder)
  --no-webllm    skip the WebLLM build of the LLM (only CPU or transformers.js will work offline)

Environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN (for gated repositories).`;

export interface CliOptions {
  set: ModelSet;
  dir: string;
  voices: string[];
  extraDtypes: Partial<Record<ModelStage, string[]>>;
  webllm: boolean;
}

const STAGES: readonly ModelStage[] = ['asr', 'llm', 'tts'];

function parseDtypes(value: string | undefined): Partial<Record<ModelStage, string[]>> {
  const result: Partial<Record<ModelStage, string[]>> = {};
  for (const item of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [stage, dtype] = item.split('=');
    if (!stage || !dtype || !STAGES.includes(stage as ModelStage)) {
      throw new Error(`--dtypes: "${item}" is not <stage>=<dtype> with stage one of ${STAGES.join(', ')}`);
    }
    // Throws with the list of known dtypes on a typo.
    if (stage === 'asr') parseEncoderDecoderDtype(dtype);
    else parseDtype(dtype);
    (result[stage as ModelStage] ??= []).push(dtype);
  }
  return result;
}

/** null: `--help` was asked for. Throws on anything it cannot use. */
export function parseCli(argv: string[]): CliOptions | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      voices: { type: 'string' },
      dtypes: { type: 'string' },
      'no-webllm': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  if (positionals.length !== 1 || !positionals[0]) throw new Error(`expected one model set name, got ${positionals.length}`);
  const voices = (values.voices ?? '').split(',').map((voice) => voice.trim()).filter(Boolean);
  // kokoro-voices.ts accepts only ids like af_heart; catching a typo here saves a download.
  for (const voice of voices) if (!/^[a-z]{2}_[a-z]+$/.test(voice)) throw new Error(`--voices: "${voice}" is not a voice id like af_heart`);
  return {
    set: findSet(positionals[0]),
    dir: values.dir ?? './models',
    voices,
    extraDtypes: parseDtypes(values.dtypes),
    webllm: values['no-webllm'] !== true,
  };
}
