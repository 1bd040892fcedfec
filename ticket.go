package hotline

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a ticket is in its lifecycle.
type Status string

// Ticket states (see DESIGN.md).
const (
	StatusAccepted        Status = "accepted"         // 已受理
	StatusPendingDispatch Status = "pending_dispatch" // 待派单
	StatusDispatched      Status = "dispatched"       // 待签收
	StatusHandling        Status = "handling"         // 办理中
	StatusSuspended       Status = "suspended"        // 挂起
	StatusReplied         Status = "replied"          // 待审核
	StatusConcluded       Status = "concluded"        // 已办结
	StatusArchived        Status = "archived"         // 已归档
	StatusMerged          Status = "merged"           // 已并单
	StatusCancelled       Status = "cancelled"        // 已作废
)

// Statuses lists every state in lifecycle order.
var Statuses = []Status{StatusAccepted, StatusPendingDispatch, StatusDispatched, StatusHandling,
	StatusSuspended, StatusReplied, StatusConcluded, StatusArchived, StatusMerged, StatusCancelled}

var statusNames = map[Status]string{
	StatusAccepted: "已受理", StatusPendingDispatch: "待派单", StatusDispatched: "待签收",
	StatusHandling: "办理中", StatusSuspended: "挂起", StatusReplied: "待审核",
	StatusConcluded: "已办结", StatusArchived: "已归档", StatusMerged: "已并单", StatusCancelled: "已作废",
}

// Valid reports whether s is a known state.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// Label is the Chinese name of the state.
func (s Status) Label() string { return statusNames[s] }

// Open reports whether a ticket in this state is still being worked on.
func (s Status) Open() bool {
	switch s {
	case StatusArchived, StatusMerged, StatusCancelled, StatusConcluded:
		return false
	}
	return true
}

// AppealKind is the kind of appeal (诉求类型).
type AppealKind string

// The six appeal kinds.
const (
	Consult   AppealKind = "consult"   // 咨询
	Help      AppealKind = "help"      // 求助
	Complaint AppealKind = "complaint" // 投诉
	Report    AppealKind = "report"    // 举报
	Suggest   AppealKind = "suggest"   // 建议
	Praise    AppealKind = "praise"    // 表扬
)

// AppealKinds lists the six kinds.
var AppealKinds = []AppealKind{Consult, Help, Complaint, Report, Suggest, Praise}

var appealKindNames = map[AppealKind]string{Consult: "咨询", Help: "求助", Complaint: "投诉",
	Report: "举报", Suggest: "建议", Praise: "表扬"}

// Valid reports whether k is one of the six kinds.
func (k AppealKind) Valid() bool { _, ok := appealKindNames[k]; return ok }

// Label is the Chinese name of the kind.
func (k AppealKind) Label() string { return appealKindNames[k] }

// Channel is where an appeal came in.
type Channel string

// Channels.
const (
	ChannelPhone       Channel = "phone"        // 电话
	ChannelWeb         Channel = "web"          // 网络留言
	ChannelWechat      Channel = "wechat"       // 公众号
	ChannelGovPlatform Channel = "gov_platform" // 政务平台
	ChannelSMS         Channel = "sms"          // 短信
	ChannelEmail       Channel = "email"        // 邮件
)

var channelNames = map[Channel]string{ChannelPhone: "电话", ChannelWeb: "网络留言", ChannelWechat: "公众号",
	ChannelGovPlatform: "政务平台", ChannelSMS: "短信", ChannelEmail: "邮件"}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { _, ok := channelNames[c]; return ok }

// Label is the Chinese name of the channel.
func (c Channel) Label() string { return channelNames[c] }

// Urgency is how fast a ticket must move.
type Urgency string

// Urgencies.
const (
	Normal    Urgency = "normal"    // 一般
	Urgent    Urgency = "urgent"    // 紧急
	Emergency Urgency = "emergency" // 特急
)

// Urgencies lists them from least to most urgent.
var Urgencies = []Urgency{Normal, Urgent, Emergency}

// Valid reports whether u is a known urgency.
func (u Urgency) Valid() bool { return u == Normal || u == Urgent || u == Emergency }

// Rating is the requester's verdict at callback.
type Rating string

// Ratings.
const (
	Satisfied          Rating = "satisfied"           // 满意
	BasicallySatisfied Rating = "basically_satisfied" // 基本满意
	Unsatisfied        Rating = "unsatisfied"         // 不满意
)

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return r == Satisfied || r == BasicallySatisfied || r == Unsatisfied }

// Requester is the citizen behind an appeal. Every field is personal data:
// storage seals it in one place, and only that place reads it back.
type Requester struct {
	Anonymous bool   `json:"anonymous"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
}

// Reachable reports whether the centre can call the requester back: an
// anonymous requester may leave a phone for that and nothing else.
func (r Requester) Reachable() bool { return r.Phone != "" }

// Location is where the problem is.
type Location struct {
	Address string   `json:"address"`
	UnitID  int64    `json:"unit_id,omitempty"` // district/county or township the place belongs to
	Lat     *float64 `json:"lat,omitempty"`
	Lng     *float64 `json:"lng,omitempty"`
}

// Ticket is one appeal moving through the lifecycle.
type Ticket struct {
	ID         int64      `json:"id"`
	Number     string     `json:"number"`
	Channel    Channel    `json:"channel"`
	AppealKind AppealKind `json:"appeal_kind"`
	CategoryID int64      `json:"category_id"`
	Urgency    Urgency    `json:"urgency"`
	Title      string     `json:"title"`
	Content    string     `json:"content"`
	// The citizen's own words, kept at the first correction of each.
	OriginalTitle   string    `json:"original_title,omitempty"`
	OriginalContent string    `json:"original_content,omitempty"`
	Requester       Requester `json:"requester"`
	Location        Location  `json:"location"`
	Confidential    bool      `json:"confidential"`
	Status          Status    `json:"status"`
	OwnerID         int64     `json:"owner_id"`
	LeadUnitID      int64     `json:"lead_unit_id,omitempty"`
	CoUnitIDs       []int64   `json:"co_unit_ids"`
	Designated      bool      `json:"designated"`
	ReturnCount     int       `json:"return_count"`
	ReturnReason    string    `json:"return_reason,omitempty"` // of the latest return, until re-dispatched
	ReopenCount     int       `json:"reopen_count"`
	RepeatCalls     int       `json:"repeat_calls"` // the citizen called again about it (重复来电)
	UrgeCount       int       `json:"urge_count"`   // of which to urge (市民催办)
	MergedInto      int64     `json:"merged_into,omitempty"`
	HandlerID       int64     `json:"handler_id,omitempty"` // the lead unit's named handler (经办人), once assigned

	// Return review: the latest return request (waiting or decided), the
	// unit an approved one suggested (until the next dispatch) and the
	// units whose returns were approved.
	ReturnRequest   *ReturnRequest `json:"return_request,omitempty"`
	SuggestedUnitID int64          `json:"suggested_unit_id,omitempty"`
	ReturnedUnitIDs []int64        `json:"returned_unit_ids,omitempty"`

	// Sub-dispatch (二级派单): the child unit the lead forwarded it to,
	// where it stands there, and the child's reply for the lead to review.
	SubUnitID int64  `json:"sub_unit_id,omitempty"`
	SubStatus string `json:"sub_status,omitempty"`
	SubReply  string `json:"sub_reply,omitempty"`

	// Time limits. The clock of a ticket is office time unless its policy
	// counts in calendar time (emergencies).
	AckDueAt      *time.Time `json:"acknowledge_due_at,omitempty"`
	ReturnDueAt   *time.Time `json:"return_due_at,omitempty"`
	ReplyStartAt  *time.Time `json:"reply_start_at,omitempty"`
	ReplyDueAt    *time.Time `json:"reply_due_at,omitempty"`
	CallbackDueAt *time.Time `json:"callback_due_at,omitempty"`
	NextDueKind   string     `json:"next_due_kind,omitempty"` // acknowledge, reply, callback
	NextDueAt     *time.Time `json:"next_due_at,omitempty"`
	NextWarnAt    *time.Time `json:"next_warn_at,omitempty"`
	SLAState      string     `json:"sla_state"` // ok, warning, overdue
	CalendarClock bool       `json:"calendar_clock"`
	WarningShare  float64    `json:"-"`

	// Pending unit request (extension or suspension) awaiting the centre.
	PendingRequest string     `json:"pending_request,omitempty"` // extension, suspend, return
	PendingDays    int        `json:"pending_days,omitempty"`
	PendingReason  string     `json:"pending_reason,omitempty"`
	SuspendedAt    *time.Time `json:"suspended_at,omitempty"`

	Reply            string `json:"reply,omitempty"`
	ResolvedOnCall   bool   `json:"resolved_on_call"`
	CallbackDone     bool   `json:"callback_done"`
	CallbackAttempts int    `json:"callback_attempts"`
	Rating           Rating `json:"rating,omitempty"`
	Resolved         *bool  `json:"resolved,omitempty"`

	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DispatchedAt *time.Time `json:"dispatched_at,omitempty"`
	ConcludedAt  *time.Time `json:"concluded_at,omitempty"`
	ArchivedAt   *time.Time `json:"archived_at,omitempty"`

	Events      []*Event      `json:"events,omitempty"`
	Attachments []*Attachment `json:"attachments,omitempty"` // with the timeline, not in lists
	Calls       []*Call       `json:"calls,omitempty"`       // the calls it was accepted on (caller masked)
}

// Event is one step of a ticket's timeline, written in the same transaction
// as the change it records.
type Event struct {
	ID         int64          `json:"id"`
	TicketID   int64          `json:"ticket_id"`
	Action     Action         `json:"action"`
	ActorID    int64          `json:"actor_id,omitempty"` // 0: the system (sweep)
	ActorName  string         `json:"actor_name,omitempty"`
	FromStatus Status         `json:"from_status"`
	ToStatus   Status         `json:"to_status"`
	Reason     string         `json:"reason,omitempty"`
	Payload    map[string]any `json:"payload,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
}

// Validate checks a new ticket's fields, naming the first bad one.
func (t *Ticket) Validate() error {
	switch {
	case !t.Channel.Valid():
		return Invalid("channel", "渠道无效，应为 phone、web、wechat、gov_platform、sms 或 email")
	case !t.AppealKind.Valid():
		return Invalid("appeal_kind", "诉求类型无效，应为 consult、help、complaint、report、suggest 或 praise")
	case t.CategoryID <= 0:
		return Invalid("category_id", "请选择诉求分类")
	case !t.Urgency.Valid():
		return Invalid("urgency", "紧急程度无效，应为 normal、urgent 或 emergency")
	}
	t.Title = TrimText(t.Title)
	t.Content = TrimText(t.Content)
	if err := checkText("title", "标题", t.Title, 1, 200); err != nil {
		return err
	}
	if err := checkText("content", "诉求内容", t.Content, 1, 20000); err != nil {
		return err
	}
	r := &t.Requester
	r.Name, r.Phone, r.Address = TrimText(r.Name), NormalizePhone(r.Phone), TrimText(r.Address)
	if r.Anonymous { // anonymous means anonymous: no name, no address is stored
		r.Name, r.Address = "", ""
	} else {
		if err := checkText("requester.name", "诉求人姓名", r.Name, 1, 50); err != nil {
			return err
		}
		if r.Phone == "" {
			return Invalid("requester.phone", "请填写诉求人联系电话（匿名诉求请勾选匿名）")
		}
	}
	if r.Phone != "" && (len(r.Phone) < 5 || len(r.Phone) > 20) {
		return Invalid("requester.phone", "联系电话格式不正确")
	}
	if err := checkText("requester.address", "诉求人地址", r.Address, 0, 200); err != nil {
		return err
	}
	t.Location.Address = TrimText(t.Location.Address)
	if err := checkText("location.address", "事发地址", t.Location.Address, 1, 200); err != nil {
		return err
	}
	if l := t.Location.Lat; l != nil && (*l < -90 || *l > 90) {
		return Invalid("location.lat", "纬度必须在 -90 到 90 之间")
	}
	if l := t.Location.Lng; l != nil && (*l < -180 || *l > 180) {
		return Invalid("location.lng", "经度必须在 -180 到 180 之间")
	}
	return nil
}

// checkText checks a field's characters (CheckInput) and its length;
// "required" (minLen ≥ 1) means at least one visible character.
func checkText(field, label, s string, minLen, maxLen int) error {
	if err := CheckInput(field, s); err != nil {
		return err
	}
	n := utf8.RuneCountInString(s)
	if n < minLen || (minLen > 0 && Blank(s)) {
		return Invalid(field, "请填写%s", label)
	} else if n > maxLen {
		return Invalid(field, "%s不能超过%d个字", label, maxLen)
	}
	return nil
}

// NormalizePhone keeps the digits of a phone number and drops a leading
// +86/0086 country code, so that one caller has one number.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		}
	}
	p := b.String()
	for { // until no prefix is left, so that normalising twice changes nothing
		if strings.HasPrefix(p, "0086") {
			p = p[4:]
		} else if strings.HasPrefix(p, "86") && len(p) == 13 {
			p = p[2:]
		} else {
			return p
		}
	}
}
