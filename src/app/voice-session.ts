import { isDeviceLostError } from '../engines/stage-error.ts';
import { attachHandoff } from './attach-handoff.ts';
import type { Backend, StageName, VadParams } from '../engines/types.ts';
import type { ModelSource } from '../protocol/model-set.ts';
import { chooseStagePlans, detectCapabilities, type DeviceCapabilities, type PlanOverrides, type StagePlans } from '../models/capabilities.ts';
import { weakDeviceReason } from '../models/weak-device.ts';
import type { ModelSet } from '../protocol/model-set.ts';
import { conversations } from '../conversations/index.ts';
import { useSession } from '../stores/session-store.ts';
import { useSettings, voiceSettingsOf } from '../stores/settings-store.ts';
import { combineSinks, createAudioPlayer, type AudioPlayer } from '../voice/player/index.ts';
import { TurnManager } from '../voice/turn-manager.ts';
import type { VoiceEngines } from '../voice/turn.ts';
import { chosenModelSet, fetchClientConfig, readUrlOverrides } from './client-config.ts';
import { StageSet } from './stage-set.ts';
import { BrowserSpeech } from './browser-speech.ts';
import { applyTurnEvent } from './turn-event-binding.ts';
import { STAGE_LABELS } from './stage-labels.ts';
import { exposeDiagnostics } from './diagnostics.ts';
import { ensureModels, repairAfterLoadFailure } from './ensure-models.ts';
import { MicrophoneLink } from './microphone-link.ts';
import { PhraseAudio } from './phrase-audio.ts';
import { stageRequests } from './model-requests.ts';
import type { VoiceController } from './voice-controller.ts';

interface Runtime {
  source: ModelSource;
  modelSets: ModelSet[];
  modelSet: ModelSet;
  caps: DeviceCapabilities;
  plans: StagePlans;
}

/**
 * The page's voice session: owns the stage workers, the microphone, the player and the turn
 * manager, and connects them to the stores. Nothing here runs a model; it only wires.
 */
export function createVoiceSession(): VoiceController {
  const stages = new StageSet();
  const phraseAudio = new PhraseAudio(stages);
  const browserSpeech = new BrowserSpeech();
  const session = useSession.getState;
  let runtime: Runtime | undefined;
  let manager: TurnManager | undefined;
  let player: AudioPlayer | undefined;
  let mic: MicrophoneLink | undefined;
  let starting: Promise<void> | undefined;
  let recovering: Promise<void> | undefined;
  /** Typed before the models were ready: sent, in order, as soon as they are. */
  const typedWhileLoading: string[] = [];

  async function prepareRuntime(): Promise<Runtime> {
    if (runtime) return runtime;
    const [config, caps] = await Promise.all([fetchClientConfig(), detectCapabilities()]);
    const urlOverrides = readUrlOverrides();
    const modelSet = { ...chosenModelSet(config, useSettings.getState().modelSetId), ...urlOverrides.modelSet };
    // The browser's speech engines are looked for where the models may be too much for the device.
    await browserSpeech.prepare(weakDeviceReason(caps) ?? undefined);
    const plans = chooseStagePlans(caps, modelSet, planOverrides(config.modelSource, urlOverrides.backend));
    for (const note of plans.notes) session().notify({ id: `plan-${note}`, level: 'info', text: note });
    runtime = { source: config.modelSource, modelSets: config.modelSets ?? [config.modelSet], modelSet, caps, plans };
    return runtime;
  }

  /** The model files the plan runs as it stands (after any LLM fallback), for the model store. */
  function requestsOf(rt: Runtime) {
    return stageRequests(stages.effectivePlans(rt.plans), useSettings.getState().voice, rt.modelSet.turn);
  }

  /** The user's voice-detection settings, unless the URL asks for a benchmark baseline. */
  function vadParams(): VadParams {
    return { ...useSettings.getState().vad, ...readUrlOverrides().pipeline.vad };
  }

  function planOverrides(source: ModelSource, urlBackend: Backend | undefined): PlanOverrides {
    const choice = urlBackend ?? useSettings.getState().backend;
    const byBrowser = browserSpeech.inUse();
    return {
      ...(byBrowser.length > 0 ? { browserSpeech: byBrowser } : {}),
      ...(choice === 'auto' ? {} : { backend: choice }),
      // A mirror serves ONNX models; WebLLM's compiled MLC builds come from the hub only.
      ...(source.kind === 'mirror' ? { llmEngine: 'transformers' as const } : {}),
    };
  }

  async function loadStages(rt: Runtime): Promise<boolean> {
    const sources = { source: rt.source, voice: useSettings.getState().voice, vadParams: vadParams(), turnModel: rt.modelSet.turn };
    let failed = await stages.loadMissing(rt.plans, sources);
    const damaged = requestsOf(rt).filter((request) => failed.some((stage) => stage === request.stage));
    if (await repairAfterLoadFailure(rt.source, damaged)) failed = await stages.loadMissing(rt.plans, sources);
    if (failed.length === 0) return true;
    if (failed.length === 1 && failed[0] === 'llm' && stages.llmFilesPending()) {
      // The LLM's fallback waits for its files: its notice and the download offer say why, and
      // approving the download resumes the chain.
      session().setState('error');
      return false;
    }
    session().notify({
      id: 'load-failed',
      level: 'error',
      action: 'retry-load',
      text: `Could not load ${failed.map((s) => STAGE_LABELS[s].toLowerCase()).join(', ')}. Check the connection and free storage, then retry.`,
    });
    session().setState('error');
    return false;
  }

  /** The models and backends really running (after any fallback), as each turn records them. */
  function runningEngines(rt: Runtime): Pick<VoiceEngines, 'asr' | 'speaker' | 'models' | 'backends'> {
    const plans = stages.effectivePlans(rt.plans);
    return browserSpeech.engines({
      asr: stages.asr,
      models: { asr: plans.asr.model, llm: plans.llm.model, tts: plans.tts.model },
      backends: { asr: plans.asr.backend, llm: plans.llm.backend, tts: plans.tts.backend },
    });
  }

  function voiceSettings() {
    return { ...voiceSettingsOf(useSettings.getState()), ...browserSpeech.voiceSettings() };
  }

  function buildManager(rt: Runtime, audio: AudioPlayer): TurnManager {
    const turns = new TurnManager({
      engines: { llm: stages.llm, tts: phraseAudio.tts, ...runningEngines(rt) },
      // The browser's voice plays by itself: a barge-in stops and holds it with the player.
      player: browserSpeech.speaker ? combineSinks(audio, browserSpeech.speaker) : audio,
      settings: { ...voiceSettings(), ...readUrlOverrides().pipeline.voice },
      // The conversation service loads every switch, new conversation and deletion into it.
      history: conversations.connect({ loadHistory: (messages) => turns.loadHistory(messages) }),
    });
    turns.subscribe(applyTurnEvent);
    turns.subscribe((event) => {
      if (event.type === 'error' && isDeviceLostError(event.cause) && event.stage !== 'player') void recoverOnWasm(event.stage);
    });
    // After applyTurnEvent, so a handoff resumed after a reload shows its conversation.
    attachHandoff(turns);
    return turns;
  }

  /**
   * The GPU went away mid-turn: reload the GPU stages on the CPU; the conversation stays as it
   * is. One recovery at a time (two stages can lose the device in one turn), and through the
   * model store: the CPU builds may need files the GPU ones did not (asked for, not fetched
   * silently, and a clear message offline).
   */
  function recoverOnWasm(stage: StageName): Promise<void> {
    recovering ??= recover(stage).finally(() => (recovering = undefined));
    return recovering;
  }

  async function recover(stage: StageName): Promise<void> {
    if (!runtime || !manager) return;
    session().notify({ id: 'device-lost', level: 'warning', text: 'The GPU stopped responding. Continuing on the CPU (slower); your conversation is kept.' });
    runtime = { ...runtime, plans: chooseStagePlans(runtime.caps, runtime.modelSet, { ...planOverrides(runtime.source, undefined), backend: 'wasm' }) };
    for (const s of ['asr', 'llm', 'tts'] as const) if (stages.info(s)?.backend === 'webgpu' || s === stage) stages.forget(s);
    const files = await ensureModels(runtime.source, requestsOf(runtime), useSettings.getState().modelDownloadsApproved);
    if (files !== 'ready') return;
    if (await loadStages(runtime)) {
      manager.setEngines(runningEngines(runtime));
      session().dismiss('error-' + stage);
    }
  }

  /** The VAD worker silences the reply itself the moment the user starts talking over it. */
  async function connectBargeIn(audio: AudioPlayer): Promise<void> {
    const channel = new MessageChannel();
    audio.acceptBargeIn(channel.port1);
    await stages.vad.connectPlayback(channel.port2);
    await stages.vad.setBargeIn(!useSettings.getState().halfDuplex);
  }

  async function start(): Promise<void> {
    session().dismiss('load-failed');
    session().setState('loading');
    let rt: Runtime;
    try {
      rt = await prepareRuntime();
    } catch (error) {
      session().notify({ id: 'load-failed', level: 'error', action: 'retry-load', text: error instanceof Error ? error.message : String(error) });
      session().setState('error');
      return;
    }
    const models = await ensureModels(rt.source, requestsOf(rt), useSettings.getState().modelDownloadsApproved);
    if (models !== 'ready') return;
    if (!(await loadStages(rt))) return;
    if (!player || !manager) {
      player = await createAudioPlayer();
      manager = buildManager(rt, player);
      mic = new MicrophoneLink(stages.vad, manager, browserSpeech.activeRecognizer());
      exposeDiagnostics(player, manager, phraseAudio.tts);
      phraseAudio.attach(manager);
      await connectBargeIn(player);
      for (const text of typedWhileLoading.splice(0)) manager.submitText(text);
      session().dismiss('typed-while-loading');
    }
    session().setState(manager.state);
    if (!session().muted) await mic?.ensureOpen();
  }

  return {
    start() {
      // Idempotent while running (React StrictMode mounts twice); a failed start can be retried.
      starting ??= start().finally(() => (starting = undefined));
      return starting;
    },
    submitText(text) {
      if (manager) {
        manager.submitText(text);
        return;
      }
      typedWhileLoading.push(text);
      session().notify({ id: 'typed-while-loading', level: 'info', text: 'Your message will be answered as soon as the models have loaded.' });
    },
    setMuted(muted) {
      session().set({ muted });
      if (!manager) return;
      // Muting releases the microphone itself (the browser's recording indicator goes off);
      // unmuting opens it again.
      if (muted) void mic?.close();
      else void mic?.ensureOpen();
    },
    pushToTalk(held) {
      mic?.pushToTalk(held);
    },
    interrupt() {
      void manager?.interrupt();
    },
    applySettings() {
      const settings = useSettings.getState();
      manager?.updateSettings(voiceSettings());
      browserSpeech.speaker?.setVoice(settings.browserVoice);
      void stages.vad.setParams(vadParams()).catch(() => undefined);
      void stages.vad.setBargeIn(!settings.halfDuplex).catch(() => undefined);
      mic?.applyInputMode();
    },
    approveModelDownloads() {
      useSettings.getState().set({ modelDownloadsApproved: true });
      void this.start();
    },
    useBrowserSpeech() {
      // The plan changes: only the language model (and the end-of-turn model) is left to download.
      browserSpeech.choose();
      useSettings.getState().set({ modelDownloadsApproved: true });
      runtime = undefined;
      void this.start();
    },
    modelSource() {
      const rt = runtime;
      if (!rt) return undefined;
      const voice = useSettings.getState().voice;
      return {
        source: rt.source,
        current: rt.modelSet,
        requests: requestsOf(rt),
        browserSpeech: browserSpeech.inUse(),
        sets: rt.modelSets,
        // The same device and choices, another set: what switching would load.
        requestsFor: (set) => stageRequests(chooseStagePlans(rt.caps, set, planOverrides(rt.source, readUrlOverrides().backend)), voice, set.turn),
      };
    },
    async synthesizePreview(text, voice) {
      // Asked for while the models load: it waits for them.
      if (!stages.info('tts')) await starting?.catch(() => undefined);
      if (!stages.info('tts')) throw new Error('the voice model is not loaded; see the notice about it, then try again.');
      return stages.tts.synthesize(text, { voice });
    },
    levels() {
      return { input: mic?.level() ?? 0, output: player?.level() ?? 0 };
    },
    resetTurn() {
      // Abandons the turn in progress; the open conversation stays (switching, starting and
      // deleting conversations go through the conversation service, which does this itself).
      manager?.loadHistory(conversations.current().messages);
    },
  };
}

