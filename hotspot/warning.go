package hotspot

import (
	"fmt"
	"strings"
)

// The kinds of an early warning (预测预警, early_warning).
const (
	WarnSurge     = "surge"      // a category's appeals in a district far above their baseline (激增)
	WarnHotspot   = "hotspot"    // a new hotspot (热点)
	WarnHardIssue = "hard_issue" // a hard issue (难点)
)

// The states of an early warning: raised, acknowledged by the team lead
// or a manager (已知悉), closed with a note (已处置).
const (
	WarnOpen         = "open"
	WarnAcknowledged = "acknowledged"
	WarnClosed       = "closed"
)

// WarnStatuses are the states in their order.
var WarnStatuses = []string{WarnOpen, WarnAcknowledged, WarnClosed}

// WarnKindNames and WarnStatusNames name the kinds and states.
var (
	WarnKindNames   = map[string]string{WarnSurge: "激增", WarnHotspot: "新热点", WarnHardIssue: "难点"}
	WarnStatusNames = map[string]string{WarnOpen: "待处理", WarnAcknowledged: "已知悉", WarnClosed: "已关闭"}
)

// WarnNext reports whether a warning in state from may be moved to to:
// open → acknowledged → closed, or open → closed.
func WarnNext(from, to string) bool {
	return from == WarnOpen && (to == WarnAcknowledged || to == WarnClosed) || from == WarnAcknowledged && to == WarnClosed
}

// HardRule says what makes a ticket a hard issue (难点); the zero value
// takes the defaults.
type HardRule struct {
	OpenDays     int // open (not concluded) longer than this many days (30)
	Reopens      int // reopened at least this often after 不满意 (2)
	Returns      int // returned by units at least this often: units passing it on (2)
	RepeatCalls  int // a caller with at least this many appeals … (3)
	RepeatDays   int // … within this many days, one still open (30)
	HotspotSize  int // a hotspot of at least this many appeals … (5)
	HotspotNew   int // … that began within this many days … (7)
	HotspotFresh int // … with one in the last this many days is warned of (2)
}

// WithDefaults fills the zero fields.
func (r HardRule) WithDefaults() HardRule {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&r.OpenDays, 30)
	def(&r.Reopens, 2)
	def(&r.Returns, 2)
	def(&r.RepeatCalls, 3)
	def(&r.RepeatDays, 30)
	def(&r.HotspotSize, 5)
	def(&r.HotspotNew, 7)
	def(&r.HotspotFresh, 2)
	return r
}

// Hard-issue reasons, in the subject of the warning.
const (
	HardOpenLong = "open_long"
	HardReopened = "reopened"
	HardReturned = "returned"
	HardRepeat   = "repeat_caller"
)

// SurgeText is a surge warning's title and evidence.
func SurgeText(day, district, category string, s Surge) (title, evidence string) {
	return fmt.Sprintf("%s「%s」诉求激增", district, category),
		fmt.Sprintf("%s 当日 %d 件，按前 28 天同区县同类诉求的基线（含星期规律）预计 %.1f 件；泊松分布下至少 %d 件的概率为 %.1e。", day, s.Count, s.Expected, s.Count, s.P)
}

// HotspotText is a new hotspot's title and evidence.
func HotspotText(title, place string, n, days, callers int, heat float64, first, last string) (string, string) {
	if place != "" {
		title = fmt.Sprintf("%s：%s", place, title)
	}
	return fmt.Sprintf("新热点 %s", title), fmt.Sprintf("%s 至 %s 共 %d 件诉求，分布在 %d 天，%d 位来电人，热度 %.0f。", first, last, n, days, callers, heat)
}

// HardText is a hard issue's title and evidence for a ticket (number)
// and the reason's figure.
func HardText(reason, number string, figure int, numbers []string) (title, evidence string) {
	switch reason {
	case HardOpenLong:
		return fmt.Sprintf("难点：%s 受理 %d 天仍未办结", number, figure), "超过难点时限仍未办结，需协调督办。"
	case HardReopened:
		return fmt.Sprintf("难点：%s 已重办 %d 次", number, figure), "回访不满意后多次重办，问题反复。"
	case HardReturned:
		return fmt.Sprintf("难点：%s 被退回 %d 次", number, figure), "多个单位之间退回，存在职责争议。"
	case HardRepeat:
		return fmt.Sprintf("难点：同一来电人 %d 次反映", figure), fmt.Sprintf("同一来电人近期多次来电，工单：%s。", strings.Join(numbers, "、"))
	}
	return number, ""
}
