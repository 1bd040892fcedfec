package hotline

import (
	"time"
	"unicode/utf8"
)

// Role is what a user does at the hotline; permissions follow from it.
type Role string

// Roles (GLOSSARY), plus admin, the centre's read-only supervisor and the
// staff of handling units.
const (
	RoleAdmin          Role = "admin"
	RoleCallAgent      Role = "call_agent"      // 话务员
	RoleDispatcher     Role = "dispatcher"      // 工单员
	RoleInspector      Role = "inspector"       // 质检员
	RoleCallbackAgent  Role = "callback_agent"  // 回访员
	RoleTeamLead       Role = "team_lead"       // 班长
	RoleProjectManager Role = "project_manager" // 项目经理
	RoleOpsSupervisor  Role = "ops_supervisor"  // 运营主管
	RoleAnalyst        Role = "analyst"         // 数据分析员
	RoleSupervisor     Role = "supervisor"      // 中心监管（只读）
	RoleUnit           Role = "unit"            // 承办单位
)

var roleNames = map[Role]string{
	RoleAdmin: "系统管理员", RoleCallAgent: "话务员", RoleDispatcher: "工单员", RoleInspector: "质检员",
	RoleCallbackAgent: "回访员", RoleTeamLead: "班长", RoleProjectManager: "项目经理",
	RoleOpsSupervisor: "运营主管", RoleAnalyst: "数据分析员", RoleSupervisor: "中心监管", RoleUnit: "承办单位",
}

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleCallAgent, RoleDispatcher, RoleInspector, RoleCallbackAgent,
	RoleTeamLead, RoleProjectManager, RoleOpsSupervisor, RoleAnalyst, RoleSupervisor, RoleUnit}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// Label is the Chinese name of the role.
func (r Role) Label() string { return roleNames[r] }

// User is someone who logs in.
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        Role      `json:"role"`
	UnitID      int64     `json:"unit_id,omitempty"` // for RoleUnit
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
	// MustChangePassword: the password was set by an admin (a reset); the
	// user may do nothing else until they choose their own.
	MustChangePassword bool `json:"must_change_password"`
}

// Validate checks a user's name, role and unit (the username is checked
// once, at creation): a unit user belongs to exactly one unit, nobody else
// to any. The display name is trimmed.
func (u *User) Validate() error {
	if err := CheckInput("display_name", u.DisplayName); err != nil {
		return err
	}
	if u.DisplayName = TrimText(u.DisplayName); u.DisplayName == "" || utf8.RuneCountInString(u.DisplayName) > 100 {
		return Invalid("display_name", "姓名必填，不超过100个字")
	}
	if !u.Role.Valid() {
		return Invalid("role", "角色无效")
	}
	if (u.Role == RoleUnit) != (u.UnitID != 0) {
		return Invalid("unit_id", "承办单位用户必须且只能指定所属单位")
	}
	return nil
}

// CanOwnTickets reports whether the user may be a ticket's owner (首接负责
// 人) after a transfer: an active centre member who accepts tickets —
// never a unit, an analyst or a read-only supervisor.
func (u *User) CanOwnTickets() bool { return u.Active && u.Role.Can(ActionAccept) }

// Actor is who performs an action: the system sweep is the zero Actor.
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	UnitID int64
	IP     string // client address, for the audit log
}

// ActorOf returns the actor for a user.
func ActorOf(u *User) Actor {
	return Actor{UserID: u.ID, Name: u.DisplayName, Role: u.Role, UnitID: u.UnitID}
}

// Centre reports whether the actor works at the hotline centre (not a unit).
func (a Actor) Centre() bool { return a.Role != RoleUnit && a.Role != "" }

// permissions is the role × action table. Unit actions are further limited
// to the ticket's lead unit by Ticket.Apply.
var permissions = map[Action][]Role{
	ActionAccept:           {RoleCallAgent, RoleDispatcher, RoleTeamLead},
	ActionSubmit:           {RoleCallAgent, RoleDispatcher, RoleTeamLead},
	ActionResolveOnCall:    {RoleCallAgent, RoleTeamLead},
	ActionDispatch:         {RoleDispatcher, RoleTeamLead},
	ActionDesignate:        {RoleTeamLead, RoleProjectManager, RoleOpsSupervisor},
	ActionAcknowledge:      {RoleUnit},
	ActionReturn:           {RoleUnit},
	ActionReviewReturn:     {RoleDispatcher, RoleTeamLead},
	ActionRequestExtension: {RoleUnit},
	ActionApproveExtension: {RoleDispatcher, RoleTeamLead, RoleProjectManager},
	ActionRefuseExtension:  {RoleDispatcher, RoleTeamLead, RoleProjectManager},
	ActionRequestSuspend:   {RoleUnit},
	ActionApproveSuspend:   {RoleDispatcher, RoleTeamLead, RoleProjectManager},
	ActionRefuseSuspend:    {RoleDispatcher, RoleTeamLead, RoleProjectManager},
	ActionResume:           {RoleUnit, RoleDispatcher, RoleTeamLead},
	ActionReply:            {RoleUnit},
	ActionReview:           {RoleDispatcher, RoleTeamLead, RoleProjectManager},
	ActionSupervise:        {RoleDispatcher, RoleTeamLead, RoleProjectManager, RoleOpsSupervisor},
	ActionUrge:             {RoleDispatcher, RoleTeamLead, RoleProjectManager, RoleOpsSupervisor},
	ActionCallback:         {RoleCallbackAgent, RoleTeamLead},
	ActionReopen:           {RoleCallbackAgent, RoleDispatcher, RoleTeamLead},
	ActionMerge:            {RoleDispatcher, RoleTeamLead},
	ActionCancel:           {RoleCallAgent, RoleDispatcher, RoleTeamLead},
	ActionArchive:          {RoleCallbackAgent, RoleTeamLead, RoleProjectManager},
	ActionTransfer:         {RoleTeamLead, RoleProjectManager},
	ActionAssign:           {RoleUnit},
	ActionCorrect:          {RoleDispatcher, RoleTeamLead},
	ActionSupplement:       {RoleCallAgent, RoleDispatcher, RoleTeamLead},
	ActionForward:          {RoleUnit},
	ActionReviewSub:        {RoleUnit},
}

// Can reports whether the role may take the action at all (state and unit
// checks come on top).
func (r Role) Can(a Action) bool {
	for _, x := range permissions[a] {
		if x == r {
			return true
		}
	}
	return false
}

// CanSeeTicket reports whether the actor may read the ticket: the centre
// sees every ticket, a unit only those dispatched to it as lead or co-unit
// and those its parent forwarded to it (sub-dispatch).
func (a Actor) CanSeeTicket(t *Ticket) bool {
	if a.Centre() {
		return true
	}
	if a.Role != RoleUnit || a.UnitID == 0 {
		return false
	}
	if t.LeadUnitID == a.UnitID || t.SubUnitID == a.UnitID { // a child unit sees what was forwarded to it
		return true
	}
	for _, id := range t.CoUnitIDs {
		if id == a.UnitID {
			return true
		}
	}
	return false
}

// Permission is something a role may do besides ticket actions: a page, an
// export, a kind of data. Checked in one place (Role.Has) for pages, the
// API and exports alike.
type Permission string

// Permissions.
const (
	PermRevealRequester Permission = "ticket.reveal"     // see a requester's name, phone and address unmasked
	PermExportTickets   Permission = "ticket.export"     // export ticket lists
	PermReadAudit       Permission = "audit.read"        // search the audit log
	PermManageConfig    Permission = "config.manage"     // units, categories, catalogue, calendar, time limits
	PermManageUsers     Permission = "user.manage"       // users, roles, tokens of others
	PermRotateKeys      Permission = "keys.rotate"       // data-key rotation
	PermEditKB          Permission = "kb.edit"           // write knowledge-base articles and send them for review
	PermPublishKB       Permission = "kb.publish"        // publish, send back and retire articles
	PermCallerHistory   Permission = "caller.history"    // look up a caller's earlier tickets by phone (limited, audited)
	PermCallStats       Permission = "call.stats"        // every agent's and queue's call figures (a call agent sees its own)
	PermStats           Permission = "stats.read"        // the centre's statistics, ledgers, hotspots and early warnings
	PermWriteReports    Permission = "report.write"      // write the operations reports' analysis and submit them to the centre
	PermHandleWarnings  Permission = "warning.handle"    // acknowledge and close the early warnings (预测预警)
	PermManageStaff     Permission = "staff.manage"      // the staff records (人员档案) of the operator's team
	PermApproveRoster   Permission = "roster.approve"    // approve swaps, leave and attendance corrections
	PermDisclose        Permission = "disclosure.manage" // choose, redact and publish tickets on the portal (信息公开)
)

// rolePermissions is the role × permission table.
var rolePermissions = map[Role][]Permission{
	RoleAdmin:          {PermManageConfig, PermManageUsers, PermReadAudit, PermRotateKeys, PermEditKB, PermPublishKB},
	RoleCallAgent:      {PermRevealRequester, PermCallerHistory},
	RoleDispatcher:     {PermExportTickets, PermCallerHistory},
	RoleInspector:      {PermExportTickets, PermEditKB, PermCallStats},
	RoleCallbackAgent:  {PermRevealRequester, PermCallerHistory},
	RoleTeamLead:       {PermRevealRequester, PermExportTickets, PermEditKB, PermCallerHistory, PermCallStats, PermStats, PermHandleWarnings, PermApproveRoster, PermDisclose},
	RoleProjectManager: {PermRevealRequester, PermExportTickets, PermEditKB, PermPublishKB, PermCallStats, PermStats, PermWriteReports, PermHandleWarnings, PermManageStaff, PermApproveRoster, PermDisclose},
	RoleOpsSupervisor:  {PermExportTickets, PermEditKB, PermPublishKB, PermCallStats, PermStats, PermWriteReports, PermHandleWarnings, PermManageStaff, PermApproveRoster, PermDisclose},
	RoleAnalyst:        {PermExportTickets, PermCallStats, PermStats, PermWriteReports},
	RoleSupervisor:     {PermReadAudit, PermExportTickets, PermCallStats, PermStats},
	RoleUnit:           {PermRevealRequester}, // only on its own, non-confidential tickets
}

// Has reports whether the role holds the permission.
func (r Role) Has(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// CanRevealRequester reports whether the actor may reveal the requester of a
// ticket it can see: never a unit on a confidential (保密) or anonymous
// (匿名) ticket — an anonymous ticket keeps only the phone, for the
// centre's callback.
func (a Actor) CanRevealRequester(t *Ticket) bool {
	if !a.Role.Has(PermRevealRequester) || !a.CanSeeTicket(t) {
		return false
	}
	return a.Centre() || !t.HidesRequesterFromUnits()
}

// HidesRequesterFromUnits reports whether units may know nothing of the
// requester: a confidential or an anonymous appeal.
func (t *Ticket) HidesRequesterFromUnits() bool { return t.Confidential || t.Requester.Anonymous }

// RedactFor masks the requester for display: everyone sees the masked form
// (张*, 138****5678, a shortened address) until they reveal it, and units
// never see the requester of a confidential (保密) or anonymous ticket at
// all.
func (t *Ticket) RedactFor(a Actor) {
	r := &t.Requester
	if t.HidesRequesterFromUnits() && !a.Centre() {
		name := "（保密）"
		if r.Anonymous {
			name = "（匿名）"
		}
		*r = Requester{Anonymous: r.Anonymous, Name: name}
		return
	}
	r.Name, r.Phone, r.Address = MaskName(r.Name), MaskPhone(r.Phone), MaskAddress(r.Address)
}
