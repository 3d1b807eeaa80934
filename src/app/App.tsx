import { useEffect, useState } from 'react';
import { HandoffBanner } from '../handoff/HandoffBanner.tsx';
import { Controls } from './components/Controls.tsx';
import { ConversationList } from './components/ConversationList.tsx';
import { LatencyPanel } from './components/LatencyPanel.tsx';
import { ModelDownloadCard } from './components/ModelDownloadCard.tsx';
import { ModelManager } from './components/ModelManager.tsx';
import { Notices } from './components/Notices.tsx';
import { SettingsPanel } from './components/SettingsPanel.tsx';
import { StatusIndicator } from './components/StatusIndicator.tsx';
import { TranscriptView } from './components/TranscriptView.tsx';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import type { VoiceController } from './voice-controller.ts';

export function App({ controller }: { controller: VoiceController }) {
  const [panel, setPanel] = useState<'none' | 'conversations' | 'settings' | 'models'>('none');

  useEffect(() => {
    void controller.start();
  }, [controller]);

  const toggle = (which: 'conversations' | 'settings' | 'models') => setPanel((open) => (open === which ? 'none' : which));

  return (
    <div className="app">
      <header className="app-header">
        <h1>Hearth</h1>
        <StatusIndicator />
        <div className="header-actions">
          <button type="button" aria-expanded={panel === 'conversations'} onClick={() => toggle('conversations')}>
            Conversations
          </button>
          <button type="button" aria-expanded={panel === 'models'} onClick={() => toggle('models')}>
            Models
          </button>
          <button type="button" aria-expanded={panel === 'settings'} onClick={() => toggle('settings')}>
            Settings
          </button>
        </div>
      </header>
      <Notices onRetry={() => void controller.start()} />
      <HandoffBanner />
      <div className="layout">
        {panel === 'conversations' && <ConversationList />}
        <main className="conversation">
          <ModelDownloadCard onApprove={() => controller.approveModelDownloads()} />
          <TranscriptView />
          <Controls controller={controller} />
        </main>
        {panel === 'models' && <ModelManager controller={controller} />}
        {panel === 'settings' && <SettingsPanel onApply={() => controller.applySettings()} />}
        <LatencyPanel />
      </div>
      <UpdatePrompt />
    </div>
  );
}
