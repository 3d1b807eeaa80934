// `npm run models:download -- <set> [--dir <folder>]`: fetches a model set from the Hugging Face
// hub into a folder the relay can serve with MODELS=<folder>, for machines that cannot reach the
// hub themselves (air-gapped installs). Run it on a machine with internet, then copy the folder.
import { pathToFileURL } from 'node:url';
import { USAGE, parseCli } from './args.ts';
import { hubFromEnv } from './hub.ts';
import { downloadModelSet } from './mirror.ts';

export async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseCli(argv);
  } catch (error) {
    process.stderr.write(`models:download: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await downloadModelSet({ ...options, ...hubFromEnv() });
    return 0;
  } catch (error) {
    process.stderr.write(`\nmodels:download: ${(error as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
