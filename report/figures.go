// Package report holds the ticket figures of the statistics pages, the
// ledgers and the operations reports (运营报告): what each ticket
// contributes to them (Contribute), how the counts become the three rates
// and the other ratios (Figures), and the periods they cover. It is pure:
// storage keeps the daily counts, pages and reports read them.
package report

import "math"

// Counts are the additive figures of a set of tickets: every one is a
// count, so the counts of days, channels or units add up. The tickets are
// a cohort — those accepted in the period — counted as they stand now.
type Counts struct {
	Tickets         int64 `json:"tickets"`          // 受理量: accepted, not cancelled
	DirectAnswers   int64 `json:"direct_answers"`   // 直接答复: concluded on the call, never dispatched
	Dispatched      int64 `json:"dispatched"`       // 派单量: tickets sent to a unit at least once (per unit: to that unit)
	Dispatches      int64 `json:"dispatches"`       // 派单次数: dispatches and designations
	AckOnTime       int64 `json:"ack_on_time"`      // 按时签收: dispatches acknowledged by their acknowledge deadline
	Concluded       int64 `json:"concluded"`        // 办结: concluded or archived now
	OnTime          int64 `json:"on_time"`          // 按期办结: concluded, never overdue
	Overdue         int64 `json:"overdue"`          // 超期: crossed a deadline at least once (per unit: while with it)
	Extensions      int64 `json:"extensions"`       // 延期: extensions approved
	ReturnsApproved int64 `json:"returns_approved"` // 退单(通过): return requests the centre approved
	ReturnsRejected int64 `json:"returns_rejected"` // 退单(驳回): return requests the centre rejected
	Supervisions    int64 `json:"supervisions"`     // 督办: manual and automatic (at warning and overdue)
	Urges           int64 `json:"urges"`            // 催办
	Evaluated       int64 `json:"evaluated"`        // 参评: a rating recorded at callback
	Satisfied       int64 `json:"satisfied"`        // 满意 + 基本满意
	Unsatisfied     int64 `json:"unsatisfied"`      // 不满意
	ResolvedKnown   int64 `json:"resolved_known"`   // 有解决结果: the callback recorded whether it was solved
	Resolved        int64 `json:"resolved"`         // 已解决
	CallbackDue     int64 `json:"callback_due"`     // 应回访: concluded with a reachable requester
	CalledBack      int64 `json:"called_back"`      // 已回访: of those, rated at a callback
	ConcludedEver   int64 `json:"concluded_ever"`   // 曾办结: concluded now or reopened since
	Reopened        int64 `json:"reopened"`         // 重办: reopened at least once
	KBLinked        int64 `json:"kb_linked"`        // 引用知识库: a knowledge-base article linked
}

// Columns names the counts in their storage order, the order of Fields.
var Columns = []string{"tickets", "direct_answers", "dispatched", "dispatches", "ack_on_time", "concluded", "on_time",
	"overdue", "extensions", "returns_approved", "returns_rejected", "supervisions", "urges", "evaluated", "satisfied",
	"unsatisfied", "resolved_known", "resolved", "callback_due", "called_back", "concluded_ever", "reopened", "kb_linked"}

// Fields points at the counts in the order of Columns, for scanning and
// writing rows.
func (c *Counts) Fields() []*int64 {
	return []*int64{&c.Tickets, &c.DirectAnswers, &c.Dispatched, &c.Dispatches, &c.AckOnTime, &c.Concluded, &c.OnTime,
		&c.Overdue, &c.Extensions, &c.ReturnsApproved, &c.ReturnsRejected, &c.Supervisions, &c.Urges, &c.Evaluated,
		&c.Satisfied, &c.Unsatisfied, &c.ResolvedKnown, &c.Resolved, &c.CallbackDue, &c.CalledBack, &c.ConcludedEver,
		&c.Reopened, &c.KBLinked}
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	dst, src := c.Fields(), o.Fields()
	for i := range dst {
		*dst[i] += *src[i]
	}
}

// Zero reports whether every count is zero.
func (c Counts) Zero() bool {
	for _, f := range c.Fields() {
		if *f != 0 {
			return false
		}
	}
	return true
}

// Figures are the counts with the ratios worked out from them. A ratio
// with nothing to divide by is 0.
type Figures struct {
	Counts
	ResponseRate     float64 `json:"response_rate"`      // 响应率 = AckOnTime ÷ Dispatches
	ResolutionRate   float64 `json:"resolution_rate"`    // 解决率 = Resolved ÷ ResolvedKnown
	SatisfactionRate float64 `json:"satisfaction_rate"`  // 满意率 = Satisfied ÷ Evaluated
	ConclusionRate   float64 `json:"conclusion_rate"`    // 办结率 = Concluded ÷ Tickets
	OnTimeRate       float64 `json:"on_time_rate"`       // 按期办结率 = OnTime ÷ Concluded
	DirectAnswerRate float64 `json:"direct_answer_rate"` // 直接答复率 = DirectAnswers ÷ Tickets
	CallbackRate     float64 `json:"callback_rate"`      // 回访率 = CalledBack ÷ CallbackDue
	ReopenRate       float64 `json:"reopen_rate"`        // 重办率 = Reopened ÷ ConcludedEver
	KBUseRate        float64 `json:"kb_use_rate"`        // 知识库使用率 = KBLinked ÷ Tickets
}

// Finish works out the ratios of c.
func Finish(c Counts) Figures {
	return Figures{Counts: c,
		ResponseRate:     Ratio(c.AckOnTime, c.Dispatches),
		ResolutionRate:   Ratio(c.Resolved, c.ResolvedKnown),
		SatisfactionRate: Ratio(c.Satisfied, c.Evaluated),
		ConclusionRate:   Ratio(c.Concluded, c.Tickets),
		OnTimeRate:       Ratio(c.OnTime, c.Concluded),
		DirectAnswerRate: Ratio(c.DirectAnswers, c.Tickets),
		CallbackRate:     Ratio(c.CalledBack, c.CallbackDue),
		ReopenRate:       Ratio(c.Reopened, c.ConcludedEver),
		KBUseRate:        Ratio(c.KBLinked, c.Tickets),
	}
}

// Ratio is n ÷ d rounded to four decimals, 0 when d is 0.
func Ratio(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(d)*10000) / 10000
}

// Change is the relative change from before to now (0.25 = +25%), and
// whether there was anything before to compare with.
func Change(now, before int64) (float64, bool) {
	if before == 0 {
		return 0, false
	}
	return Ratio(now-before, before), true
}
