/**
 * Layering: the folder is the environment (docs/architecture.md, "Folders are
 * environments"). Checked by `npm run lint` inside `npm test`; the rules bite, as
 * tests/layering/layering.test.ts proves on fixture files.
 *
 * `electron` is matched both resolved (node_modules/electron/) and unresolved
 * (a bare "electron"), so the rule holds wherever the package is installed or not.
 */
const ELECTRON = '(^|/)node_modules/electron/|^electron$';
const NODE_MODULES = '(^|/)node_modules/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-std',
      comment:
        'shared/ runs everywhere (main, worker, renderer, hub): it imports only shared/ and portable npm packages.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: [`^shared/`, NODE_MODULES] },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'shared/ has no Node built-ins: the renderer and the preload import it.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-no-electron',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: ELECTRON },
    },
    {
      name: 'renderer-only-dom',
      comment: 'The renderer talks only to window.watchfloor: never main/, hub/, preload/, tests/ or scripts.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main|hub|preload|tests|bench|scripts)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer is a sandboxed web page: no Node built-ins.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: '^renderer/vite\\.config\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-electron',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: ELECTRON },
    },
    {
      name: 'preload-only-shared-and-electron',
      comment: 'The sandboxed preload exposes createConsoleApi over ipcRenderer and nothing else.',
      severity: 'error',
      from: { path: '^preload/' },
      to: { pathNot: [`^(preload|shared)/`, ELECTRON] },
    },
    {
      name: 'preload-no-node-builtins',
      severity: 'error',
      from: { path: '^preload/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'electron-only-in-main-app',
      comment: 'In main/, only main/app/ imports electron: the replica, sync and services run in plain Node.',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/app/' },
      to: { path: ELECTRON },
    },
    {
      name: 'main-not-hub-or-ui',
      comment: 'The console core speaks to the hub over the wire protocol only, and never reaches into the UI.',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: '^(hub|renderer|preload|tests|bench|scripts)/', pathNot: '^renderer/i18n/[^/]+[.]json$' },
    },
    {
      name: 'only-the-shell-reads-the-catalogues',
      comment:
        "The shell's menu and dialogs read the desktop namespace of the renderer's i18n catalogues (one file per language); nothing else in main/ does.",
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/app/i18n[.]ts$' },
      to: { path: '^renderer/i18n/' },
    },
    {
      name: 'hub-stands-alone',
      comment: 'The hub is its own server: shared/ and npm only.',
      severity: 'error',
      from: { path: '^hub/' },
      to: { path: '^(main|renderer|preload|tests|bench|scripts)/' },
    },
    {
      name: 'hub-no-electron',
      severity: 'error',
      from: { path: '^hub/' },
      to: { path: ELECTRON },
    },
    {
      name: 'only-tests-import-tests',
      comment: 'What ships (shared, hub, main, preload, renderer) never depends on tests/.',
      severity: 'error',
      from: { pathNot: '^(tests|bench|scripts)/' },
      to: { path: '^tests/' },
    },
    {
      name: 'tools-use-only-the-harness',
      comment: 'Benchmarks and scripts may reuse the e2e harness (a tool), never test files or fixtures.',
      severity: 'error',
      from: { path: '^(bench|scripts)/' },
      to: { path: '^tests/', pathNot: '^tests/harness/' },
    },
  ],
  options: {
    doNotFollow: { path: NODE_MODULES },
    // Not node_modules here: excluding it would drop the dependency on it too, and then
    // an `import 'electron'` would never meet the rules. doNotFollow keeps it unwalked.
    exclude: { path: '^(dist|out|coverage|test-results|playwright-report|\\.data)/' },
    // `import type` counts: a type from main/ in the renderer is still a layering breach.
    tsPreCompilationDeps: true,
    detectJSDocImports: false,
    combinedDependencies: false,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
