export * from './sensors';
export * from './schema';
export * from './rules/schema';
export * from './rules/stats';
export * from './rules/hysteresis';
export * from './rules/drafts';
export * from './rules/engine';
