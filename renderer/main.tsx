import 'leaflet/dist/leaflet.css';
import './styles/app.css';
import './styles/response.css';
import './session/session.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { Provider } from 'react-redux';
import { startAlerting } from './alerting/controller';
import { createAudioPlayer } from './alerting/player';
import { soundFailed, soundPlayed } from './alerting/status';
import { consoleApi } from './api';
import { App } from './components/App';
import { createI18n, storedLanguage, storeLanguage } from './i18n';
import { PopoutApp } from './popout/PopoutApp';
import { SessionGate } from './session/SessionGate';
import { windowRole } from './popout/route';
import { createStore } from './state/store';
import { askSnapshotEarly } from './state/earlySnapshot';
import { startSync } from './state/sync';
import { startMark } from './startMarks';

startMark('wf:main');

const language = storedLanguage();
const i18n = createI18n(language);
const store = createStore({ api: consoleApi, language });
document.documentElement.lang = language;

// The language lives in the store (so views re-render); i18next, <html lang> and the
// workstation's stored preference follow it.
let shownLanguage = language;
store.subscribe(() => {
  const next = store.getState().ui.language;
  if (next === shownLanguage) return;
  shownLanguage = next;
  storeLanguage(next);
  document.documentElement.lang = next;
  void i18n.changeLanguage(next);
});

// One console, one voice: only the main window plays sounds, raises notifications and
// feeds the tray; pop-outs (#/popout/<panel>) show a panel from the same host (decision 0028).
const role = windowRole();
// Asked now, not from SessionGate's first effect: the snapshot waits for the answer (issue 8).
const firstSession = role.kind === 'console' && consoleApi ? consoleApi.getSession() : undefined;
// And the first snapshot beside it (refused if nobody is signed in; asked again after sign-in).
const early = role.kind === 'console' && consoleApi ? askSnapshotEarly(consoleApi) : undefined;
// The console window's data flows while an officer is signed in (SessionGate, issue 6);
// a pop-out follows the same host from the start.
if (role.kind !== 'console') startSync(consoleApi, store.dispatch);
if (role.kind === 'console') {
  startAlerting({ store, api: consoleApi, i18n, player: createAudioPlayer(soundPlayed, soundFailed) });
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Provider store={store}>
      <I18nextProvider i18n={i18n}>
        {role.kind === 'console' ? (
          <SessionGate api={consoleApi} firstSession={firstSession} early={early}>
            <App />
          </SessionGate>
        ) : (
          <PopoutApp role={role} />
        )}
      </I18nextProvider>
    </Provider>
  </StrictMode>,
);
