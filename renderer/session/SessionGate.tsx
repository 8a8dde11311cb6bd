import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ConsoleApi } from '../../shared/api';
import type { SessionState, SignInArgs, SignOutArgs } from '../../shared/domain/officer';
import type { AppError, Result } from '../../shared/errors';
import { useAppDispatch } from '../state/hooks';
import type { EarlySnapshot } from '../state/earlySnapshot';
import { startSync } from '../state/sync';
import { startMark } from '../startMarks';
import { SessionContext, type SessionApi } from './context';
import { HandoverNotice } from './HandoverNotice';
import { SignInScreen } from './SignInScreen';
import { SignOutDialog } from './SignOutDialog';

/** How often the gate asks the host who is signed in (an offline sign-in's re-check may change it). */
const POLL_MS = 3_000;

/**
 * The console's front door (issue 6): the sign-in screen until an officer is signed in,
 * then the console, with the handover note left at this console shown first. The
 * console's data starts flowing at sign-in and stops at sign-out.
 */
export function SessionGate({
  api,
  firstSession,
  early,
  children,
}: {
  api: ConsoleApi | null;
  /**
   * The first getSession, asked by main.tsx while the bundle still evaluates and React renders
   * (issue 8: asked from the first effect it came 0.1–0.7 s later on a loaded machine, and the
   * snapshot waits for it).
   */
  firstSession?: Promise<Result<SessionState>>;
  /** the first snapshot, asked for with it (renderer/state/earlySnapshot.ts) */
  early?: EarlySnapshot;
  children: ReactNode;
}) {
  const dispatch = useAppDispatch();
  const [state, setState] = useState<SessionState | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const [readHandover, setReadHandover] = useState<string | null>(null);

  const refresh = useCallback(
    async (asked?: Promise<Result<SessionState>>) => {
      if (!api) {
        setLoadError({ code: 'INTERNAL', message: 'This window is not connected to the console host.' });
        return;
      }
      startMark('wf:session-asked');
      const r = await (asked ?? api.getSession());
      startMark('wf:session-answered');
      if (r.ok) {
        setState(r.value);
        setLoadError(null);
      } else setLoadError(r.error);
    },
    [api],
  );

  useEffect(() => {
    const first = setTimeout(() => void refresh(firstSession), 0);
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [refresh, firstSession]);

  const officerName = state?.officer?.name ?? null;
  useEffect(() => {
    if (!officerName) return;
    return startSync(api, dispatch, early);
  }, [api, dispatch, officerName, early]);

  const session = useMemo((): SessionApi | null => {
    if (!state || !api) return null;
    const apply = (r: Result<SessionState>): Result<SessionState> => {
      if (r.ok) setState(r.value);
      return r;
    };
    return {
      state,
      signIn: async (args: SignInArgs) => apply(await api.signIn(args)),
      signOut: async (args: SignOutArgs) => {
        const r = apply(await api.signOut(args));
        if (r.ok) setSigningOut(false);
        return r;
      },
      requestSignOut: () => setSigningOut(true),
    };
  }, [api, state]);

  if (!session) return <SignInScreen session={null} error={loadError} />;
  if (!session.state.officer) return <SignInScreen session={session} error={loadError} />;

  const handover = session.state.handover;
  const handoverKey = handover ? `${session.state.officer.name}|${handover.at}` : null;
  return (
    <SessionContext.Provider value={session}>
      {children}
      {handover && handoverKey !== readHandover && (
        <HandoverNotice note={handover} onRead={() => setReadHandover(handoverKey)} />
      )}
      {signingOut && <SignOutDialog onClose={() => setSigningOut(false)} />}
    </SessionContext.Provider>
  );
}
