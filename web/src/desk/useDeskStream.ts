// The desk's live updates (GET /api/v1/incidents/stream, docs/desk-api.md "Live updates"): one
// EventSource per page, shared by every component that listens (the header's bell, the queue,
// the incident page), open while at least one listens. The browser reconnects by itself;
// `onReconnect` lets a listener re-read what it may have missed (messages after its last id,
// notifications).
import { useEffect, useRef } from 'react';
import { STREAM_URL } from './api';
import type { Incident, Message, Notification } from './types';

export interface DeskStreamHandlers {
  onMessage?: (incidentId: number, message: Message) => void;
  onIncident?: (incident: Incident) => void;
  onNotification?: (notification: Notification, unread: number) => void;
  onReconnect?: () => void;
}

type Ref = { current: DeskStreamHandlers };
const listeners = new Set<Ref>();
let source: EventSource | null = null;

function parse<T>(e: Event): T | null {
  try {
    return JSON.parse((e as MessageEvent).data) as T;
  } catch {
    return null;
  }
}

function open(): void {
  const s = new EventSource(STREAM_URL, { withCredentials: true });
  let opened = false;
  s.onopen = () => {
    if (opened) listeners.forEach((l) => l.current.onReconnect?.());
    opened = true;
  };
  s.addEventListener('message', (e) => {
    const d = parse<{ incident_id: number; message: Message }>(e);
    if (d) listeners.forEach((l) => l.current.onMessage?.(d.incident_id, d.message));
  });
  s.addEventListener('incident', (e) => {
    const d = parse<{ incident: Incident }>(e);
    if (d) listeners.forEach((l) => l.current.onIncident?.(d.incident));
  });
  s.addEventListener('notification', (e) => {
    const d = parse<{ notification: Notification; unread: number }>(e);
    if (d) listeners.forEach((l) => l.current.onNotification?.(d.notification, d.unread));
  });
  source = s;
}

// Closes the page's stream now (before a logout: the server would otherwise cut it off once the
// session is gone). Listeners still mounted open it again when they next mount.
export function closeDeskStream(): void {
  source?.close();
  source = null;
}

export function useDeskStream(enabled: boolean, handlers: DeskStreamHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    listeners.add(ref);
    if (!source) open();
    return () => {
      listeners.delete(ref);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }, [enabled]);
}
