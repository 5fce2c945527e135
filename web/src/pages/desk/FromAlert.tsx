// /desk/from-alert/:fingerprint: POST /api/v1/incidents/from-alert, then the incident's page (a
// new one, or the one already open for this alert).
import { useEffect, useRef, useState } from 'react';
import { Navigate, useParams } from 'react-router-dom';
import { Loading, LoadError } from '../../components/PageState';
import { desk } from '../../desk/api';

export default function FromAlert() {
  const fingerprint = useParams().fingerprint ?? '';
  const [id, setId] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    desk.fromAlert(fingerprint).then((i) => setId(i.id), setError);
  }, [fingerprint]);
  if (error) return <LoadError error={error} />;
  if (id !== null) return <Navigate to={`/desk/incidents/${id}`} replace />;
  return <Loading />;
}
