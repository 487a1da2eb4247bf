import { renderView } from '../../core/render';
import { useActions, useSession } from '../session-context';

function download(bytes: Uint8Array | Blob, name: string, type: string): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** c_src | c_tgt | result, at the chosen view, 2× — the picture of one edit. */
async function sideBySidePng(images: { width: number; height: number; data: Uint8Array }[]): Promise<Blob> {
  const scale = 2;
  const w = images[0].width;
  const h = images[0].height;
  const canvas = new OffscreenCanvas(w * scale * images.length, h * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas context.');
  context.imageSmoothingEnabled = false;
  for (const [i, image] of images.entries()) {
    const bitmap = await createImageBitmap(
      new ImageData(new Uint8ClampedArray(image.data), image.width, image.height),
    );
    context.drawImage(bitmap, i * w * scale, 0, w * scale, h * scale);
  }
  return canvas.convertToBlob({ type: 'image/png' });
}

export function ExportPanel() {
  const edit = useSession((s) => s.edit);
  const actions = useActions();
  const guard = (work: () => Promise<void>) => () => void work().catch((e) => actions.reportError(e));
  return (
    <div className="panel export-panel" data-testid="export-panel">
      <div className="panel-title">5 · Export</div>
      <div className="button-row">
        <button
          type="button"
          data-testid="export-glb"
          disabled={!edit}
          onClick={guard(async () =>
            download(await actions.exportGlb(), 'flowsmith-edit.glb', 'model/gltf-binary'),
          )}
        >
          GLB
        </button>
        <button
          type="button"
          data-testid="export-bundle"
          disabled={!edit}
          onClick={guard(async () =>
            download(await actions.exportBundle(), 'flowsmith-edit.zip', 'application/zip'),
          )}
        >
          Edit bundle (.zip)
        </button>
        <button
          type="button"
          data-testid="export-png"
          disabled={!edit}
          onClick={guard(async () => {
            if (!edit) return;
            const result = renderView(edit.result, edit.view);
            download(
              await sideBySidePng([edit.sourceView, edit.targetView, result]),
              'flowsmith-edit.png',
              'image/png',
            );
          })}
        >
          Side-by-side PNG
        </button>
      </div>
    </div>
  );
}
