import { type ReactNode, useEffect, useState } from 'react';
import { readFiles } from '../files';
import { useActions } from '../session-context';

/** The whole page accepts dropped files; an overlay shows while files are dragged over it. */
export function DropZone({ children }: { children: ReactNode }) {
  const actions = useActions();
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = async (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = e.dataTransfer?.files;
      if (!files || files.length === 0) return;
      try {
        await actions.loadFiles(await readFiles(files));
      } catch (error) {
        actions.reportError(error);
      }
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [actions]);

  return (
    <>
      {children}
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div>Drop to load — a mesh with its side files (.bin, .mtl, textures) together</div>
        </div>
      )}
    </>
  );
}
