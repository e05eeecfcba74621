import leafletCss from 'leaflet/dist/leaflet.css' with { type: 'text' };
import { css, unsafeCSS } from 'lit';

/** Leaflet's own stylesheet, bundled as text into the shadow root (the CSP allows no outside styles). */
export const leafletStyles = unsafeCSS(leafletCss);

export const mapStyles = css`
  .map-frame {
    position: relative;
    height: min(70vh, 640px);
    min-height: 360px;
    border: 1px solid var(--xs-line, #c9d1d9);
    border-radius: 6px;
    overflow: hidden;
  }
  .map {
    position: absolute;
    inset: 0;
    background: #eef2f5;
  }
  /* The schematic: a plain projected background with a 1 km-ish grid, so distances still read. */
  .map.schematic {
    background-color: #f7f5ef;
    background-image:
      linear-gradient(rgba(11, 92, 138, 0.08) 1px, transparent 1px),
      linear-gradient(90deg, rgba(11, 92, 138, 0.08) 1px, transparent 1px);
    background-size: 40px 40px;
  }
  .xs-marker-host {
    background: none;
    border: none;
  }
  .xs-marker {
    box-sizing: border-box;
    display: flex;
    align-items: center;
    justify-content: center;
    width: 30px;
    height: 30px;
    border: 3px solid #fff;
    font: 700 14px/1 system-ui, sans-serif;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.45);
  }
  .xs-marker.round {
    border-radius: 50%;
  }
  .xs-marker.square {
    border-radius: 5px;
    font-size: 12px;
  }
  .xs-marker.summary {
    width: 44px;
    font-size: 13px;
  }
  .xs-marker.dashed {
    border-style: dashed;
  }
  .leaflet-marker-icon:focus-visible {
    outline: 3px solid var(--xs-focus, #f0a202);
    outline-offset: 3px;
    border-radius: 50%;
  }
  .leaflet-container a {
    color: var(--xs-brand, #0b5c8a);
  }
  .leaflet-container {
    font: inherit;
  }
  .commune-label {
    background: rgba(255, 255, 255, 0.9);
    border: 1px solid #0b5c8a;
    color: #0b3a57;
    font-weight: 700;
    font-size: 0.85rem;
    box-shadow: none;
  }
  .leaflet-popup-content {
    margin: 0.75rem 1rem;
    font-size: 0.95rem;
    line-height: 1.4;
  }
  .popup h3 {
    margin: 0 0 0.35rem;
    font-size: 1rem;
  }
  .popup p {
    margin: 0.2rem 0;
  }
  .popup a.detail {
    display: inline-block;
    margin-top: 0.4rem;
    font-weight: 600;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1.5rem;
    align-items: end;
    margin-bottom: 0.75rem;
  }
  .toolbar fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: flex;
    gap: 1rem;
    align-items: center;
  }
  .toolbar legend {
    font-weight: 600;
    padding: 0;
    margin-bottom: 0.25rem;
  }
  .check {
    display: inline-flex;
    flex-direction: row;
    align-items: center;
    gap: 0.4rem;
    font-weight: 400;
    min-height: 2.5rem;
  }
  .check input {
    width: 1.3rem;
    height: 1.3rem;
    min-height: 0;
  }
  .toolbar label.area {
    min-width: 14rem;
  }
  .status-line {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    margin: 0 0 0.75rem;
  }
  .pill {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.15rem 0.6rem;
    border-radius: 999px;
    background: #e9eef3;
    font-size: 0.9rem;
  }
  .pill.live::before {
    content: '';
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    background: #1e7b34;
  }
  .notice {
    background: #fff8e1;
    border-left: 4px solid #f0a202;
    padding: 0.5rem 0.75rem;
    margin: 0 0 0.75rem;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 1.25rem;
    list-style: none;
    padding: 0;
    margin: 0.75rem 0 0;
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
  }
  .legend .xs-marker {
    width: 24px;
    height: 24px;
    font-size: 12px;
    border-width: 2px;
  }
  .swatches {
    display: inline-flex;
    gap: 2px;
  }
  .swatch {
    width: 1rem;
    height: 1rem;
    border-radius: 3px;
    border: 1px solid rgba(0, 0, 0, 0.25);
  }
  .state-badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    font-weight: 600;
  }
  .state-badge .xs-marker {
    width: 22px;
    height: 22px;
    font-size: 11px;
    border-width: 2px;
    box-shadow: none;
  }
  td .link-button {
    min-height: 2.25rem;
    padding: 0.25rem 0.6rem;
  }
  @media (max-width: 40rem) {
    .map-frame {
      height: 58vh;
    }
    .toolbar {
      gap: 0.5rem 1rem;
    }
    .toolbar label.area {
      min-width: 100%;
    }
    .hide-phone {
      display: none;
    }
  }
`;
