import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, render } from 'lit';
import { loadImageStack } from '../src/core/load.js';
import { createImageStack } from '../src/core/image/stack.js';
import type { ImageStack } from '../src/core/image/types.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { createPhantomStack, phantomDicomSeries } from './data/phantom.js';
import { defaultKeymap } from '../src/core/keymap.js';

interface ViewerArgs {
  tool: string;
  invert: boolean;
  hideOverlays: boolean;
  cineFps: number;
}

const meta: Meta<ViewerArgs> = {
  title: 'Viewer/vx-viewer',
  component: 'vx-viewer',
  args: { tool: 'window', invert: false, hideOverlays: false, cineFps: 15 },
  argTypes: {
    tool: { control: 'select', options: ['window', 'pan', 'zoom', 'scroll'] },
    cineFps: { control: { type: 'range', min: 1, max: 60 } },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Wheel or ↑/↓ scroll slices, PageUp/PageDown jump 10, Home/End; right-drag windows; 1–5 presets; ' +
          'Ctrl+wheel zooms at the cursor; middle-drag or Space+drag pans; R resets, F fits, I inverts, C plays cine.',
      },
    },
  },
};
export default meta;
type Story = StoryObj<ViewerArgs>;

const frame = (content: unknown, height = 480) =>
  html`<div style="height:${height}px; max-width: 720px; display: grid; ">
    <style>
      vx-viewer {
        height: 100%;
      }
    </style>
    ${content}
  </div>`;

let phantom: ImageStack | undefined;
function sharedPhantom(): ImageStack {
  phantom ??= createPhantomStack();
  return phantom;
}

const presetBar = (id: string) => html`
  <div style="display:flex; gap:6px; margin: 0 0 6px; font: 13px system-ui">
    ${['Soft tissue', 'Lung', 'Bone', 'Brain', 'Abdomen'].map(
      (name, i) =>
        html`<button
          @click=${() => (document.getElementById(id) as VxViewer | null)?.applyPreset(i)}
          title="Key ${i + 1}"
        >
          ${i + 1} ${name}
        </button>`,
    )}
  </div>
`;

/** A procedurally generated 256×256×60 CT phantom (HU): body, lungs, spine, heart, liver and four lesions. */
export const CtPhantom: Story = {
  name: 'CT series with window presets',
  render: (args) => html`
    ${presetBar('ct-phantom')}
    ${frame(
      html`<vx-viewer
        id="ct-phantom"
        label="CT phantom"
        .stack=${sharedPhantom()}
        .slice=${26}
        .tool=${args.tool}
        ?invert=${args.invert}
        ?hide-overlays=${args.hideOverlays}
        cine-fps=${args.cineFps}
      ></vx-viewer>`,
    )}
  `,
};

/** The same phantom written as 60 DICOM CT files (shuffled) and read back through loadImageStack. */
export const CtPhantomFromDicom: Story = {
  name: 'CT series from DICOM files',
  render: () => {
    const host = document.createElement('div');
    const stackPromise = loadImageStack(phantomDicomSeries({ depth: 40 }));
    stackPromise.then(
      (stack) =>
        render(
          frame(html`<vx-viewer label="CT phantom from DICOM" .stack=${stack} .slice=${17}></vx-viewer>`),
          host,
        ),
      (e: unknown) => render(html`<p>Could not build the DICOM series: ${String(e)}</p>`, host),
    );
    return host;
  },
};

/**
 * Renders a viewer for a corpus file when the reference corpus is served at /corpus/, and says so
 * plainly when it is not (Storybook serves it only when ../shared/corpus exists).
 */
function corpusStory(path: string, label: string, extra: (el: VxViewer) => void = () => undefined) {
  const host = document.createElement('div');
  render(html`<p style="font: 13px system-ui">Loading /corpus/${path}…</p>`, host);
  fetch(`/corpus/${path}`, { method: 'HEAD' })
    .then((r) => {
      if (!r.ok) throw new Error(String(r.status));
      render(
        frame(
          html`<vx-viewer
            label=${label}
            src=${`/corpus/${path}`}
            @vx-load=${(e: Event) => extra(e.target as VxViewer)}
          ></vx-viewer>`,
        ),
        host,
      );
    })
    .catch(() =>
      render(
        html`<p style="font: 14px system-ui; padding: 12px; border: 1px solid #c90; background: #fff8e6">
          This story shows <code>${path}</code> from the reference corpus, which is not available here. Put
          the corpus at <code>../shared/corpus</code> (or set <code>VOXMARK_CORPUS</code>) and restart
          Storybook.
        </p>`,
        host,
      ),
    );
  return host;
}

/** A multi-frame DICOM: an RT dose grid, 15 frames of 32-bit values, windowed like any greyscale. */
export const MultiFrame: Story = {
  name: 'Multi-frame DICOM (corpus)',
  render: () => corpusStory('dicom/rtdose.dcm', 'RT dose, 15 frames', (el) => (el.slice = 7)),
};

/** A two-frame 16-bit RGB DICOM (RLE): colour frames scroll like slices. */
export const MultiFrameColour: Story = {
  name: 'Multi-frame 16-bit colour DICOM (corpus)',
  render: () =>
    corpusStory('dicom/SC_rgb_rle_16bit_2frame.dcm', 'RGB, 16-bit, 2 frames', (el) => (el.slice = 1)),
};

/** An RGB DICOM (RLE): colour is shown as is, and the value under the cursor reads R G B. */
export const Colour: Story = {
  name: 'Colour DICOM (corpus)',
  render: () => corpusStory('dicom/SC_rgb_rle.dcm', 'RGB test pattern'),
};

/** A 24-page signed 16-bit TIFF z-stack (MR), scrolled like a series. */
export const Tiff16Stack: Story = {
  name: '16-bit TIFF stack (corpus)',
  render: () => corpusStory('tiff/mr_zstack_int16.tif', 'MR z-stack, 16-bit TIFF', (el) => (el.slice = 12)),
};

/** A float32 TIFF, windowed directly in floating point. */
export const FloatTiff: Story = {
  name: 'Float TIFF (corpus)',
  render: () => corpusStory('tiff/float32.tif', 'Float32 TIFF'),
};

/** What the user sees when a file cannot be read: plain words, the error code, and a vx-error event. */
export const ErrorState: Story = {
  name: 'Error state',
  render: () => {
    const host = document.createElement('div');
    render(frame(html`<vx-viewer label="Unreadable file"></vx-viewer>`, 320), host);
    const el = host.querySelector('vx-viewer')!;
    el.addEventListener('vx-error', (e) => console.info('vx-error:', e.detail.error.code));
    void el.open(new Blob(['This is a text file, not an image.'], { type: 'text/plain' }));
    return host;
  },
};

/** No image yet: drop files on the viewer or choose them; no host code needed. */
export const Empty: Story = {
  name: 'Empty: drop zone and file input',
  render: () => frame(html`<vx-viewer label="Empty viewer"></vx-viewer>`, 320),
};

/** Two viewers on one page: each scrolls, windows and zooms on its own. */
export const SideBySide: Story = {
  name: 'Two viewers side by side',
  render: () => html`
    <div style="display:grid; grid-template-columns: 1fr 1fr; gap: 8px; height: 400px; max-width: 900px">
      <vx-viewer label="Phantom, soft tissue" .stack=${sharedPhantom()} .slice=${20}></vx-viewer>
      <vx-viewer
        label="Phantom, lung window"
        .stack=${createPhantomStack({ seed: 2 })}
        .slice=${26}
        window-center="-600"
        window-width="1500"
        invert
      ></vx-viewer>
    </div>
  `,
};

/**
 * The host drives the viewer through properties (the slider sets `slice`; no event fires for that),
 * and listens to what the user does (events are logged). J/K are added to the keymap for slices.
 */
export const EventsAndKeymap: Story = {
  name: 'Events, host control and a remapped keymap',
  render: () => {
    const host = document.createElement('div');
    const stack = sharedPhantom();
    const log: string[] = [];
    const update = () => {
      const el = host.querySelector('vx-viewer');
      render(
        html`<div
          style="display:grid; grid-template-columns: 1fr 260px; gap: 8px; max-width: 980px; font: 13px system-ui"
        >
          <div style="height: 420px; display: grid">
            <vx-viewer
              label="CT phantom, remapped keys"
              style="height: 100%"
              .stack=${stack}
              .keymap=${{ ...(el?.keymap ?? defaultKeymap()), 'slice-next': ['ArrowDown', 'j'], 'slice-previous': ['ArrowUp', 'k'] }}
              @vx-slice-change=${(e: CustomEvent) => push(`vx-slice-change ${e.detail.slice + 1} (${e.detail.source})`)}
              @vx-window-change=${(e: CustomEvent) => push(`vx-window-change C ${e.detail.center} W ${e.detail.width}`)}
              @vx-view-change=${(e: CustomEvent) => push(`vx-view-change zoom ${e.detail.zoom.toFixed(2)}`)}
            ></vx-viewer>
          </div>
          <div>
            <label
              >Slice (host sets it, no event)
              <input
                type="range"
                min="0"
                max=${stack.depth - 1}
                .value=${String(el?.slice ?? 0)}
                @input=${(e: Event) => {
                  host.querySelector('vx-viewer')!.slice = Number((e.target as HTMLInputElement).value);
                }}
            /></label>
            <p>Keys: J / K or ↓ / ↑ scroll; 1–5 presets; right-drag windows.</p>
            <ol reversed style="height: 300px; overflow: auto; margin: 0; padding-left: 2.5em">
              ${log.map((l) => html`<li>${l}</li>`)}
            </ol>
          </div>
        </div>`,
        host,
      );
    };
    const push = (line: string) => {
      log.unshift(line);
      if (log.length > 50) log.pop();
      update();
    };
    update();
    return host;
  },
};

/**
 * A 4096×4096 16-bit image (a zone plate: rings that get finer towards the edge). Minified, it is
 * rendered at screen resolution, then refined to area averages when idle, so the fine rings fade to
 * grey instead of aliasing into false patterns. Zoom in (Ctrl+wheel) to see the full-resolution rings.
 */
export const LargeImage: Story = {
  name: 'Large 4096×4096 16-bit image',
  render: () => {
    const n = 4096;
    const data = new Uint16Array(n * n);
    const k = Math.PI / (2 * n);
    for (let y = 0; y < n; y++) {
      const dy = y - n / 2;
      for (let x = 0; x < n; x++) {
        const dx = x - n / 2;
        data[y * n + x] = Math.round(2048 + 2000 * Math.cos(k * (dx * dx + dy * dy)));
      }
    }
    const stack = createImageStack({
      width: n,
      height: n,
      frames: [data],
      dataType: 'uint16',
      spacing: [0.05, 0.05, 1],
    });
    return frame(html`<vx-viewer label="Zone plate, 4096 × 4096" .stack=${stack}></vx-viewer>`);
  },
};

/**
 * Autosave: draw on the phantom (B for box, then drag), then reload the page. The boxes come back, and the
 * line below says when the draft was restored. Nothing here saves: the viewer keeps a draft in the browser.
 */
export const Autosave: Story = {
  name: 'Autosave and crash recovery',
  render: () => {
    const status = (text: string) => {
      const el = document.getElementById('autosave-status');
      if (el) el.textContent = text;
    };
    const schema = {
      version: 1 as const,
      labels: [{ id: 'finding', name: 'Finding', color: '#ffb000', kinds: ['box' as const] }],
    };
    return html`<p id="autosave-status" style="font: 13px system-ui; margin: 0 0 6px" aria-live="polite">
        Draw a box (B, then drag), then reload the page.
      </p>
      ${frame(
        html`<vx-viewer
          label="Phantom with autosave"
          autosave="storybook"
          tool="box"
          .labelSchema=${schema}
          .activeLabel=${'finding'}
          .stack=${sharedPhantom()}
          .slice=${20}
          @vx-restore=${(e: CustomEvent<{ count: number; savedAt: number }>) =>
            status(
              `Restored ${e.detail.count} annotation(s) saved at ${new Date(e.detail.savedAt).toLocaleTimeString()}.`,
            )}
          @vx-draft-conflict=${() => status('This stack is open in another tab too: one of them saves drafts.')}
          ><vx-box-layer></vx-box-layer
        ></vx-viewer>`,
      )}`;
  },
};
