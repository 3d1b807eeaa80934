import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { AgentApp } from './AgentApp.tsx';
import '../ui/tokens.css';
import './agent.css';

// zod otherwise probes for eval with `new Function`, which the page's security policy forbids.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AgentApp />
  </StrictMode>,
);
