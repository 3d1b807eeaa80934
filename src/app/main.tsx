// First: before any import below parses with zod.
import '../protocol/zod-jitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createVoiceSession } from './voice-session.ts';
import { useConversations } from '../conversations/index.ts';
import { startMetricsReporting } from './start-metrics.ts';
import './styles.css';

// One voice session per page: it owns the workers, the microphone and the player.
const controller = createVoiceSession();
void useConversations.getState().load();
startMetricsReporting();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
