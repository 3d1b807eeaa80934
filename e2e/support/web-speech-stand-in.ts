// A Web Speech API for headless Chromium, installed with `page.addInitScript`. Why a stand-in:
// Chromium here has no speech engines at all (no voices, no on-device recognizer), so the
// browser speech fallback could not be exercised otherwise. It behaves like Chrome's API as the
// app uses it: voices load late (`voiceschanged`) and say whether they are `localService`;
// utterances fire start, boundary and end in order and `cancel()` errors the queued ones;
// `SpeechRecognition.available()` / `install()` answer for `processLocally`, and a session fires
// start, audiostart, speechstart, result, speechend, audioend and end. It depends on the real
// audio: a session listens to the track it was given and recognises only where that track
// carried speech energy (then the next scripted transcript); silence gives no result, a session
// without `processLocally` is refused, as a cloud engine must never be used.

/** What the stand-in records, read by the test as `window.__webSpeech`. */
export interface WebSpeechRecord {
  spoken: { text: string; voiceURI: string | null; localService: boolean | null }[];
  sessions: { processLocally: boolean; lang: string; continuous: boolean; track: string | null }[];
  results: string[];
  installs: { langs: string[]; processLocally: boolean }[];
}

export function installWebSpeechStandIn(options: { transcripts: string[]; deviceMemory?: number }): void {
  const record: WebSpeechRecord = { spoken: [], sessions: [], results: [], installs: [] };
  (window as unknown as { __webSpeech: WebSpeechRecord }).__webSpeech = record;
  if (options.deviceMemory !== undefined) Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => options.deviceMemory, configurable: true });
  const transcripts = [...options.transcripts];

  /** Fires `type` on `target` as the real API does: listeners and the `on<type>` property. */
  function fire(target: EventTarget, type: string, fields: Record<string, unknown> = {}): void {
    const event = new Event(type);
    for (const [key, value] of Object.entries(fields)) Object.defineProperty(event, key, { value });
    const handler = (target as unknown as Record<string, unknown>)[`on${type}`];
    target.dispatchEvent(event);
    if (typeof handler === 'function') (handler as (event: Event) => void).call(target, event);
  }

  // ---- Synthesis ----
  const voices = [
    { name: 'Stand-in English (on device)', voiceURI: 'stand-in-local-en', lang: 'en-US', localService: true, default: true },
    { name: 'Stand-in English (online)', voiceURI: 'stand-in-online-en', lang: 'en-US', localService: false, default: false },
  ];
  let voicesLoaded = false;
  class Utterance extends EventTarget {
    voice: (typeof voices)[number] | null = null;
    lang = '';
    rate = 1;
    pitch = 1;
    volume = 1;
    constructor(public text = '') {
      super();
    }
  }
  /** 30 ms per character at rate 1, as a quick speaker would. */
  const MS_PER_CHAR = 30;
  const queue: Utterance[] = [];
  let timers: ReturnType<typeof setTimeout>[] = [];
  let current: Utterance | null = null;
  const synth = Object.assign(new EventTarget(), {
    paused: false,
    get speaking() {
      return current !== null;
    },
    get pending() {
      return queue.length > 0;
    },
    getVoices: () => (voicesLoaded ? voices : []),
    speak(utterance: Utterance) {
      queue.push(utterance);
      if (!current) next();
    },
    cancel() {
      for (const timer of timers) clearTimeout(timer);
      timers = [];
      const dropped = [...(current ? [current] : []), ...queue.splice(0)];
      current = null;
      for (const utterance of dropped) fire(utterance, 'error', { error: 'interrupted', utterance, charIndex: 0 });
    },
    pause() {
      synth.paused = true;
    },
    resume() {
      synth.paused = false;
    },
  });
  function next(): void {
    const utterance = queue.shift();
    current = utterance ?? null;
    if (!utterance) return;
    const ms = MS_PER_CHAR / (utterance.rate || 1);
    timers.push(
      setTimeout(() => {
        record.spoken.push({ text: utterance.text, voiceURI: utterance.voice?.voiceURI ?? null, localService: utterance.voice?.localService ?? null });
        fire(utterance, 'start', { utterance, charIndex: 0 });
      }, 20),
    );
    for (const match of utterance.text.matchAll(/\S+/g)) {
      timers.push(setTimeout(() => fire(utterance, 'boundary', { utterance, name: 'word', charIndex: match.index }), 20 + match.index * ms));
    }
    timers.push(
      setTimeout(() => {
        current = null;
        fire(utterance, 'end', { utterance, charIndex: utterance.text.length });
        next();
      }, 20 + utterance.text.length * ms),
    );
  }
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true, writable: true });
  setTimeout(() => {
    voicesLoaded = true;
    fire(synth, 'voiceschanged');
  }, 100);

  // ---- Recognition ----
  let installed = false;
  const onDevice = (langs: string[]) => langs.every((lang) => lang.startsWith('en'));
  /** RMS above this, for at least MIN_SPEECH_MS, is speech; a phrase ends after PHRASE_END_MS below it. */
  const SPEECH_RMS = 0.01;
  const MIN_SPEECH_MS = 250;
  const PHRASE_END_MS = 700;
  class Recognition extends EventTarget {
    lang = '';
    continuous = false;
    interimResults = false;
    processLocally = false;
    private readonly results: { isFinal: boolean; length: number; 0: { transcript: string; confidence: number } }[] = [];
    private stopAudio: (() => void) | null = null;
    private loudMs = 0;
    private lastLoud = 0;
    private speaking = false;

    static async available({ langs, processLocally }: { langs: string[]; processLocally: boolean }) {
      if (!processLocally) return 'available';
      if (!onDevice(langs)) return 'unavailable';
      return installed ? 'available' : 'downloadable';
    }

    static async install({ langs, processLocally }: { langs: string[]; processLocally: boolean }) {
      record.installs.push({ langs, processLocally });
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (processLocally && onDevice(langs)) installed = true;
      return installed;
    }

    start(track?: MediaStreamTrack) {
      record.sessions.push({ processLocally: this.processLocally, lang: this.lang, continuous: this.continuous, track: track?.kind ?? null });
      setTimeout(() => {
        // Here there is no online service to fall back to: a session that is not on the device fails.
        const refused = !this.processLocally ? 'network' : !installed ? 'language-not-supported' : !track ? 'audio-capture' : null;
        if (refused) {
          fire(this, 'error', { error: refused, message: '' });
          fire(this, 'end');
          return;
        }
        fire(this, 'start');
        fire(this, 'audiostart');
        this.listen(track!);
      }, 10);
    }

    stop() {
      this.close(true);
    }

    abort() {
      this.close(false);
    }

    private listen(track: MediaStreamTrack) {
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      const STEP_MS = 50;
      const timer = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        const rms = Math.sqrt(samples.reduce((sum, v) => sum + v * v, 0) / samples.length);
        const now = performance.now();
        if (rms > SPEECH_RMS) {
          this.loudMs += STEP_MS;
          this.lastLoud = now;
          if (!this.speaking && this.loudMs >= MIN_SPEECH_MS) {
            this.speaking = true;
            fire(this, 'speechstart');
          }
        } else if (this.speaking && now - this.lastLoud > PHRASE_END_MS) {
          this.endPhrase();
        }
      }, STEP_MS);
      this.stopAudio = () => {
        clearInterval(timer);
        void context.close();
      };
    }

    /** A phrase of speech ended: its transcript becomes a final result. */
    private endPhrase() {
      this.speaking = false;
      this.loudMs = 0;
      fire(this, 'speechend');
      const transcript = transcripts.shift() ?? '';
      record.results.push(transcript);
      this.results.push({ isFinal: true, length: 1, 0: { transcript, confidence: 0.9 } });
      fire(this, 'result', { resultIndex: this.results.length - 1, results: this.results });
    }

    private close(finalise: boolean) {
      if (!this.stopAudio) return;
      this.stopAudio();
      this.stopAudio = null;
      setTimeout(() => {
        if (finalise && this.speaking) this.endPhrase();
        fire(this, 'audioend');
        fire(this, 'end');
      }, 30);
    }
  }
  Object.defineProperty(window, 'SpeechRecognition', { value: Recognition, configurable: true, writable: true });
  Object.defineProperty(window, 'webkitSpeechRecognition', { value: Recognition, configurable: true, writable: true });
}
