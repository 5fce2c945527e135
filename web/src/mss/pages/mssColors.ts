// Status colours in antd-mobile's palette.
import type { Status } from '../../desk/types';

export const MSS_STATUS_COLOR: Record<Status, string> = {
  new: 'primary',
  accepted: 'warning',
  transferred: '#7c4dff',
  resolved: 'success',
  closed: 'default',
};
