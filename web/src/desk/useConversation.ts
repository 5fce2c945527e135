// One incident's conversation, for the back office and the MSS pages alike: the messages
// (oldest first), new ones live over the desk's stream, anything missed re-read after a
// reconnect (`after_id`), the read mark moved to the newest message shown, and messages typed
// while offline kept as "sending" and sent once the connection is back.
import { useCallback, useEffect, useRef, useState } from 'react';
import { desk } from './api';
import type { Message } from './types';
import { useDeskStream } from './useDeskStream';

export interface PendingMessage {
  key: number;
  body: string;
  internal: boolean;
  attachmentIds: number[];
}

export function useConversation(incidentId: number, enabled = true) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [readMark, setReadMark] = useState(0);
  // The read mark when the page opened: messages after it are new to the reader (a divider).
  const [openedMark, setOpenedMark] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const lastId = useRef(0);
  const markSent = useRef(0);

  const add = useCallback((more: Message[]) => {
    if (!more.length) return;
    setMessages((old) => {
      const seen = new Set(old.map((m) => m.id));
      const merged = [...old, ...more.filter((m) => !seen.has(m.id))].sort((a, b) => a.id - b.id);
      lastId.current = merged.length ? merged[merged.length - 1].id : 0;
      return merged;
    });
  }, []);

  const catchUp = useCallback(() => {
    desk.messages(incidentId, lastId.current || undefined).then(
      (r) => {
        add(r.messages);
        if (r.read_mark !== undefined) setReadMark((m) => Math.max(m, r.read_mark ?? 0));
        setOpenedMark((m) => m ?? r.read_mark ?? 0);
        setError(null);
      },
      (e: Error) => setError(e),
    );
  }, [incidentId, add]);

  useEffect(() => {
    if (!enabled) return;
    setMessages([]);
    setOpenedMark(null);
    lastId.current = 0;
    markSent.current = 0;
    catchUp();
  }, [incidentId, enabled, catchUp]);

  const flush = useCallback(async () => {
    for (const p of pending) {
      try {
        add([await desk.send(incidentId, { body: p.body, internal: p.internal || undefined, attachment_ids: p.attachmentIds })]);
        setPending((old) => old.filter((x) => x.key !== p.key));
      } catch {
        return; // still offline: try again at the next reconnect
      }
    }
  }, [pending, incidentId, add]);

  useDeskStream(enabled, {
    onMessage: (id, m) => id === incidentId && add([m]),
    onReconnect: () => {
      catchUp();
      void flush();
    },
  });
  useEffect(() => {
    const online = () => {
      catchUp();
      void flush();
    };
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [catchUp, flush]);

  // The read mark follows the newest message on screen (never back).
  useEffect(() => {
    const newest = messages.length ? messages[messages.length - 1].id : 0;
    if (!enabled || newest <= readMark || newest <= markSent.current) return;
    markSent.current = newest;
    desk.markRead(incidentId, newest).then((r) => setReadMark(r.read_mark), () => undefined);
  }, [messages, readMark, incidentId, enabled]);

  const send = useCallback(
    async (body: string, internal = false, attachmentIds: number[] = []) => {
      try {
        add([await desk.send(incidentId, { body, internal: internal || undefined, attachment_ids: attachmentIds })]);
      } catch (e) {
        // A network failure (status 0) keeps the message for later; a refusal is the caller's.
        if ((e as { status?: number }).status !== 0) throw e;
        setPending((old) => [...old, { key: Date.now(), body, internal, attachmentIds }]);
      }
    },
    [incidentId, add],
  );

  return { messages, readMark, openedMark, error, pending, send, reload: catchUp };
}
