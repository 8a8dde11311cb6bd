import { useTranslation } from 'react-i18next';
import { UNIT_TRANSITIONS } from '../../shared/domain/statusMachines';
import { isUnitOverdue } from '../../shared/domain/statusMachines';
import { UnitStatus } from '../../shared/domain/unit';
import { useDuration } from '../command/useNow';
import { useAppDispatch } from '../state/hooks';
import { runAction } from '../state/responseActions';
import type { Unit } from '../state/units';
import { commandOpened } from '../state/workspace';

/** The statuses the machine allows next, as a menu; `dispatched` is reached only by dispatching. */
export function UnitStatusSelect({ unit }: { unit: Unit }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const next = UNIT_TRANSITIONS[unit.status];
  return (
    <select
      className="wf-select wf-select--small"
      aria-label={t('units.setStatusOf', { unit: unit.id })}
      value=""
      disabled={next.length === 0}
      onChange={(e) => {
        const parsed = UnitStatus.safeParse(e.target.value);
        if (parsed.success)
          void dispatch(runAction({ name: 'setUnitStatus', args: { unitId: unit.id, status: parsed.data } }));
      }}
    >
      <option value="" disabled>
        {t('units.setStatus')}
      </option>
      {next.map((s) => (
        <option key={s} value={s}>
          {t(`response.unitStatus.${s}`)}
        </option>
      ))}
    </select>
  );
}

export function ReleaseButton({ unit }: { unit: Unit }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  if (!unit.incidentId) return null;
  const incidentId = unit.incidentId;
  return (
    <button
      type="button"
      className="wf-button wf-button--small"
      aria-label={t('units.releaseUnit', { unit: unit.id })}
      onClick={() => void dispatch(runAction({ name: 'releaseUnit', args: { unitId: unit.id, incidentId } }))}
    >
      {t('units.release')}
    </button>
  );
}

/** Dispatch goes through the command bar, pre-filled: the officer names the incident or takes the open one. */
export function DispatchButton({ unit }: { unit: Unit }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const committed = unit.incidentId !== null;
  return (
    <button
      type="button"
      className="wf-button wf-button--small"
      aria-label={t(committed ? 'units.reassignUnit' : 'units.dispatchUnit', { unit: unit.id })}
      disabled={unit.status === 'out-of-service'}
      onClick={() => dispatch(commandOpened(`${committed ? 'reassign' : 'dispatch'} ${unit.id} `))}
    >
      {committed ? t('units.reassign') : t('units.dispatch')}
    </button>
  );
}

/** Time in status, marked when the unit's type limit has passed. */
export function TimeInStatus({ unit, nowMs }: { unit: Unit; nowMs: number }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const overdue = isUnitOverdue(unit, nowMs);
  return (
    <span className={overdue ? 'wf-overdue' : ''} title={overdue ? t('units.overdue') : undefined}>
      {duration(unit.statusSince, nowMs)}
      {overdue && <span className="wf-visually-hidden"> {t('units.overdue')}</span>}
    </span>
  );
}
