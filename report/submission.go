package report

import (
	"strings"
	"time"
	"unicode/utf8"

	"hotline"
)

// Report statuses: a draft the analyst edits, then submitted to the
// centre (报送).
const (
	ReportDraft     = "draft"
	ReportSubmitted = "submitted"
)

// DefaultDueWorkdays is when a report is due: by the end of office hours
// of the fifth working day after its period (the monthly report early in
// the next month); serve --report-due-workdays sets it.
const DefaultDueWorkdays = 5

// MaxNarrative bounds the analyst's text.
const MaxNarrative = 20000

// DueAt is the end of office hours of the workdays-th working day after
// the period's last day.
func DueAt(p Period, cal *hotline.Calendar, workdays int) time.Time {
	return cal.AddWorkingDays(p.To.Add(-time.Hour), workdays)
}

// Version is one version of a period's report.
type Version struct {
	Version     int        `json:"version"`
	Status      string     `json:"status"`
	Narrative   string     `json:"narrative"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
}

// State is a period's report: when it is due and its versions, oldest
// first.
type State struct {
	Period   Period    `json:"-"`
	Key      string    `json:"period"`
	Kind     string    `json:"kind"`
	DueAt    time.Time `json:"due_at"`
	Versions []Version `json:"versions"`
}

// Latest is the newest version, nil before the first.
func (s *State) Latest() *Version {
	if len(s.Versions) == 0 {
		return nil
	}
	return &s.Versions[len(s.Versions)-1]
}

// FirstSubmitted is when the report was first submitted (what the
// assessment reads), nil if never.
func (s *State) FirstSubmitted() *time.Time {
	for _, v := range s.Versions {
		if v.SubmittedAt != nil {
			return v.SubmittedAt
		}
	}
	return nil
}

// OnTime reports whether the report was first submitted by its due time.
func (s *State) OnTime() bool {
	at := s.FirstSubmitted()
	return at != nil && !at.After(s.DueAt)
}

// Overdue reports whether the report is past due and not submitted.
func (s *State) Overdue(now time.Time) bool { return s.FirstSubmitted() == nil && now.After(s.DueAt) }

// Report states of State.Standing.
const (
	StandingNone    = "none"    // 未撰写
	StandingDraft   = "draft"   // 草稿
	StandingOnTime  = "on_time" // 已按时报送
	StandingLate    = "late"    // 逾期报送
	StandingOverdue = "overdue" // 逾期未报送
)

// Standing is where the report stands at now.
func (s *State) Standing(now time.Time) string {
	switch {
	case s.FirstSubmitted() != nil && s.OnTime():
		return StandingOnTime
	case s.FirstSubmitted() != nil:
		return StandingLate
	case s.Overdue(now):
		return StandingOverdue
	case s.Latest() != nil:
		return StandingDraft
	}
	return StandingNone
}

// CheckNarrative validates the analyst's text.
func CheckNarrative(text string) (string, error) {
	if err := hotline.CheckInput("narrative", text); err != nil {
		return "", err
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if utf8.RuneCountInString(text) > MaxNarrative {
		return "", hotline.Invalid("narrative", "分析与建议不超过%d个字", MaxNarrative)
	}
	return text, nil
}

// Ended reports whether the period is over at now (only then can its
// report be submitted).
func (p Period) Ended(now time.Time) bool { return !now.Before(p.To) }
