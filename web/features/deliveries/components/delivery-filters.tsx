import type { Chat } from '../../dashboard/api/get-bot';
import type { DeliveryResult } from '../api/get-deliveries';
import { resultLabel } from '../lib/result-label';

/** What the filter fields hold: days as typed, turned into instants by the page. */
export type FilterForm = { chat: string; result: '' | DeliveryResult; fromDay: string; toDay: string };

export const emptyFilters: FilterForm = { chat: '', result: '', fromDay: '', toDay: '' };

export const anyFilter = (f: FilterForm) => Boolean(f.chat || f.result || f.fromDay || f.toDay);

export function DeliveryFilters({ value, chats, onChange }: { value: FilterForm; chats: Chat[]; onChange: (next: FilterForm) => void }) {
  const set = (patch: Partial<FilterForm>) => onChange({ ...value, ...patch });
  return (
    <div className="filters" data-testid="delivery-filters">
      <div className="field grow">
        <label htmlFor="log-chat">Chat</label>
        <select id="log-chat" value={value.chat} onChange={(e) => set({ chat: e.target.value })}>
          <option value="">All chats</option>
          {chats.map((c) => (
            <option key={c.ref} value={c.ref}>
              {c.title && c.title !== c.ref ? `${c.title} (${c.ref})` : c.ref}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="log-result">Result</label>
        <select id="log-result" value={value.result} onChange={(e) => set({ result: e.target.value as FilterForm['result'] })}>
          <option value="">Any result</option>
          {(Object.keys(resultLabel) as DeliveryResult[]).map((r) => (
            <option key={r} value={r}>
              {resultLabel[r].label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="log-from">From</label>
        <input id="log-from" type="date" value={value.fromDay} max={value.toDay || undefined} onChange={(e) => set({ fromDay: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="log-to">To</label>
        <input id="log-to" type="date" value={value.toDay} min={value.fromDay || undefined} onChange={(e) => set({ toDay: e.target.value })} />
      </div>
      {anyFilter(value) && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange(emptyFilters)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
