// English: the incident desk — back office and MSS mobile pages (keys as in desk.zh.ts).
import type deskZh from './desk.zh';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

const deskEn: Shape<typeof deskZh> = {
  nav: { queue: 'Incident queue', notifications: 'Notifications', settings: 'Desk settings', import: 'ITSM import', users: 'Users', desk: 'Incident desk' },
  login: {
    title: 'Log in', user: 'User name', password: 'Password', submit: 'Log in', wrong: 'Wrong user name or password',
    throttled: 'Too many failed logins; try again in {{s}} s', required: '{{field}} is required',
    mustChange: 'Please change your password before going on', current: 'Current password', next: 'New password',
    repeat: 'New password again', mismatch: 'The two new passwords differ', change: 'Change password',
    changed: 'Password changed', logout: 'Log out', logoutAll: 'Log out everywhere', login: 'Log in',
    needed: 'Please log in first',
  },
  status: { new: 'New', accepted: 'In progress', transferred: 'Transferred', resolved: 'Resolved', closed: 'Closed' },
  class: { data: 'Data', program: 'Program', consultation: 'Consultation' },
  sla: { ok: 'OK', at_risk: 'At risk', breached: 'Breached', met: 'Met', missed: 'Missed', due: 'due {{t}}' },
  role: { reporter: 'Reporter', member: 'Member', handler: 'Handler', admin: 'Admin' },
  group: { test: 'Test', dev: 'Development', ops: 'Operations', product: 'Product' },
  field: {
    ref: 'Ref', title: 'Title', description: 'Description', system: 'System', priority: 'Priority', class: 'Class',
    subcategory: 'Subcategory', status: 'Status', assignee: 'Assignee', group: 'Group', reporter: 'Reporter', sla: 'SLA',
    created: 'Reported', occurred: 'Occurred', unread: 'Unread', customer: 'Customer', customer_no: 'Customer no.',
    account: 'Account', name: 'Name', phone: 'Phone', channel: 'Channel', cause: 'Cause', solution: 'Solution',
    updated: 'Updated',
  },
  queue: {
    title: 'Incident queue', mine: 'Mine', anyAssignee: 'Any assignee', search: 'Search title / description / ref',
    slaFilter: 'SLA', newIncidents: '{{n}} new', more: 'Load more', empty: 'No incidents', refresh: 'Refresh',
  },
  incident: {
    details: 'Details', history: 'History', conversation: 'Conversation', scripts: 'Data-fix scripts',
    attachments: 'Attachments', reply: 'Reply', internal: 'Internal note', internalTag: 'internal', send: 'Send',
    placeholder: 'Type a message…', systemMsg: 'system', read: 'read', newMessages: 'New messages', noMessages: 'No messages yet',
    fromAlert: 'From alert',
  },
  action: {
    accept: 'Accept', assign: 'Assign', transfer: 'Transfer', return: 'Return', take_back: 'Take back',
    resolve: 'Resolve', close: 'Close', reopen: 'Reopen', confirm: 'Confirm', note: 'Note', reason: 'Reason',
    assignee: 'Assignee', done: 'Done: {{a}}', ok: 'OK',
  },
  history: {
    create: 'reported', accept: 'accepted', assign: 'assigned', transfer: 'transferred', return: 'returned',
    take_back: 'took back', resolve: 'resolved', confirm: 'confirmed', close: 'closed', reopen: 'reopened',
    update: 'changed', script_add: 'added a script', script_approve: 'approved a script',
    script_reject: 'rejected a script', script_result: 'recorded a result', attachment_add: 'added an attachment',
    sla_at_risk: 'SLA at risk', sla_breached: 'SLA breached',
  },
  script: {
    add: 'Add script', description: 'Description', content: 'Script', approve: 'Approve', reject: 'Reject',
    comment: 'Comment', result: 'Record result', succeeded: 'Succeeded', failed: 'Failed', output: 'Output',
    status: { pending: 'pending', approved: 'approved', rejected: 'rejected', executed: 'executed', failed: 'failed' },
  },
  settings: {
    title: 'Desk settings', systems: 'Systems', subcategories: 'Subcategories', addSub: 'Add subcategory',
    sla: 'SLA targets (business minutes)', firstResponse: 'First response', resolution: 'Resolution',
    hours: 'Business hours', start: 'Start', end: 'End', saved: 'Saved', disable: 'Disable', enable: 'Enable',
    addSystem: 'Add system',
  },
  import: {
    title: 'Import ITSM tickets', file: 'Choose a CSV file', mapping: 'Column mapping', column: 'CSV column',
    dryRun: 'Dry run', run: 'Import', rows: '{{rows}} rows, {{valid}} valid', imported: '{{n}} imported', row: 'Row',
    field: 'Field', message: 'Error', noErrors: 'No errors', ignore: '(not imported)',
  },
  users: {
    name: 'User name', role: 'Role', groups: 'Groups', email: 'E-mail', created: 'Created', create: 'New user',
    edit: 'Edit user {{name}}', editButton: 'Edit', disabled: 'Disabled', active: 'Active', mustChange: 'Must change password',
    emailHelp: 'Replies to and resolutions of this user\'s reports are also mailed here; empty: no mail',
    passwordHelp: 'Empty: the server generates one, shown once', generated: 'Initial password of {{name}} (shown only now; to be changed at the first login)',
  },
  me: {
    account: 'Account', user: 'User name', email: 'E-mail', noEmail: 'not set', setEmail: 'My e-mail address', save: 'Save',
    saved: 'Saved', explain: 'Replies to your reports and their resolutions are also mailed to this address (empty: only here).',
  },
  notify: { title: 'Notifications', empty: 'No notifications', readAll: 'Mark all read', unread: 'unread' },
  alert: { open: 'Open incident', opened: 'Incident {{ref}} opened' },
  mss: {
    title: 'Report a problem', report: 'Report', mine: 'My reports', notifications: 'Notifications', submit: 'Submit',
    time: 'When', now: 'Now', screenshots: 'Screenshots', pick: 'Add screenshots',
    notImage: '{{name}}: only images can be uploaded', tooLarge: '{{name}}: the image is larger than 5 MB',
    uploadFailed: '{{name}}: {{msg}}', reported: '{{ref}} submitted', confirmDone: 'Solved, confirm',
    reopen: 'Not solved, reopen', reopenReason: 'What is still wrong?',
    offline: 'Offline: messages are sent when the connection returns', pending: 'sending', back: 'Back', lang: '中文',
    empty: 'No reports yet', me: 'Me',
    refused: '{{name}}: refused by the server, not an accepted image ({{msg}})', addImages: 'Add images',
    images: '{{n}} image(s)',
    imagesNeedConnection: 'A reply with images needs a connection; tap send again when it is back (text and images are kept)',
  },
};

export default deskEn;
