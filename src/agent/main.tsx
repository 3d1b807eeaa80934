// First: before any import below parses with zod.
import '../protocol/zod-jitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AgentApp } from './AgentApp.tsx';
import '../ui/tokens.css';
import './agent.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AgentApp />
  </StrictMode>,
);
