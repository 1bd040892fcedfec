package wfm

import (
	"time"
	"unicode/utf8"

	"hotline"
)

// Staff records (人员档案): each member of the operator's team, with
// the posts they can take, their certification (the onboarding exam:
// no one takes calls before passing it) and the dates the contract asks
// for (confidentiality agreement 保密协议, background check), and their
// status; a manager who leaves announces it 30 days ahead.

// Member statuses.
const (
	MemberActive  = "active"   // 在岗
	MemberOnLeave = "on_leave" // 休假
	MemberLeaving = "leaving"  // 离职中 (notice given)
	MemberLeft    = "left"     // 已离职
)

// MemberStatusNames name the statuses.
var MemberStatusNames = map[string]string{MemberActive: "在岗", MemberOnLeave: "休假", MemberLeaving: "离职中", MemberLeft: "已离职"}

// PostNames name the posts.
var PostNames = map[string]string{PostCall: "话务", PostDispatcher: "工单派发", PostTeamLead: "班长", PostInspector: "质检",
	PostCallback: "回访", PostSpecialist: "专席"}

// ManagerNoticeDays is how long ahead a manager announces leaving.
const ManagerNoticeDays = 30

// Member is a staff record. Name, Phone and IDNumber are personal data:
// sealed at rest like a requester's.
type Member struct {
	ID                  int64    `json:"id"`
	UserID              int64    `json:"user_id,omitempty"` // the account, where they have one
	Name                string   `json:"name"`
	Phone               string   `json:"phone,omitempty"`
	IDNumber            string   `json:"id_number,omitempty"`
	Posts               []string `json:"posts"`
	Skills              string   `json:"skills,omitempty"` // 专席 topics …
	Education           string   `json:"education,omitempty"`
	Manager             bool     `json:"manager"` // one of the three managers (PM, ops supervisor, analyst)
	Reserve             bool     `json:"reserve"` // in the reserve pool (储备人员): trained standby staff
	Status              string   `json:"status"`
	HireDate            string   `json:"hire_date"`             // YYYY-MM-DD
	CertifiedDate       string   `json:"certified_date"`        // passed the onboarding exam; "" = not yet
	ConfidentialityDate string   `json:"confidentiality_date"`  // 保密协议 signed
	BackgroundCheckDate string   `json:"background_check_date"` // 背景审查
	NoticeDate          string   `json:"notice_date,omitempty"` // gave notice (leaving)
	LeaveDate           string   `json:"leave_date,omitempty"`  // last day (leaving, left)
}

// Certified reports whether the member passed the onboarding exam.
func (m Member) Certified() bool { return m.CertifiedDate != "" }

// ShortNotice reports a manager's notice under ManagerNoticeDays.
func (m Member) ShortNotice() bool {
	if !m.Manager || m.NoticeDate == "" || m.LeaveDate == "" {
		return false
	}
	n, err1 := time.Parse("2006-01-02", m.NoticeDate)
	l, err2 := time.Parse("2006-01-02", m.LeaveDate)
	return err1 == nil && err2 == nil && l.Sub(n) < ManagerNoticeDays*24*time.Hour
}

// Check refuses a record that makes no sense, naming the field.
func (m Member) Check() error {
	if n := utf8.RuneCountInString(m.Name); n == 0 || n > 40 {
		return hotline.Invalid("name", "姓名不能为空且不超过40字")
	}
	if len(m.Posts) == 0 {
		return hotline.Invalid("posts", "至少选择一个岗位")
	}
	for _, p := range m.Posts {
		if _, ok := PostNames[p]; !ok {
			return hotline.Invalid("posts", "未知岗位 %s", p)
		}
	}
	if _, ok := MemberStatusNames[m.Status]; !ok {
		return hotline.Invalid("status", "状态应为 active、on_leave、leaving 或 left")
	}
	for _, d := range []struct{ field, value string }{{"hire_date", m.HireDate}, {"certified_date", m.CertifiedDate},
		{"confidentiality_date", m.ConfidentialityDate}, {"background_check_date", m.BackgroundCheckDate},
		{"notice_date", m.NoticeDate}, {"leave_date", m.LeaveDate}} {
		if d.value == "" {
			if d.field == "hire_date" {
				return hotline.Invalid("hire_date", "请填写入职日期")
			}
			continue
		}
		if _, err := time.Parse("2006-01-02", d.value); err != nil {
			return hotline.Invalid(d.field, "日期应为 YYYY-MM-DD")
		}
	}
	if (m.Status == MemberLeaving || m.Status == MemberLeft) && m.LeaveDate == "" {
		return hotline.Invalid("leave_date", "离职须填写离职日期")
	}
	if m.Status == MemberLeaving && m.NoticeDate == "" {
		return hotline.Invalid("notice_date", "离职中须填写提出离职的日期")
	}
	if utf8.RuneCountInString(m.Skills) > 200 || utf8.RuneCountInString(m.Education) > 40 {
		return hotline.Invalid("skills", "技能不超过200字，学历不超过40字")
	}
	return nil
}
