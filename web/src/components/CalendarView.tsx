// The calendar in use: busy hours, weekend, holidays and make-up workdays, and the type of each
// day from 30 days ago to 30 days ahead (as the server works them out).
import { Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../lib/format';
import { knownServerNow } from '../lib/serverClock';
import type { ConfigAnswer } from '../lib/types';

type Calendar = NonNullable<ConfigAnswer['calendar']>;

const tags = (l: string[] | undefined) => (l && l.length ? l.map((x) => <Tag key={x}>{x}</Tag>) : '—');

export default function CalendarView({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const now = knownServerNow();
  const today = now !== null ? fmtTime(now, 'YYYY-MM-DD') : '';
  const months = new Map<string, Calendar['days']>();
  for (const d of calendar.days ?? []) {
    const m = d.date.slice(0, 7);
    if (!months.has(m)) months.set(m, []);
    months.get(m)!.push(d);
  }
  return (
    <div data-testid="config-calendar">
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('config.busyHours')}>{tags(calendar.busy_hours)}</Descriptions.Item>
        <Descriptions.Item label={t('config.weekend')}>{tags(calendar.weekend)}</Descriptions.Item>
        <Descriptions.Item label={t('config.holidays')}>{tags(calendar.holidays)}</Descriptions.Item>
        <Descriptions.Item label={t('config.workdays')}>{tags(calendar.workdays)}</Descriptions.Item>
      </Descriptions>
      <Space style={{ marginBottom: 8 }}>
        <Tag color="blue">{t('dayType.workday')}</Tag>
        <Tag color="orange">{t('dayType.holiday')}</Tag>
      </Space>
      {[...months].map(([month, days]) => (
        <div key={month} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{month}</Typography.Text>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 4 }}>
            {days.map((d) => (
              <Tooltip key={d.date} title={`${d.date} ${d.type === 'holiday' ? t('dayType.holiday') : t('dayType.workday')}`}>
                <div
                  data-testid={`day-${d.date}`}
                  data-type={d.type}
                  style={{
                    width: 30,
                    height: 26,
                    lineHeight: '26px',
                    textAlign: 'center',
                    borderRadius: 4,
                    fontSize: 12,
                    background: d.type === 'holiday' ? '#fff1e6' : '#e6f4ff',
                    color: d.type === 'holiday' ? '#d46b08' : '#0958d9',
                    outline: d.date === today ? '2px solid #1677ff' : undefined,
                  }}
                >
                  {Number(d.date.slice(8))}
                </div>
              </Tooltip>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
