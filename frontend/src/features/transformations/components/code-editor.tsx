// A JavaScript editor (CodeMirror 6) behind a plain value/onChange pair, so a form can
// hold it like any other field. Only the lazily loaded editor page imports it, which
// keeps CodeMirror out of the main chunk.

import { javascript } from "@codemirror/lang-javascript";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";

import { cn } from "@/lib/cn";

interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** The accessible name of the editing area. */
  label: string;
  readOnly?: boolean;
  invalid?: boolean;
  describedBy?: string;
  className?: string;
}

/** The content element's ARIA attributes: its name, and the error it is described by. */
function ariaOf(label: string, readOnly: boolean, invalid?: boolean, describedBy?: string): Extension {
  return EditorView.contentAttributes.of({
    "aria-label": label,
    role: "textbox",
    "aria-multiline": "true",
    ...(readOnly ? { "aria-readonly": "true" } : {}),
    ...(invalid ? { "aria-invalid": "true" } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  });
}

export function CodeEditor({ value, onChange, label, readOnly = false, invalid, describedBy, className }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const aria = useRef(new Compartment());
  // The view is built once; it calls the latest onChange, not the one of its first render.
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          javascript(),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          aria.current.of(ariaOf(label, readOnly, invalid, describedBy)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The document is seeded once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [label, readOnly]);

  useEffect(() => {
    view.current?.dispatch({ effects: aria.current.reconfigure(ariaOf(label, readOnly, invalid, describedBy)) });
  }, [label, readOnly, invalid, describedBy]);

  // A value set from outside (the stored code once it loads, a form reset) replaces the document.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return (
    <div
      ref={host}
      className={cn(
        "overflow-hidden rounded-md border bg-white text-sm [&_.cm-editor]:max-h-[32rem] [&_.cm-editor]:min-h-64 [&_.cm-scroller]:font-mono",
        invalid ? "border-red-400" : "border-gray-300",
        className,
      )}
    />
  );
}
