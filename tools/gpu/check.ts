// `npm run check:gpu`: what SwiftShader cannot answer, on a machine with a real GPU. It asks
// Chromium for a WebGPU adapter with the real-GPU flags (e2e/support/browser.ts REAL_GPU_FLAGS);
// when the adapter is a real one it runs the voice loop's WebGPU browser test and the voice bench
// on WebGPU (BENCH_BACKEND=webgpu), and says which adapter gave the numbers. Without one it says
// so and exits 0: `npm test` covers WebGPU on SwiftShader already.
//   npm run check:gpu            probe, then the browser test and the bench
//   npm run check:gpu -- --probe the adapter only
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { startServer } from '../../e2e/support/server.ts';

interface AdapterReport {
  available: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  features?: string[];
  maxBufferSize?: number;
  error?: string;
}

const { values: args } = parseArgs({ options: { probe: { type: 'boolean', default: false } } });
process.env.HEARTH_REAL_GPU = '1';

/** The adapter the app would get, asked from the built app's own page (a secure, isolated context). */
async function probeAdapter(): Promise<AdapterReport> {
  const server = await startServer();
  const launched = await launchBrowser(server.url, { webgpu: true, denyMicrophone: true });
  try {
    await launched.page.goto('/');
    return await launched.page.evaluate(async (): Promise<AdapterReport> => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(options?: object): Promise<GPUAdapterLike | null> } }).gpu;
      if (!gpu) return { available: false, error: 'navigator.gpu is missing' };
      try {
        const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
        if (!adapter) return { available: false, error: 'requestAdapter() returned null' };
        const info = adapter.info ?? {};
        return {
          available: true,
          vendor: info.vendor,
          architecture: info.architecture,
          device: info.device,
          description: info.description,
          isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter,
          features: [...adapter.features],
          maxBufferSize: adapter.limits.maxBufferSize,
        };
      } catch (error) {
        return { available: false, error: String(error) };
      }
      interface GPUAdapterLike {
        info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
        isFallbackAdapter?: boolean;
        features: Set<string>;
        limits: { maxBufferSize: number };
      }
    });
  } finally {
    await launched.close();
    await server.stop();
  }
}

/** SwiftShader is WebGPU on the CPU: it proves correctness, never speed. */
function isRealGpu(report: AdapterReport): boolean {
  if (!report.available || report.isFallbackAdapter) return false;
  const words = [report.vendor, report.architecture, report.description].join(' ').toLowerCase();
  return !/swiftshader|llvmpipe|software|cpu/.test(words);
}

function run(label: string, command: string, commandArgs: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n== ${label}: ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

async function main(): Promise<void> {
  if (!run('build', 'npm', ['run', 'build'])) throw new Error('the build failed');
  const report = await probeAdapter();
  const name = [report.vendor, report.architecture, report.device, report.description].filter(Boolean).join(' / ');
  console.log(`WebGPU adapter: ${report.available ? name || '(no adapter info)' : `none (${report.error})`}`);
  if (report.available) console.log(`  fallback adapter: ${report.isFallbackAdapter ?? 'unknown'}; shader-f16: ${report.features?.includes('shader-f16') ?? false}; maxBufferSize: ${report.maxBufferSize}`);
  if (!isRealGpu(report)) {
    console.log('\nNo real GPU adapter on this machine: nothing to check here. WebGPU correctness runs on SwiftShader in npm test; speed needs a real GPU.');
    return;
  }
  if (args.probe) return;
  const testOk = run('voice loop on WebGPU', 'npx', ['playwright', 'test', 'e2e/voice-loop.spec.ts', '-g', 'WebGPU']);
  const benchOk = run('voice bench on WebGPU', 'npm', ['run', 'bench'], { BENCH_BACKEND: 'webgpu' });
  console.log(`\nOn ${name}: browser test ${testOk ? 'passed' : 'FAILED'}, bench ${benchOk ? 'done (bench/results/)' : 'FAILED'}.`);
  if (!testOk || !benchOk) process.exitCode = 1;
}

await main();
