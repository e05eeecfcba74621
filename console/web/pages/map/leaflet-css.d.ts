/** esbuild imports the stylesheet as text (`with { type: 'text' }`), for the map's shadow root. */
declare module 'leaflet/dist/leaflet.css' {
  const text: string;
  export default text;
}
