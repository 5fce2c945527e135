// 中文（默认）: the incident desk (事件台) — back office and MSS mobile pages.
const deskZh = {
  nav: { queue: '事件队列', notifications: '通知', settings: '事件台设置', import: 'ITSM 导入', users: '用户', desk: '事件台' },
  login: {
    title: '登录', user: '用户名', password: '密码', submit: '登录', wrong: '用户名或密码错误',
    throttled: '登录失败次数过多，请 {{s}} 秒后再试', required: '请填写{{field}}',
    mustChange: '首次登录请修改密码', current: '当前密码', next: '新密码', repeat: '再次输入新密码',
    mismatch: '两次输入的新密码不一致', change: '修改密码', changed: '密码已修改',
    logout: '退出登录', logoutAll: '退出所有设备', login: '登录', needed: '请先登录',
  },
  status: { new: '新建', accepted: '处理中', transferred: '已转派', resolved: '已解决', closed: '已关闭' },
  class: { data: '数据类', program: '程序类', consultation: '咨询类' },
  sla: { ok: '正常', at_risk: '即将超时', breached: '已超时', met: '已达成', missed: '超时完成', due: '截止 {{t}}' },
  role: { reporter: '报告人', member: '组员', handler: '处理人', admin: '管理员' },
  group: { test: '测试组', dev: '开发组', ops: '运维组', product: '产品组' },
  field: {
    ref: '编号', title: '标题', description: '问题描述', system: '系统', priority: '优先级', class: '分类',
    subcategory: '子类', status: '状态', assignee: '处理人', group: '处理组', reporter: '报告人', sla: 'SLA',
    created: '报告时间', occurred: '发生时间', unread: '未读', customer: '客户信息', customer_no: '客户号',
    account: '账号', name: '姓名', phone: '手机', channel: '渠道', cause: '原因', solution: '解决方案',
    updated: '更新时间',
  },
  queue: {
    title: '事件队列', mine: '我的', anyAssignee: '全部处理人', search: '搜索标题 / 描述 / 编号',
    slaFilter: 'SLA', newIncidents: '{{n}} 条新事件', more: '加载更多', empty: '没有事件', refresh: '刷新',
  },
  incident: {
    details: '详情', history: '处理记录', conversation: '沟通', scripts: '数据修复脚本', attachments: '附件',
    reply: '回复', internal: '内部备注', internalTag: '内部', send: '发送', placeholder: '输入消息…',
    systemMsg: '系统', read: '已读', newMessages: '以下为新消息', noMessages: '暂无消息', fromAlert: '来自告警',
  },
  action: {
    accept: '受理', assign: '指派', transfer: '转派', return: '退回', take_back: '收回', resolve: '解决',
    close: '关闭', reopen: '重新打开', confirm: '确认解决', note: '说明', reason: '原因', assignee: '处理人',
    done: '已完成：{{a}}', ok: '确定',
  },
  history: {
    create: '报告', accept: '受理', assign: '指派', transfer: '转派', return: '退回', take_back: '收回',
    resolve: '解决', confirm: '确认', close: '关闭', reopen: '重新打开', update: '修改', script_add: '添加脚本',
    script_approve: '批准脚本', script_reject: '驳回脚本', script_result: '记录执行结果', attachment_add: '添加附件',
    sla_at_risk: 'SLA 即将超时', sla_breached: 'SLA 已超时',
  },
  script: {
    add: '添加脚本', description: '说明', content: '脚本内容', approve: '批准', reject: '驳回', comment: '审批意见',
    result: '记录结果', succeeded: '执行成功', failed: '执行失败', output: '执行输出',
    status: { pending: '待审批', approved: '已批准', rejected: '已驳回', executed: '已执行', failed: '执行失败' },
  },
  settings: {
    title: '事件台设置', systems: '系统', subcategories: '子类', addSub: '添加子类', sla: 'SLA 目标（工作分钟）',
    firstResponse: '首次响应', resolution: '解决', hours: '工作时间', start: '开始', end: '结束', saved: '已保存',
    disable: '停用', enable: '启用', addSystem: '添加系统',
  },
  import: {
    title: 'ITSM 历史工单导入', file: '选择 CSV 文件', mapping: '列对应', column: 'CSV 列', dryRun: '试导入',
    run: '导入', rows: '共 {{rows}} 行，有效 {{valid}} 行', imported: '已导入 {{n}} 条', row: '行', field: '字段',
    message: '错误', noErrors: '没有错误', ignore: '（不导入）',
  },
  users: {
    name: '用户名', role: '角色', groups: '所属组', email: '邮箱', created: '创建时间', create: '新建用户',
    edit: '修改用户 {{name}}', editButton: '修改', disabled: '已停用', active: '正常', mustChange: '需改密码',
    emailHelp: '该用户报告的问题有回复或解决时，也发邮件到这里；留空则不发', passwordHelp: '留空则由系统生成，只显示一次',
    generated: '{{name}} 的初始密码（只显示这一次，首次登录须修改）',
  },
  me: {
    account: '账号', user: '用户名', email: '邮箱', noEmail: '未设置', setEmail: '我的邮箱', save: '保存',
    saved: '已保存', explain: '您报告的问题有回复或已解决时，也会发邮件到这个地址（留空则只在这里通知）。',
  },
  notify: { title: '通知', empty: '没有通知', readAll: '全部已读', unread: '未读' },
  alert: { open: '建事件', opened: '已建事件 {{ref}}' },
  mss: {
    title: '问题报告', report: '报告问题', mine: '我的报告', notifications: '通知', submit: '提交',
    time: '发生时间', now: '现在', screenshots: '截图', pick: '添加截图', notImage: '{{name}}：只能上传图片',
    tooLarge: '{{name}}：图片超过 5 MB', uploadFailed: '{{name}}：{{msg}}', reported: '已提交 {{ref}}',
    confirmDone: '已解决，确认', reopen: '未解决，重新打开', reopenReason: '仍有什么问题？', offline: '离线：消息将在恢复连接后发送',
    pending: '发送中', back: '返回', lang: 'EN', empty: '还没有报告', me: '我的',
    refused: '{{name}}：服务器拒收，不是可接受的图片（{{msg}}）', addImages: '添加图片', images: '{{n}} 张图片',
    imagesNeedConnection: '带图片的回复需要网络连接，恢复连接后请再点发送（文字和图片已保留）',
  },
};

export default deskZh;
