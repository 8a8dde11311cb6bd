import { describe, expect, it } from 'vitest';
import {
  areaDrawingCancelled,
  areaDrawingFinished,
  areaDrawingStarted,
  areaVertexAdded,
  locationPicked,
  newIncidentStarted,
  workspaceReducer,
} from '../../renderer/state/workspace';

const start = () => {
  let s = workspaceReducer(undefined, newIncidentStarted({ alertIds: [], title: '', location: null }));
  s = workspaceReducer(s, areaDrawingStarted());
  return s;
};

describe('drawing an incident area', () => {
  it('clicks add corners (a double-click adds one), Enter makes them the area', () => {
    let s = start();
    for (const p of [
      { lat: 1, lon: 1 },
      { lat: 1, lon: 2 },
      { lat: 2, lon: 2 },
      { lat: 2, lon: 2 },
    ])
      s = workspaceReducer(s, areaVertexAdded(p));
    expect(s.drawingArea).toHaveLength(3);
    s = workspaceReducer(s, areaDrawingFinished());
    expect(s.drawingArea).toBeNull();
    expect(s.newIncident?.area).toEqual([
      { lat: 1, lon: 1 },
      { lat: 1, lon: 2 },
      { lat: 2, lon: 2 },
    ]);
    // Picking a point afterwards replaces the area.
    s = workspaceReducer(s, locationPicked({ lat: 5, lon: 5 }));
    expect(s.newIncident?.area).toBeNull();
    expect(s.newIncident?.location).toEqual({ lat: 5, lon: 5 });
  });

  it('fewer than three corners, or cancelling, keeps no area', () => {
    let s = start();
    s = workspaceReducer(s, areaVertexAdded({ lat: 1, lon: 1 }));
    s = workspaceReducer(s, areaVertexAdded({ lat: 1, lon: 2 }));
    s = workspaceReducer(s, areaDrawingFinished());
    expect(s.newIncident?.area ?? null).toBeNull();
    s = workspaceReducer(s, areaDrawingStarted());
    s = workspaceReducer(s, areaVertexAdded({ lat: 1, lon: 1 }));
    s = workspaceReducer(s, areaDrawingCancelled());
    expect(s.drawingArea).toBeNull();
    expect(s.newIncident?.area ?? null).toBeNull();
  });
});
