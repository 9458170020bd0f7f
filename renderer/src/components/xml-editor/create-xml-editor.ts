import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { xml } from '@codemirror/lang-xml';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, StateEffect, type Text } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { parseXml, XmlParseError } from '../../../../shared/xml';

/**
 * The CodeMirror 6 set-up of the XML editors (the VM's XML tab, one device's XML). Loaded
 * with a dynamic import so CodeMirror is its own chunk and the main bundle stays lean.
 */

export interface XmlEditorOptions {
  parent: HTMLElement;
  text: string;
  readOnly: boolean;
  /** The accessible name of the editing area. */
  label: string;
  onChange: (text: string) => void;
}

/** libvirt's complaint about the text, at a 1-based line when it named one. */
export interface XmlServerError {
  message: string;
  line?: number;
}

export interface XmlEditorHandle {
  /** Replaces the whole text (not reported through onChange). */
  setText(text: string): void;
  setReadOnly(readOnly: boolean): void;
  /** Marks libvirt's error until the text changes; null clears it. */
  setServerError(error: XmlServerError | null): void;
  destroy(): void;
}

function lineRange(doc: Text, line: number): { from: number; to: number } {
  const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return { from: at.from, to: Math.max(at.to, at.from) };
}

/** Where our own parser finds the text not well-formed (the same parser the backend uses). */
function wellFormedness(doc: Text): Diagnostic[] {
  try {
    parseXml(doc.toString());
    return [];
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err;
    if (err.line === undefined) {
      return [{ from: 0, to: Math.min(doc.length, 1), severity: 'error', message: err.message }];
    }
    const line = doc.line(Math.min(Math.max(err.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max((err.column ?? 1) - 1, 0), line.to);
    return [{ from, to: Math.max(line.to, from), severity: 'error', message: err.message }];
  }
}

const serverErrorChanged = StateEffect.define<null>();

export function createXmlEditor(options: XmlEditorOptions): XmlEditorHandle {
  let serverError: XmlServerError | null = null;
  let applyingText = false;
  const readOnly = new Compartment();

  const source = (view: EditorView): Diagnostic[] => {
    const found = wellFormedness(view.state.doc);
    if (serverError) {
      const { from, to } =
        serverError.line === undefined
          ? { from: 0, to: Math.min(view.state.doc.length, 1) }
          : lineRange(view.state.doc, serverError.line);
      found.push({ from, to, severity: 'error', source: 'libvirt', message: serverError.message });
    }
    return found;
  };

  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        foldGutter(),
        drawSelection(),
        history(),
        search({ top: true }),
        highlightSelectionMatches(),
        // No Tab-to-indent: Tab must keep moving focus for keyboard users.
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
        highlightActiveLine(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        EditorState.tabSize.of(2),
        // Typed text stays as typed: auto-inserted closing tags surprise people pasting XML.
        xml({ autoCloseTags: false }),
        linter(source, {
          delay: 300,
          needsRefresh: (update) =>
            update.transactions.some((tr) => tr.effects.some((e) => e.is(serverErrorChanged))),
        }),
        lintGutter(),
        readOnly.of([
          EditorState.readOnly.of(options.readOnly),
          EditorView.editable.of(!options.readOnly),
        ]),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged || applyingText) return;
          // libvirt judged the old text; once it changes the mark no longer applies.
          serverError = null;
          options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    setText(text) {
      if (text === view.state.doc.toString()) return;
      applyingText = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      } finally {
        applyingText = false;
      }
    },
    setReadOnly(value) {
      view.dispatch({
        effects: readOnly.reconfigure([
          EditorState.readOnly.of(value),
          EditorView.editable.of(!value),
        ]),
      });
    },
    setServerError(error) {
      serverError = error;
      view.dispatch({ effects: serverErrorChanged.of(null) });
    },
    destroy() {
      view.destroy();
    },
  };
}
