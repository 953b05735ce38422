// The ad's optional buttons under the message: up to 8, each a label and a link.
import { MAX_BUTTONS } from '../../../../src/shared/bot-config-schema';
import type { FieldIssues } from '../lib/form-issues';
import { FieldErrors } from './field-errors';

export type ButtonRow = { text: string; url: string };

export function ButtonsEditor({ buttons, onButtons, issues }: { buttons: ButtonRow[]; onButtons: (b: ButtonRow[]) => void; issues: FieldIssues }) {
  const edit = (i: number, change: Partial<ButtonRow>) => onButtons(buttons.map((x, j) => (j === i ? { ...x, ...change } : x)));
  return (
    <fieldset className="buttons-editor">
      <legend>
        Buttons <span className="muted">(optional)</span>
      </legend>
      {buttons.map((b, i) => (
        <div key={i} className="button-row">
          <label className="sr-only" htmlFor={`btn-text-${i}`}>
            Button {i + 1} text
          </label>
          <input
            id={`btn-text-${i}`}
            value={b.text}
            placeholder="Shop now"
            aria-invalid={issues[`button-${i}-text`] ? true : undefined}
            aria-describedby={`btn-errors-${i}`}
            onChange={(e) => edit(i, { text: e.target.value })}
          />
          <label className="sr-only" htmlFor={`btn-url-${i}`}>
            Button {i + 1} link
          </label>
          <input
            id={`btn-url-${i}`}
            type="url"
            value={b.url}
            placeholder="https://…"
            aria-invalid={issues[`button-${i}-url`] ? true : undefined}
            aria-describedby={`btn-errors-${i}`}
            onChange={(e) => edit(i, { url: e.target.value })}
          />
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-label={`Remove button ${i + 1}`}
            onClick={() => onButtons(buttons.filter((_, j) => j !== i))}
          >
            ✕
          </button>
          <FieldErrors id={`btn-errors-${i}`} name={`button-${i}`} messages={[...(issues[`button-${i}-text`] ?? []), ...(issues[`button-${i}-url`] ?? [])]} />
        </div>
      ))}
      <FieldErrors id="ad-buttons-errors" name="buttons" messages={issues.buttons} />
      {buttons.length < MAX_BUTTONS && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => onButtons([...buttons, { text: '', url: '' }])}>
          + Add a button
        </button>
      )}
    </fieldset>
  );
}
