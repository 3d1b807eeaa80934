import { useEffect, useState } from 'react';
import { ConversationList } from './components/ConversationList.tsx';
import { DetailsPanel } from './components/DetailsPanel.tsx';
import { Drawer } from './components/Drawer.tsx';
import { Icon, type IconName } from './components/Icon.tsx';
import { ModelDownloadCard } from './components/ModelDownloadCard.tsx';
import { ModelManager } from './components/ModelManager.tsx';
import { SettingsPanel } from './components/SettingsPanel.tsx';
import { Toasts } from './components/Toasts.tsx';
import { TranscriptView } from './components/TranscriptView.tsx';
import { VoiceDock } from './components/VoiceDock.tsx';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { useThemeSetting } from './theme.ts';
import type { VoiceController } from './voice-controller.ts';

type Panel = 'conversations' | 'models' | 'settings' | 'details';

const PANELS: Record<Panel, { title: string; icon: IconName; side: 'left' | 'right' }> = {
  conversations: { title: 'Conversations', icon: 'conversations', side: 'left' },
  models: { title: 'Models', icon: 'models', side: 'right' },
  settings: { title: 'Settings', icon: 'settings', side: 'right' },
  details: { title: 'Details', icon: 'details', side: 'right' },
};

function PanelButton({ panel, onOpen }: { panel: Panel; onOpen: (panel: Panel) => void }) {
  const { title, icon } = PANELS[panel];
  return (
    <button type="button" className="header-button" aria-haspopup="dialog" onClick={() => onOpen(panel)}>
      <Icon name={icon} />
      <span className="header-button-label">{title}</span>
    </button>
  );
}

/**
 * The conversation screen, with its panels as drawers (sheets on phones) over it: opening one
 * never reflows the conversation, and the page behind an open panel is inert.
 */
export function App({ controller }: { controller: VoiceController }) {
  const [panel, setPanel] = useState<Panel | null>(null);
  useThemeSetting();

  useEffect(() => {
    void controller.start();
  }, [controller]);

  const close = () => setPanel(null);
  const open = panel ? PANELS[panel] : undefined;

  return (
    <div className="app" data-panel={panel ?? undefined} data-panel-side={open?.side}>
      <div className="app-shell" inert={panel !== null}>
        <header className="app-header">
          <PanelButton panel="conversations" onOpen={setPanel} />
          <h1>Hearth</h1>
          <nav className="header-actions" aria-label="Panels">
            <PanelButton panel="models" onOpen={setPanel} />
            <PanelButton panel="settings" onOpen={setPanel} />
            <PanelButton panel="details" onOpen={setPanel} />
          </nav>
        </header>
        <main className="conversation" data-testid="conversation-screen">
          <TranscriptView>
            <ModelDownloadCard onApprove={() => controller.approveModelDownloads()} onUseBrowserSpeech={() => controller.useBrowserSpeech()} />
          </TranscriptView>
          <VoiceDock controller={controller} />
        </main>
      </div>
      {panel && open && (
        <Drawer title={open.title} side={open.side} onClose={close}>
          {panel === 'conversations' && <ConversationList onOpened={close} />}
          {panel === 'models' && <ModelManager controller={controller} />}
          {panel === 'settings' && <SettingsPanel onApply={() => controller.applySettings()} synthesizePreview={(text, voice) => controller.synthesizePreview(text, voice)} />}
          {panel === 'details' && <DetailsPanel />}
        </Drawer>
      )}
      <Toasts onRetry={() => void controller.start()}>
        <UpdatePrompt />
      </Toasts>
    </div>
  );
}
