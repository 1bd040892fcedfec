package hotline

import "strings"

// auditActions names the audit log's actions in Chinese; ticket actions
// (ticket.dispatch) and knowledge-base reviews (kb.publish) take their
// lifecycle's labels.
var auditActions = map[string]string{
	"auth.login": "登录", "auth.login_failed": "登录失败", "auth.locked": "锁定期间尝试登录", "auth.revoke": "注销令牌",
	"user.create": "添加用户", "user.update": "修改用户", "user.reset_password": "重置密码", "user.change_password": "修改本人密码",
	"caller.lookup": "查询来电历史", "caller.lookup_refused": "来电历史查询被拒", "security.alert": "安全告警", "security.alert_resolved": "处理安全告警",
	"ticket.reveal": "查看诉求人完整信息", "export.tickets": "导出工单", "backup.create": "备份", "keys.rotate": "轮换数据密钥",
	"config.calendar": "修改工作日历", "config.catalogue": "发布派单目录", "config.categories_import": "导入诉求分类",
	"config.sla_policy": "修改时限规则", "config.unit": "添加承办单位", "config.units_import": "导入承办单位",
	"dispatch.train": "训练派单模型", "dispatch.activate": "启用派单模型", "dispatch.auto": "设置自动派单", "dispatch.retrain": "设置定期训练",
	"kb.create": "新建知识库文章", "kb.update": "修改知识库文章", "kb.attach": "上传知识库附件", "kb.import": "导入知识库", "kb.dictionary": "修改检索词典",
}

// ActionLabel is the entry's action in Chinese ("" for an unknown one:
// the page shows the code).
func (e *AuditEntry) ActionLabel() string {
	if l, ok := auditActions[e.Action]; ok {
		return l
	}
	if a, ok := strings.CutPrefix(e.Action, "ticket."); ok && Action(a).Label() != "" {
		return Action(a).Label() // the object says 工单
	}
	if a, ok := strings.CutPrefix(e.Action, "kb."); ok && ReviewAction(a).Label() != "" {
		return ReviewAction(a).Label()
	}
	return ""
}

var auditTargets = map[string]string{"ticket": "工单", "user": "用户", "kb": "知识库文章", "token": "令牌", "phone": "来电",
	"alert": "告警", "file": "文件", "model": "派单模型", "unit": "单位"}

// TargetKind is the kind of the entry's object in Chinese (工单, 用户), ""
// when the target is not of a known kind.
func (e *AuditEntry) TargetKind() string {
	if e.Target == "tickets" {
		return "工单"
	}
	kind, _, ok := strings.Cut(e.Target, ":")
	if !ok {
		return ""
	}
	return auditTargets[kind]
}

// TargetName is the entry's object without its kind: PX20261201000001
// #209 for ticket:209 PX20261201000001; the whole target when its kind
// is unknown.
func (e *AuditEntry) TargetName() string {
	if e.TargetKind() == "" || e.Target == "tickets" {
		if e.Target == "tickets" {
			return ""
		}
		return e.Target
	}
	kind, rest, _ := strings.Cut(e.Target, ":")
	if id, name, named := strings.Cut(rest, " "); named && kind != "phone" {
		return name + " #" + id
	}
	return rest
}
