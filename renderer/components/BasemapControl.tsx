import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEMO_BASEMAP_ID, type BasemapList, type ImportedBasemap } from '../../shared/basemap';
import type { AppError } from '../../shared/errors';
import { consoleApi } from '../api';
import { basemapBounds, createBasemapTileLayer } from '../map/tileLayer';
import type { WatchMap } from '../map/watchMap';
import '../styles/basemap.css';

/**
 * Which basemap the map shows (issue 5): the demo city's, built in, or an MBTiles file
 * the officer imported for their own city. The active one is named on the map at all
 * times; the panel switches between them and imports a file (the shell's file dialog,
 * or a typed path). Tiles come from the console host, never from the network.
 */

function BasemapError({ error }: { error: AppError }) {
  const { t } = useTranslation();
  const meaning = t(`basemap.errors.${error.code}`, { defaultValue: t(`errors.${error.code}`, { defaultValue: '' }) });
  return (
    <p className="wf-basemap__error" role="alert">
      {meaning}
      {error.message && error.message !== meaning ? ` ${error.message}` : ''}
    </p>
  );
}

export function BasemapControl({ map }: { map: WatchMap | null }) {
  const { t } = useTranslation();
  const api = consoleApi;
  const pathId = useId();
  const [list, setList] = useState<BasemapList | null>(null);
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  /** the radio the officer just picked, shown checked while the host records it */
  const [choosing, setChoosing] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [imported, setImported] = useState<ImportedBasemap | null>(null);
  /** a tile the host could not read, for the basemap it belongs to */
  const [tileError, setTileError] = useState<{ id: string; message: string } | null>(null);

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    void api.getBasemaps().then((r) => {
      if (cancelled) return;
      if (r.ok) setList(r.value);
      else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const activeId = list?.active ?? DEMO_BASEMAP_ID;
  const active = useMemo(() => list?.imported.find((b) => b.id === activeId) ?? null, [list, activeId]);

  // Put the active basemap under the map's layers (the demo city's when none was imported).
  useEffect(() => {
    if (!map || !api || !list) return;
    if (!active) {
      map.showBasemap(null);
      return;
    }
    const layer = createBasemapTileLayer(active, (args) => api.getBasemapTile(args), {
      onError: (message) => setTileError({ id: active.id, message }),
    });
    map.showBasemap({ layer, bounds: basemapBounds(active) });
  }, [map, api, list, active]);

  const choose = useCallback(
    async (id: string) => {
      if (!api) return;
      setError(null);
      setChoosing(id);
      const r = await api.setActiveBasemap({ id });
      if (r.ok) setList(r.value);
      else setError(r.error);
      setChoosing(null);
    },
    [api],
  );

  const importFile = useCallback(
    async (file: string) => {
      if (!api || !file.trim()) return;
      setBusy(true);
      setError(null);
      setImported(null);
      const r = await api.importBasemap({ path: file.trim() });
      if (r.ok) {
        setImported(r.value);
        setPath('');
        const next = await api.getBasemaps();
        if (next.ok) setList(next.value);
        else setError(next.error);
      } else {
        setError(r.error);
      }
      setBusy(false);
    },
    [api],
  );

  const chooseFile = useCallback(async () => {
    if (!api) return;
    setError(null);
    const r = await api.chooseBasemapFile();
    if (!r.ok) setError(r.error);
    else if (r.value.path) await importFile(r.value.path);
  }, [api, importFile]);

  const activeName = active ? active.name : t('basemap.demo');

  return (
    <div className="wf-basemap" onKeyDown={(e) => e.key === 'Escape' && open && setOpen(false)}>
      {open && (
        <section className="wf-basemap__panel" role="group" aria-label={t('basemap.panel')}>
          <fieldset className="wf-basemap__choices">
            <legend>{t('basemap.choose')}</legend>
            {[null, ...(list?.imported ?? [])].map((b) => {
              const id = b?.id ?? DEMO_BASEMAP_ID;
              return (
                <label key={id} className="wf-basemap__choice">
                  <input
                    type="radio"
                    name="wf-basemap"
                    value={id}
                    checked={(choosing ?? activeId) === id}
                    disabled={busy}
                    onChange={() => void choose(id)}
                  />
                  <span>{b ? b.name : t('basemap.demo')}</span>
                  {b && (
                    <span className="wf-basemap__meta">
                      {t('basemap.zoomRange', { min: b.minZoom, max: b.maxZoom })} ·{' '}
                      {t('basemap.size', { mb: Math.max(0.1, b.bytes / 1024 ** 2).toFixed(1) })}
                    </span>
                  )}
                </label>
              );
            })}
          </fieldset>
          <form
            className="wf-basemap__import"
            onSubmit={(e) => {
              e.preventDefault();
              void importFile(path);
            }}
          >
            <span className="wf-basemap__heading">{t('basemap.importTitle')}</span>
            <button
              type="button"
              className="wf-button wf-button--small"
              disabled={busy}
              onClick={() => void chooseFile()}
            >
              {t('basemap.chooseFile')}
            </button>
            {list?.importByPath !== false && (
              <>
                <label htmlFor={pathId} className="wf-basemap__path-label">
                  {t('basemap.pathLabel')}
                </label>
                <div className="wf-basemap__path-row">
                  <input
                    id={pathId}
                    className="wf-input"
                    type="text"
                    spellCheck={false}
                    placeholder={t('basemap.pathPlaceholder')}
                    value={path}
                    disabled={busy}
                    onChange={(e) => setPath(e.target.value)}
                  />
                  <button type="submit" className="wf-button wf-button--small" disabled={busy || !path.trim()}>
                    {busy ? t('basemap.importing') : t('basemap.import')}
                  </button>
                </div>
              </>
            )}
            <p className="wf-basemap__hint">{t('basemap.hint')}</p>
          </form>
          {imported && (
            <p className="wf-basemap__done" role="status">
              {t('basemap.imported', { name: imported.name, min: imported.minZoom, max: imported.maxZoom })}
            </p>
          )}
          {error && <BasemapError error={error} />}
        </section>
      )}
      <div className="wf-basemap__bar">
        <span className="wf-basemap__label" data-basemap-id={activeId}>
          {t('basemap.active', { name: activeName })}
        </span>
        {active?.attribution && <span className="wf-basemap__attribution">{active.attribution}</span>}
        {tileError?.id === activeId && (
          <span className="wf-basemap__error" role="alert">
            {t('basemap.tilesFailed', { message: tileError.message })}
          </span>
        )}
        <button
          type="button"
          className="wf-button wf-button--small"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('basemap.close') : t('basemap.change')}
        </button>
      </div>
      {!open && error && <BasemapError error={error} />}
    </div>
  );
}
