/** uPlot's stylesheet, bundled as text (esbuild's `with { type: 'text' }`) into a lit stylesheet under the CSP. */
declare module 'uplot/dist/uPlot.min.css' {
  const css: string;
  export default css;
}
