// "Open incident" on a firing alert: goes to /desk/from-alert/<fingerprint>, which (after a login
// when there is none) opens the incident or finds the one already open for the alert.
import { Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useDeskT } from '../../desk/hooks';

export default function OpenIncidentButton({ fingerprint }: { fingerprint: string }) {
  const t = useDeskT();
  const navigate = useNavigate();
  return (
    <Button size="small" onClick={() => navigate(`/desk/from-alert/${encodeURIComponent(fingerprint)}`)} data-testid="alert-open-incident">
      {t('alert.open')}
    </Button>
  );
}
