/** Drag and drop of .onnx files anywhere on the page, with a hint shown while dragging. */

/** Calls `onFile` for each .onnx file dropped on the document. */
export function listenForModelDrops(doc: Document, hint: HTMLElement, onFile: (file: File) => void): void {
  let depth = 0;
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
  doc.addEventListener('dragenter', (e) => {
    if (!carriesFiles(e)) return;
    depth++;
    hint.hidden = false;
  });
  doc.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) hint.hidden = true;
  });
  doc.addEventListener('dragover', (e) => {
    if (carriesFiles(e)) e.preventDefault();
  });
  doc.addEventListener('drop', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    depth = 0;
    hint.hidden = true;
    for (const file of Array.from(e.dataTransfer?.files ?? [])) if (file.name.toLowerCase().endsWith('.onnx')) onFile(file);
  });
}
