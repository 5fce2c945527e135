// Creates (or edits) a silence: matchers prefilled from an alert, a duration, a comment; shows
// which firing alerts it would mute before saving (POST /api/v1/silences/preview).
import { App, Form, Input, List, Modal, Segmented, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api';
import type { SilenceBody } from '../lib/api';
import { fmtKey } from '../lib/format';
import { serverNow } from '../lib/serverClock';
import type { AlertRow, Silence } from '../lib/types';
import { rememberUser, rememberedUser } from '../lib/user';

const DURATIONS = [
  { ms: 30 * 60_000, key: '30m' },
  { ms: 3600_000, key: '1h' },
  { ms: 2 * 3600_000, key: '2h' },
  { ms: 4 * 3600_000, key: '4h' },
  { ms: 8 * 3600_000, key: '8h' },
  { ms: 24 * 3600_000, key: '1d' },
  { ms: 3 * 24 * 3600_000, key: '3d' },
] as const;

// Matchers naming one alert: its rule and its key's fields (the labels a route sees).
export function matchersFor(alert: Pick<AlertRow, 'rule' | 'key'>): string[] {
  const out = [`rule=${alert.rule}`];
  for (const [k, v] of Object.entries(alert.key ?? {})) out.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return out;
}

function silenceMatchers(s: Silence): string[] {
  return s.matchers.map((m) => `${m.name}${m.op}${m.value}`);
}

export interface SilenceTarget {
  alert?: Pick<AlertRow, 'rule' | 'key'>;
  silence?: Silence; // edit
  matchers?: string[];
}

export default function SilenceModal({
  target,
  onClose,
  onSaved,
}: {
  target: SilenceTarget | null;
  onClose: () => void;
  onSaved?: (s: Silence) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [matchers, setMatchers] = useState<string[]>([]);
  const [duration, setDuration] = useState<number>(3600_000);
  const [comment, setComment] = useState('');
  const [by, setBy] = useState(rememberedUser());
  const [saving, setSaving] = useState(false);
  const [mutes, setMutes] = useState<Silence['mutes'] | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  useEffect(() => {
    if (!target) return;
    if (target.silence) {
      setMatchers(silenceMatchers(target.silence));
      setComment(target.silence.comment);
    } else {
      setMatchers(target.matchers ?? (target.alert ? matchersFor(target.alert) : []));
      setComment('');
    }
    setDuration(3600_000);
    setBy(rememberedUser());
  }, [target]);

  // Preview what the matchers mute, a moment after the user stops typing.
  const key = useMemo(() => JSON.stringify(matchers), [matchers]);
  useEffect(() => {
    if (!target || matchers.length === 0) {
      setMutes(null);
      return;
    }
    const timer = setTimeout(() => {
      api
        .previewSilence({ matchers, duration_ms: 60_000, comment: '', created_by: '' })
        .then((r) => {
          setMutes(r.mutes);
          setPreviewError(null);
        })
        .catch((e: Error) => {
          setMutes(null);
          setPreviewError(e.message);
        });
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, target]);

  const save = async () => {
    if (matchers.length === 0) {
      message.error(t('silence.needMatcher'));
      return;
    }
    if (!comment.trim()) {
      message.error(t('silence.needComment'));
      return;
    }
    setSaving(true);
    try {
      const body: SilenceBody = { matchers, comment: comment.trim(), created_by: by.trim() || 'console' };
      let saved: Silence;
      if (target?.silence) {
        const now = await serverNow();
        saved = await api.updateSilence(target.silence.id, {
          ...body,
          starts_at_ms: Math.min(target.silence.starts_at_ms, now),
          ends_at_ms: now + duration,
        });
      } else {
        saved = await api.createSilence({ ...body, duration_ms: duration });
      }
      if (by.trim()) rememberUser(by.trim());
      message.success(t('silence.saved', { count: saved.mutes?.length ?? 0 }));
      onSaved?.(saved);
      onClose();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={target?.silence ? t('silence.editTitle', { id: target.silence.id }) : t('silence.title')}
      okText={t('silence.save')}
      cancelText={t('common.cancel')}
      onOk={save}
      confirmLoading={saving}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'silence-save' }}
      width={620}
      destroyOnHidden
    >
      <Form layout="vertical" data-testid="silence-form">
        <Form.Item label={t('silence.matchers')} extra={t('silence.matchersHelp')} required>
          <Select
            mode="tags"
            data-testid="silence-matchers"
            value={matchers}
            onChange={(v) => setMatchers(v)}
            tokenSeparators={[' ']}
            open={false}
            suffixIcon={null}
          />
        </Form.Item>
        <Form.Item label={target?.silence ? t('silence.durationFromNow') : t('silence.duration')}>
          <Segmented
            data-testid="silence-duration"
            value={duration}
            onChange={(v) => setDuration(v as number)}
            options={DURATIONS.map((d) => ({ value: d.ms, label: t(`silence.durations.${d.key}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('silence.comment')} required>
          <Input.TextArea
            data-testid="silence-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={2}
            maxLength={2000}
            placeholder={t('silence.commentPlaceholder')}
          />
        </Form.Item>
        <Form.Item label={t('silence.createdBy')}>
          <Input data-testid="silence-by" value={by} onChange={(e) => setBy(e.target.value)} maxLength={200} />
        </Form.Item>
      </Form>
      <Space direction="vertical" style={{ width: '100%' }}>
        {previewError && <Typography.Text type="danger">{previewError}</Typography.Text>}
        {mutes && (
          <>
            <Typography.Text strong data-testid="silence-preview-count">
              {t('silence.preview', { count: mutes.length })}
            </Typography.Text>
            {mutes.length > 0 && (
              <List
                size="small"
                bordered
                style={{ maxHeight: 160, overflow: 'auto' }}
                dataSource={mutes}
                renderItem={(m) => (
                  <List.Item>
                    <Typography.Text code>{m.rule}</Typography.Text> {fmtKey(m.key)}
                  </List.Item>
                )}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
