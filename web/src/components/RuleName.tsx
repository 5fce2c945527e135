import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRule } from '../lib/rules';

// A rule's name in the user's language, with the contract's name on hover.
export default function RuleName({ rule }: { rule: string }) {
  const { t } = useTranslation();
  if (!isRule(rule)) return <span>{rule}</span>;
  return (
    <Tooltip title={rule}>
      <span>{t(`rules.${rule}`)}</span>
    </Tooltip>
  );
}
