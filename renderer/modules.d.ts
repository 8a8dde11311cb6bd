/** GeoJSON files are imported as parsed data (see the `watchfloor-geojson` plugin in vite.config.ts). */
declare module '*.geojson' {
  const data: unknown;
  export default data;
}
