import { createContext, useContext } from 'react';
import type { SessionState, SignInArgs, SignOutArgs } from '../../shared/domain/officer';
import type { Result } from '../../shared/errors';

/** The signed-in officer and the session's actions, for the status bar and the dialogs (issue 6). */
export interface SessionApi {
  readonly state: SessionState;
  signIn(args: SignInArgs): Promise<Result<SessionState>>;
  signOut(args: SignOutArgs): Promise<Result<SessionState>>;
  /** opens the sign-out dialog (handover note) */
  requestSignOut(): void;
}

export const SessionContext = createContext<SessionApi | null>(null);

/** null outside a SessionGate (pop-out windows show no session controls). */
export const useSession = (): SessionApi | null => useContext(SessionContext);
